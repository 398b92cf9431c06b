// rlvrbench generate: sample continuations of one prompt from a HF model folder.
// Output: one JSON object per sample per line
//   {"prompt_id", "sample", "text", "tokens", "logprobs", "finish_reason"}
// logprobs are temperature-1 log-probabilities of the chosen tokens (what GRPO's ratio uses).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/model_args.h"
#include "models/sampler.h"
#include "util/error.h"

namespace rlvr::app {

int cmd_generate(int argc, char** argv) {
  ModelArgs ma;
  std::string prompt, prompt_id = "0";
  std::vector<std::string> stop;
  int64_t n = 1, max_new = 256, seed = 0, top_k = 0, max_batch = 64, threads = 0;
  double temperature = 1.0, top_p = 1.0;
  bool no_special = false;
  Cli cli(argv[0], "Sample N continuations of a prompt (batched KV-cache decoding). One JSON object per sample on stdout.");
  ma.add_to(cli);
  cli.option("--prompt", "TEXT", "the prompt text (encoded with the folder's tokenizer.json)", &prompt, true)
      .option("--n", "N", "samples (default 1)", &n)
      .option("--temperature", "T", "sampling temperature; 0 = greedy (default 1)", &temperature)
      .option("--top-p", "P", "nucleus sampling mass in (0, 1] (default 1: off)", &top_p)
      .option("--top-k", "K", "keep the K most likely tokens; 0 = off (default)", &top_k)
      .option("--max-new-tokens", "M", "tokens to generate at most (default 256)", &max_new)
      .option("--seed", "S", "random seed (default 0); a sample depends on (seed, prompt id, sample index) only", &seed)
      .option("--prompt-id", "ID", "names the prompt's random stream (default \"0\")", &prompt_id)
      .multi("--stop", "STR", "stop when the text contains STR (repeatable; STR is cut from the text)", &stop)
      .option("--max-batch", "B", "sequences decoded together (default 64)", &max_batch)
      .option("--threads", "T", "CPU threads for LibTorch (default: LibTorch's choice)", &threads)
      .flag("--no-special", "do not add the tokenizer's special tokens (e.g. Llama-3's BOS) to the prompt", &no_special)
      .epilog("EOS ids come from generation_config.json (else config.json). Exit 2 on a bad model folder or option.");
  if (!cli.parse(argc, argv)) return kExitOk;
  if (seed < 0) throw_input("--seed", "must be >= 0");
  if (threads < 0) throw_input("--threads", "must be >= 0");
  if (threads > 0) torch::set_num_threads(static_cast<int>(threads));

  SamplingParams p;
  p.n = n;
  p.temperature = temperature;
  p.top_p = top_p;
  p.top_k = top_k;
  p.max_new_tokens = max_new;
  p.seed = static_cast<uint64_t>(seed);
  p.stop = stop;
  p.max_batch = max_batch;
  // Check the options before the (possibly long) load.
  if (p.n < 1) throw_input("--n", "must be >= 1");
  LoadedModel lm = load_model_and_tokenizer(ma);
  sampling_params_check(p, lm.model);
  auto ids = lm.tokenizer.encode(prompt, !no_special);
  if (ids.empty()) throw_input("--prompt", "encodes to no tokens");
  const Tokenizer& tok = lm.tokenizer;
  auto samples = sample(lm.model, {{prompt_id, ids}}, p, [&](std::span<const int32_t> s) { return tok.decode(s); });
  for (const auto& s : samples) {
    nlohmann::json j = {{"prompt_id", prompt_id},      {"sample", s.sample_index}, {"text", s.text},
                        {"tokens", s.ids},             {"logprobs", s.logprobs},   {"finish_reason", finish_reason_name(s.finish)}};
    std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
  }
  return kExitOk;
}

}  // namespace rlvr::app
