// logprobs.h: teacher-forced log-probs of response tokens given prompts (the GRPO ratio's inputs).
//
// Rows are laid out [left padding][prompt][response][right padding], so response token j of every
// row sits at the same slot and one forward serves the whole batch. Equal to the sampler's
// temperature-1 log-probs within float rounding (checked to 1e-5 in fp32).
#pragma once
#include <cstdint>
#include <vector>

#include "models/model.h"

namespace rlvr {

struct ResponseLogprobs {
  torch::Tensor logprobs;  // (B, R) float32, R = longest response; 0 past a row's end
  torch::Tensor mask;      // (B, R) bool: position holds a real response token
};

// Differentiable with respect to the weights when they require grad (call under NoGradGuard otherwise).
ResponseLogprobs response_logprobs(const Model& m, const std::vector<std::vector<int32_t>>& prompts,
                                   const std::vector<std::vector<int32_t>>& responses);

// The same, as plain vectors (each row its response's length).
std::vector<std::vector<float>> response_logprobs_vec(const Model& m, const std::vector<std::vector<int32_t>>& prompts,
                                                      const std::vector<std::vector<int32_t>>& responses);

}  // namespace rlvr
