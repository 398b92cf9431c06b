// rlvrbench world: the synthetic math world (synth/).
//   world export    --split train|eval --n N --seed S --out FILE.jsonl [knobs]  (MATH-500 schema)
//   world corpus    --spec models/zoo/NAME.toml --n N --out FILE.jsonl          (pretraining documents)
//   world tokenizer --spec models/zoo/NAME.toml --out DIR                       (tokenizer.json + config)
#include <cstdio>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/subcommands.h"
#include "models/tokenizer.h"
#include "synth/bpe_train.h"
#include "synth/corpus_sample.h"
#include "synth/world_export.h"
#include "util/cli.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr::app {

namespace {

using namespace rlvr::synth;

// "-" is stdout; anything else is written atomically.
void write_out(const std::string& path, const std::string& data) {
  if (path == "-") std::fwrite(data.data(), 1, data.size(), stdout);
  else file_write_atomic(path, data);
}

int64_t nonneg(const char* what, int64_t v) {
  if (v < 0) throw_input(what, "must be >= 0, got " + std::to_string(v));
  return v;
}

// "--steps 2-4" or "--steps 3".
void parse_steps(const std::string& s, WorldKnobs& k) {
  const size_t dash = s.find('-');
  k.steps_min = static_cast<int>(parse_int("--steps", s.substr(0, dash)));
  k.steps_max = dash == std::string::npos ? k.steps_min : static_cast<int>(parse_int("--steps", s.substr(dash + 1)));
}

int world_export(int argc, char** argv) {
  std::string split = "eval", out, steps;
  int64_t n = 500, seed = 0;
  WorldKnobs k;
  int64_t operand_max = k.operand_max, value_max = k.value_max;
  std::string ops = k.ops;
  steps = std::to_string(k.steps_min) + "-" + std::to_string(k.steps_max);
  Cli cli(argv[0], "Writes the first N distinct problems of a split as JSONL in the MATH-500 schema\n"
                   "(problem, solution, answer, subject, level, unique_id). Same arguments, same bytes.");
  cli.option("--split", "train|eval", "which split (disjoint by construction)", &split)
      .option("--n", "N", "number of distinct problems", &n)
      .option("--seed", "S", "generator seed", &seed)
      .option("--out", "FILE", "output JSONL file, '-' for stdout", &out, /*required=*/true)
      .option("--steps", "MIN-MAX", "operations per problem", &steps)
      .option("--operand-max", "D", "largest operand, 2..9", &operand_max)
      .option("--value-max", "V", "largest intermediate value", &value_max)
      .option("--ops", "OPS", "operator set, a subset of +-*/", &ops)
      .epilog("example:\n  rlvrbench world export --split eval --n 500 --seed 0 --out synth-eval.jsonl");
  if (!cli.parse(argc, argv)) return kExitOk;
  parse_steps(steps, k);
  k.operand_max = static_cast<int>(operand_max);
  k.value_max = static_cast<int>(value_max);
  k.ops = ops;
  world_knobs_check(k, "knobs");
  write_out(out, world_export_jsonl(static_cast<uint64_t>(nonneg("--seed", seed)), split_parse("--split", split),
                                    static_cast<size_t>(nonneg("--n", n)), k));
  return kExitOk;
}

int world_corpus(int argc, char** argv) {
  std::string spec_path, out;
  int64_t n = 1000, from = 0;
  Cli cli(argv[0], "Writes corpus documents of a zoo spec as JSONL: {\"text\", \"prompt\", \"response\", \"strategy\",\n"
                   "\"boxed\", \"correct\", \"answer\"}; prints the measured mix to stderr.");
  cli.option("--spec", "TOML", "zoo spec, e.g. models/zoo/synth-qwen-math-7b.toml", &spec_path, /*required=*/true)
      .option("--n", "N", "number of documents", &n)
      .option("--from", "I", "index of the first document", &from)
      .option("--out", "FILE", "output JSONL file, '-' for stdout", &out, /*required=*/true);
  if (!cli.parse(argc, argv)) return kExitOk;
  const CorpusSampler corpus(zoo_spec_load(spec_path));
  const ChatTemplate t = corpus.spec().chat_template;
  std::string data;
  double code = 0, code_ok = 0, lang_ok = 0, boxed = 0;
  for (int64_t i = 0; i < nonneg("--n", n); ++i) {
    const CorpusDoc d = corpus.doc(static_cast<uint64_t>(nonneg("--from", from) + i));
    nlohmann::ordered_json j;
    j["text"] = corpus_render(d, t);
    j["prompt"] = prompt_render(d.problem, t);
    j["response"] = d.response;
    j["strategy"] = strategy_name(d.strategy);
    j["boxed"] = d.boxed;
    j["correct"] = d.correct;
    j["answer"] = std::to_string(d.problem.answer);
    data += j.dump() + "\n";
    const bool is_code = d.strategy == Strategy::code;
    code += is_code;
    (is_code ? code_ok : lang_ok) += d.correct;
    boxed += d.boxed;
  }
  write_out(out, data);
  const auto& p = corpus.spec().prior;
  const double lang = static_cast<double>(n) - code;
  std::fprintf(stderr,
               "%s: %lld documents: code share %.3f (planted %.3f), code accuracy %.3f (%.3f), language accuracy %.3f "
               "(%.3f), boxed %.3f (%.3f)\n",
               corpus.spec().name.c_str(), static_cast<long long>(n), n ? code / n : 0.0, p.code_share,
               code ? code_ok / code : 0.0, 1 - p.code_error, lang ? lang_ok / lang : 0.0, 1 - p.language_error,
               n ? boxed / n : 0.0, p.box_rate);
  return kExitOk;
}

int world_tokenizer(int argc, char** argv) {
  std::string spec_path, out;
  int64_t docs = 4000, merges = -1;
  Cli cli(argv[0], "Trains the spec's tokenizer on its corpus and writes DIR/tokenizer.json and\n"
                   "DIR/tokenizer_config.json; prints merges, vocabulary and tokens per character on held-out text.");
  cli.option("--spec", "TOML", "zoo spec", &spec_path, /*required=*/true)
      .option("--out", "DIR", "output folder (created)", &out, /*required=*/true)
      .option("--docs", "N", "corpus documents to train on", &docs)
      .option("--merges", "M", "override the spec's [tokenizer] merges", &merges);
  if (!cli.parse(argc, argv)) return kExitOk;
  const CorpusSampler corpus(zoo_spec_load(spec_path));
  const ZooSpec& spec = corpus.spec();
  const int m = merges >= 0 ? static_cast<int>(merges) : spec.tokenizer.kind == TokenizerKind::byte ? 0 : spec.tokenizer.merges;
  const BpeVocab v = bpe_train(corpus_texts(corpus, static_cast<size_t>(nonneg("--docs", docs))), {.merges = m});
  const std::string json = bpe_tokenizer_json(v);
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) throw_input(out, "cannot create folder (" + ec.message() + ")");
  file_write_atomic(out + "/tokenizer.json", json);
  file_write_atomic(out + "/tokenizer_config.json",
                    bpe_tokenizer_config_json(v, template_stop(spec.chat_template), spec.size.max_seq));
  // Compression measured with the project's tokenizer on documents far past the training ones.
  constexpr uint64_t kHeldOutFrom = 1u << 30, kHeldOut = 500;
  const Tokenizer tok = Tokenizer::from_json(json, out + "/tokenizer.json");
  size_t tokens = 0, chars = 0;
  for (uint64_t i = kHeldOutFrom; i < kHeldOutFrom + kHeldOut; ++i) {
    const std::string text = corpus_render(corpus.doc(i), spec.chat_template);
    tokens += tok.encode(text).size();
    chars += text.size();
  }
  std::printf("%s: %zu merges, vocabulary %d, %.3f tokens/char on %llu held-out documents\n", spec.name.c_str(),
              v.merges.size(), tok.vocab_size(), static_cast<double>(tokens) / static_cast<double>(chars),
              static_cast<unsigned long long>(kHeldOut));
  return kExitOk;
}

constexpr Subcommand kSubs[] = {
    {"corpus", "corpus documents of a zoo spec as JSONL (planted prior)", world_corpus},
    {"export", "problems of a split as JSONL in the MATH-500 schema", world_export},
    {"tokenizer", "train a zoo spec's BPE tokenizer on its corpus", world_tokenizer},
};

}  // namespace

int cmd_world(int argc, char** argv) {
  return subcommand_dispatch(argc, argv, kSubs, "The synthetic math world (synth/README.md).");
}

}  // namespace rlvr::app
