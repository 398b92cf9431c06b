// rlvrbench logits: the model's next-token logits for a text, as JSON
//   {"tokens": [ids...], "logits": [V floats]}            (last position)
//   {"tokens": [ids...], "logits": [[V floats], ...]}     (--all: every position)
// For comparing against HF transformers (`model(ids).logits`) or another build.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/model_args.h"
#include "util/error.h"

namespace rlvr::app {

int cmd_logits(int argc, char** argv) {
  ModelArgs ma;
  std::string text;
  bool all = false, no_special = false;
  Cli cli(argv[0], "Print the logits of a text's last position (or of every position with --all) as JSON.");
  ma.add_to(cli);
  cli.option("--text", "TEXT", "the input text (encoded with the folder's tokenizer.json)", &text, true)
      .flag("--all", "logits of every position, not only the last", &all)
      .flag("--no-special", "do not add the tokenizer's special tokens (e.g. Llama-3's BOS)", &no_special);
  if (!cli.parse(argc, argv)) return kExitOk;
  LoadedModel lm = load_model_and_tokenizer(ma);
  auto ids = lm.tokenizer.encode(text, !no_special);
  if (ids.empty()) throw_input("--text", "encodes to no tokens");
  c10::InferenceMode guard;
  auto logits = model_forward(lm.model, batch_left_padded({ids}, lm.model.device))[0].to(torch::kCPU).contiguous();  // (T, V)
  int64_t T = logits.size(0), V = logits.size(1);
  auto row = [&](int64_t t) {
    const float* p = logits.data_ptr<float>() + t * V;
    return nlohmann::json(std::vector<float>(p, p + V));
  };
  nlohmann::json j;
  j["tokens"] = ids;
  if (all) {
    j["logits"] = nlohmann::json::array();
    for (int64_t t = 0; t < T; ++t) j["logits"].push_back(row(t));
  } else {
    j["logits"] = row(T - 1);
  }
  std::string out = j.dump();
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fputc('\n', stdout);
  return kExitOk;
}

}  // namespace rlvr::app
