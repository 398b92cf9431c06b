// model_args.h: what `generate` and `logits` share: --model/--device/--dtype, loading the model
// folder (weights first, so a corrupt checkpoint is reported before tokenizer problems) and its
// tokenizer, and checking they fit together.
#pragma once
#include <string>

#include "models/model.h"
#include "models/tokenizer.h"
#include "util/cli.h"

namespace rlvr::app {

struct ModelArgs {
  std::string dir, device = "cpu", dtype;
  void add_to(Cli& cli);
};

struct LoadedModel {
  Model model;
  Tokenizer tokenizer;
};

LoadedModel load_model_and_tokenizer(const ModelArgs& a);

}  // namespace rlvr::app
