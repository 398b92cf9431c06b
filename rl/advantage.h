// advantage.h: GRPO advantages from per-response rewards (no LibTorch).
//
// Paper preset (docs/paper.md, "Training recipe"; OpenRLHF's `group_norm` estimator):
//   1. per group of G samples of one prompt: a = (r - mean) / (std_unbiased + 1e-9)
//   2. whitening over the whole rollout batch, weighted by response tokens (each response's
//      advantage counts once per token, as OpenRLHF whitens the per-token advantage tensor):
//      a = (a - mean_tok) * rsqrt(max(var_tok, 1e-8)), var_tok the biased token-weighted variance.
// A group whose rewards are all equal gets zero advantage in step 1; step 2 then shifts it by
// -mean_tok * rsqrt(var_tok), which is 0 only when the batch's token-weighted mean is 0 (every
// response the same length, or whitening off). OpenRLHF does the same; adv_zero_frac counts it.
#pragma once
#include <cstdint>
#include <vector>

namespace rlvr {

struct AdvantageOptions {
  bool group_mean = true;      // subtract the group mean (off: the raw reward; then no std division either)
  bool std_normalize = true;   // divide by the group's std (off: Dr. GRPO's mean-centering only)
  bool batch_whiten = true;    // step 2 above
  double group_eps = 1e-9;     // added to the group std (OpenRLHF)
  double whiten_var_floor = 1e-8;  // variance clamp before rsqrt (OpenRLHF)
};

// rewards: (P*G) in prompt-major order (all samples of prompt 0, then prompt 1, ...).
// lengths: (P*G) response lengths in tokens, the weights of the whitening (empty: all 1).
std::vector<double> advantage_grpo(const std::vector<double>& rewards, int64_t group_size,
                                   const std::vector<int64_t>& lengths, const AdvantageOptions& opt);

}  // namespace rlvr
