// sampler.h: the rollout engine. prompts x n samples, batched KV-cache decoding, temperature,
// top-k, top-p, greedy, EOS ids, stop strings; per-token temperature-1 log-probs for GRPO.
//
// Randomness: the token drawn at step t of sample s of prompt p uses
// philox_uniform(seed, hash(prompt id), s, t) and inverse-CDF sampling in token-id order, so a
// sample depends only on (model, prompt, seed, prompt id, s) and reproduces on its own.
#pragma once
#include <span>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "models/model.h"

#include "util/enum_names.h"

namespace rlvr {

struct SamplingParams {
  int64_t n = 1;                   // samples per prompt
  double temperature = 1.0;        // 0: greedy (argmax)
  double top_p = 1.0;              // nucleus: smallest set of tokens with probability >= top_p
  int64_t top_k = 0;               // keep the k most likely tokens; 0: off
  int64_t max_new_tokens = 256;
  std::vector<int32_t> eos_ids;    // empty: the model's (generation_config.json / config.json)
  std::vector<std::string> stop;   // stop strings (need a tokenizer)
  uint64_t seed = 0;
  int64_t max_batch = 64;          // sequences decoded together
};

enum class FinishReason { eos, stop, length };
constexpr EnumName<FinishReason> kFinishReasonNames[] = {
    {FinishReason::eos, "eos"}, {FinishReason::stop, "stop"}, {FinishReason::length, "length"}};
constexpr std::span<const EnumName<FinishReason>> enum_names(FinishReason) { return kFinishReasonNames; }
inline const char* finish_reason_name(FinishReason r) { return enum_name(r).data(); }

struct SamplePrompt {
  std::string id;             // names the random stream; empty: the prompt's index in the list
  std::vector<int32_t> ids;   // prompt tokens (non-empty)
};

struct Sample {
  int64_t prompt_index = 0;
  int64_t sample_index = 0;
  std::vector<int32_t> ids;       // generated tokens, including the EOS token that ended it
  std::vector<float> logprobs;    // (ids.size()) temperature-1 log-softmax of each chosen token
  std::string text;               // decoded generated tokens without a final EOS, cut before a stop string
  FinishReason finish = FinishReason::length;
};

// Validates params (InputError naming the option: "--temperature: must be >= 0").
void sampling_params_check(const SamplingParams& p, const Model& m);

// Token ids -> text (e.g. [&](auto ids) { return tokenizer.decode(ids); }); keeps this library
// free of the tokenizer.
using DecodeFn = std::function<std::string(std::span<const int32_t>)>;

// Returns prompts.size() * n samples ordered by (prompt, sample). `decode` may be empty when no
// stop strings are given (text is then left empty).
std::vector<Sample> sample(const Model& m, const std::vector<SamplePrompt>& prompts, const SamplingParams& p,
                           const DecodeFn& decode = {});

// One sampling step on logits (B, V) float32: chosen tokens (B) int64 and their temperature-1
// log-probs (B) float32. `u` (B) float64 uniforms in [0, 1). Exposed for tests.
std::pair<torch::Tensor, torch::Tensor> sample_step(const torch::Tensor& logits, const torch::Tensor& u,
                                                    const SamplingParams& p);

}  // namespace rlvr
