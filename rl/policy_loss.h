// policy_loss.h: the PPO-clip / GRPO policy loss and its diagnostics (LibTorch).
#pragma once
#include <string>

#include <ATen/ATen.h>

#include "rl/loss_options.h"

namespace rlvr {

struct PolicyLossOptions {
  bool clip = true;
  double clip_low = 0.2;    // ratio floor 1 - clip_low
  double clip_high = 0.2;   // ratio ceiling 1 + clip_high
  double dual_clip = 0.0;   // > 1 enables dual clip for negative advantages (loss <= -c * A); 0 off
  LossAgg agg = LossAgg::seq_mean_token_mean;
  double max_response_len = 1.0;  // the constant of seq_mean_token_sum_norm
  double kl_coef = 0.0;
  KlEstimator kl_estimator = KlEstimator::k3;
  double entropy_coef = 0.0;
  LossBug bug = LossBug::none;
  UnclippedForm unclipped = UnclippedForm::ratio;  // the loss when !clip
};

struct PolicyLossOut {
  at::Tensor loss;          // () differentiable
  double pg_loss = 0;       // the policy-gradient part
  double clip_frac_low = 0;   // share of tokens with A < 0 and ratio < 1 - clip_low (clipping active)
  double clip_frac_high = 0;  // share of tokens with A > 0 and ratio > 1 + clip_high
  double approx_kl = 0;     // token mean of k3(old || new), how far the update moved
  double kl_ref = 0;        // token mean of the KL estimate to the reference (when kl_coef > 0)
  double entropy = 0;       // token mean of the entropy (when given)
};

// logp, old_logp, mask: (B, T) response tokens (mask 1 on real tokens); adv: (B) per sequence.
// ref_logp: (B, T) or undefined; entropy: (B, T) or undefined (needed when entropy_coef != 0).
PolicyLossOut policy_loss(const at::Tensor& logp, const at::Tensor& old_logp, const at::Tensor& adv,
                          const at::Tensor& mask, const PolicyLossOptions& opt,
                          const at::Tensor& ref_logp = {}, const at::Tensor& entropy = {});

// Aggregates a (B, T) per-token quantity with the mask, as the loss does.
at::Tensor loss_aggregate(const at::Tensor& x, const at::Tensor& mask, LossAgg agg, double max_response_len);

}  // namespace rlvr
