// loss_options.h: the named choices of the policy loss (run keys train.loss_agg,
// train.kl_estimator, train.bug), each with one name table that parses and prints it
// (util/enum_names.h). Torch-free: RunConfig holds these.
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "util/enum_names.h"

namespace rlvr {

enum class LossAgg : uint8_t {
  // Sum over all response tokens of an update / their number (DAPO; verl's token-mean, TRL's dapo):
  // each micro-batch's token mean weighted by its share of the update's tokens (micro_loss_term).
  token_mean,
  seq_mean_token_mean,      // per sequence token mean, then batch mean (the paper's recipe)
  seq_mean_token_sum_norm,  // per sequence token sum / max_response_len, then batch mean (Dr. GRPO)
  // The paper scripts' (OpenRLHF with --packing_samples): the token mean over each micro-batch of
  // train.micro_batch sequences packed into one row, then the mean over the update's micro-batches
  // (gradient accumulation). Within a micro-batch it is token-mean; the grouping is the micro-batch.
  micro_token_mean,
};
constexpr EnumName<LossAgg> kLossAggNames[] = {
    {LossAgg::token_mean, "token-mean"},
    {LossAgg::seq_mean_token_mean, "seq-mean-token-mean"},
    {LossAgg::seq_mean_token_sum_norm, "seq-mean-token-sum-norm"},
    {LossAgg::micro_token_mean, "micro-token-mean"},
};
constexpr std::span<const EnumName<LossAgg>> enum_names(LossAgg) { return kLossAggNames; }

// The loss when train.clip = false (the clipping ablation). The paper's scripts have one unclipped
// loss, OpenRLHF-based `PolicyLossWoOldLogProbs`: -pi(token) * A, the probability itself where the
// clipped loss has the ratio pi / pi_old (so its gradient is pi * grad log pi * A, not ratio * ...).
enum class UnclippedForm : uint8_t {
  ratio,  // -ratio * A: the clipped objective with the clip removed (default; correct by default)
  pi,     // -exp(logp) * A: the scripts' PolicyLossWoOldLogProbs (faithful mode)
};
constexpr EnumName<UnclippedForm> kUnclippedFormNames[] = {{UnclippedForm::ratio, "ratio"}, {UnclippedForm::pi, "pi"}};
constexpr std::span<const EnumName<UnclippedForm>> enum_names(UnclippedForm) { return kUnclippedFormNames; }

// The KL penalty's estimator of KL(pi || ref) per token (Schulman's k1 and k3).
enum class KlEstimator : uint8_t { k1, k3 };
constexpr EnumName<KlEstimator> kKlEstimatorNames[] = {{KlEstimator::k1, "k1"}, {KlEstimator::k3, "k3"}};
constexpr std::span<const EnumName<KlEstimator>> enum_names(KlEstimator) { return kKlEstimatorNames; }

// Deliberate loss bugs (run key train.bug), a testing aid: the detection-power suites check that
// the goldens catch them. Never used by a real run.
enum class LossBug : uint8_t {
  none,
  ratio_current,  // ratio against the current policy (logp - logp.detach()): always 1, the clip never acts
  clip_max,       // -max(surr, clipped) instead of -min: the clip bounds the wrong side
};
constexpr EnumName<LossBug> kLossBugNames[] = {
    {LossBug::none, "none"}, {LossBug::ratio_current, "ratio-current"}, {LossBug::clip_max, "clip-max"}};
constexpr std::span<const EnumName<LossBug>> enum_names(LossBug) { return kLossBugNames; }

// Parse with an InputError naming `where` on an unknown name.
LossAgg loss_agg_parse(const std::string& name, const std::string& where);
LossBug loss_bug_parse(const std::string& name, const std::string& where);
constexpr std::string_view loss_agg_name(LossAgg a) { return enum_name(a); }

}  // namespace rlvr
