// zoo_model.h: the HF model config of a zoo base or member, and a member grown from its base.
#pragma once
#include <string>

#include "models/model.h"
#include "models/tokenizer.h"
#include "synth/prior_spec.h"

namespace rlvr::zoo {

// The decoder for `family` ("qwen2" | "llama" | "olmo2") at the spec's size over tok's vocabulary.
// EOS ids: <|im_end|> and <|endoftext|> (chatml) or <|endoftext|> (plain); pad <|endoftext|>.
ModelConfig zoo_model_config(const synth::ZooSpec& s, const std::string& family, const Tokenizer& tok);

// A copy of base's weights in member's config (same sizes). A Qwen2 member of a Llama base gets
// zero q/k/v biases: the same function as the base, with biases free to learn in the fine-tune.
Model zoo_model_from_base(const Model& base, const ModelConfig& member);

}  // namespace rlvr::zoo
