#include "eval/probe.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>
#include <torch/version.h>

#include "eval/evaluate.h"
#include "models/sampler.h"
#include "results/metric.h"
#include "util/cpu_kernels.h"
#include "util/error.h"

namespace rlvr {

namespace {

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> w;
  for (std::string x; in >> x;) w.push_back(x);
  return w;
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

}  // namespace

double rouge_l_f1(const std::string& candidate, const std::string& reference) {
  const auto c = words(candidate), r = words(reference);
  if (c.empty() || r.empty()) return 0;
  std::vector<int64_t> prev(r.size() + 1, 0), cur(r.size() + 1, 0);  // LCS by rows
  for (size_t i = 1; i <= c.size(); ++i) {
    for (size_t j = 1; j <= r.size(); ++j) cur[j] = c[i - 1] == r[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    std::swap(prev, cur);
  }
  const double lcs = static_cast<double>(prev[r.size()]);
  if (lcs == 0) return 0;
  const double p = lcs / static_cast<double>(c.size()), q = lcs / static_cast<double>(r.size());
  return 2 * p * q / (p + q);
}

ProbeResult probe_run(const Model& m, const Tokenizer& tok, PromptTemplate tmpl, const std::vector<DatasetItem>& all,
                      const ProbeOptions& opt, const GradeFn& grade) {
  if (!(opt.fraction > 0 && opt.fraction < 1)) throw_input("--fraction", "must be in (0, 1), got " + std::to_string(opt.fraction));
  std::vector<DatasetItem> data = all;
  if (opt.limit > 0 && static_cast<int64_t>(data.size()) > opt.limit) data.resize(static_cast<size_t>(opt.limit));
  DecodeFn decode = [&](std::span<const int32_t> ids) { return tok.decode(ids, /*skip_special_tokens=*/true); };

  // Per problem: the template's text before the problem, then the first k of the problem's tokens.
  struct Part {
    size_t item;
    std::vector<int32_t> prompt;
    std::string rest;
    int64_t k, n;
  };
  std::vector<Part> parts;
  // The template's text before the problem is the same for every problem: encoded once.
  const std::string marker = "\x01PROBLEM\x01";
  const std::string rendered = prompt_render(tmpl, marker);
  const std::vector<int32_t> before = tok.encode(rendered.substr(0, rendered.find(marker)));
  for (size_t i = 0; i < data.size(); ++i) {
    const std::vector<int32_t> p = tok.encode(data[i].problem);
    const int64_t n = static_cast<int64_t>(p.size());
    if (n < 2) continue;
    const int64_t k = std::clamp<int64_t>(std::llround(opt.fraction * static_cast<double>(n)), 1, n - 1);
    std::vector<int32_t> ids = before;
    ids.insert(ids.end(), p.begin(), p.begin() + k);
    parts.push_back({i, std::move(ids), decode(std::span<const int32_t>(p).subspan(static_cast<size_t>(k))), k, n});
  }
  if (parts.empty()) throw_input("--data", "no problem has 2 or more tokens to split");

  // 1. Completion: greedy, as many tokens as the rest has (an EOS ends it early: then it is short).
  // 2. The answer reached from the partial problem: greedy with the template's stops, graded.
  std::vector<SamplePrompt> prompts;
  for (const Part& p : parts) prompts.push_back({data[p.item].id, p.prompt});
  ProbeResult out;
  SamplingParams sp;
  sp.temperature = 0.0;
  sp.max_batch = opt.max_batch;
  const EvalStops stops = eval_stops(m, tok, tmpl);
  sp.eos_ids = stops.ids;  // no stop string: the completion is problem text
  int64_t longest = 0;
  for (const Part& p : parts) longest = std::max(longest, p.n - p.k);
  sp.max_new_tokens = longest;
  std::vector<Sample> comp = sample(m, prompts, sp, decode);
  SamplingParams sa;
  sa.temperature = 0.0;
  sa.max_batch = opt.max_batch;
  sa.max_new_tokens = opt.max_new_tokens;
  stops.apply(sa);
  std::vector<Sample> ans = sample(m, prompts, sa, decode);
  for (size_t i = 0; i < parts.size(); ++i) {
    const Part& p = parts[i];
    ProbeItem it;
    it.problem_id = data[p.item].id;
    it.given_tokens = p.k;
    it.rest_tokens = p.n - p.k;
    it.rest = p.rest;
    const std::vector<int32_t>& ids = comp[i].ids;
    it.completion = decode(std::span<const int32_t>(ids).first(std::min(ids.size(), static_cast<size_t>(it.rest_tokens))));
    it.exact = trim(it.completion) == trim(it.rest);
    it.rouge_l = rouge_l_f1(it.completion, it.rest);
    const std::string text = ans[i].text.empty() && !ans[i].ids.empty() ? decode(ans[i].ids) : ans[i].text;
    it.correct = grade(text, data[p.item].answer).correct;
    out.exact_match += it.exact;
    out.rouge_l += it.rouge_l;
    out.accuracy += it.correct;
    out.items.push_back(std::move(it));
  }
  const double n = static_cast<double>(out.items.size());
  out.exact_match /= n, out.rouge_l /= n, out.accuracy /= n;
  return out;
}

std::map<std::string, double> ProbeResult::metrics() const {
  return {{metric_cstr(Metric::probe_exact_match), exact_match},
          {metric_cstr(Metric::probe_rouge_l), rouge_l},
          {metric_cstr(Metric::probe_accuracy), accuracy},
          {metric_cstr(Metric::probe_problems), static_cast<double>(items.size())}};
}

int64_t probe_store(Store& st, const std::string& suite, const std::string& model, const std::string& dataset,
                    const std::map<std::string, std::string>& params, const ProbeResult& r, const torch::Device& device) {
  RunInfo info;
  info.suite = suite;
  info.cell = model + "/probe";
  info.model = model;
  info.reward = "probe";
  info.seed = 0;
  for (const auto& [k, v] : params) info.config_toml += k + " = " + nlohmann::json(v).dump() + "\n";
  info.libtorch_version = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                          std::to_string(TORCH_VERSION_PATCH);
  info.device = device.is_cpu() ? device.str() + " (" + cpu_kernels() + ")" : device.str();
  info.threads = torch::get_num_threads();
  provenance_fill(info);
  const int64_t run = st.run_begin(info);
  try {
    st.run_params(run, params);
    st.probe_write(run, /*step=*/0, dataset, r.metrics(), r.items);
  } catch (const std::exception& e) {
    st.run_fail(run, 0, e.what());
    throw;
  }
  st.run_finish(run);
  return run;
}

}  // namespace rlvr
