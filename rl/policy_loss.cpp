#include "rl/policy_loss.h"

#include "util/error.h"

namespace rlvr {

LossAgg loss_agg_parse(const std::string& name, const std::string& where) {
  if (auto a = enum_parse<LossAgg>(name)) return *a;
  throw_input(where, "unknown loss aggregation '" + name + "' (known: " + enum_list<LossAgg>() + ")");
}

LossBug loss_bug_parse(const std::string& name, const std::string& where) {
  if (auto b = enum_parse<LossBug>(name)) return *b;
  throw_input(where, "unknown bug '" + name + "' (known: " + enum_list<LossBug>() + ")");
}

at::Tensor loss_aggregate(const at::Tensor& x, const at::Tensor& mask, LossAgg agg, double max_response_len) {
  at::Tensor m = mask.to(x.scalar_type());
  switch (agg) {
    case LossAgg::token_mean:
    case LossAgg::micro_token_mean:  // called once per micro-batch: its token mean
      return (x * m).sum() / m.sum().clamp_min(1.0);
    case LossAgg::seq_mean_token_mean:
      return ((x * m).sum(1) / m.sum(1).clamp_min(1.0)).mean();
    case LossAgg::seq_mean_token_sum_norm:
      return ((x * m).sum(1) / max_response_len).mean();
  }
  return x.sum();
}

PolicyLossOut policy_loss(const at::Tensor& logp, const at::Tensor& old_logp, const at::Tensor& adv,
                          const at::Tensor& mask, const PolicyLossOptions& opt, const at::Tensor& ref_logp,
                          const at::Tensor& entropy) {
  PolicyLossOut out;
  at::Tensor m = mask.to(logp.scalar_type());
  at::Tensor A = adv.to(logp.scalar_type()).unsqueeze(1).expand_as(logp);  // (B, T)
  at::Tensor log_ratio = opt.bug == LossBug::ratio_current ? logp - logp.detach() : logp - old_logp;
  at::Tensor ratio = log_ratio.exp();                                        // (B, T)
  at::Tensor surr = ratio * A;
  at::Tensor pg;                                                             // (B, T) per-token loss
  if (opt.clip) {
    at::Tensor surr_clipped = ratio.clamp(1.0 - opt.clip_low, 1.0 + opt.clip_high) * A;
    pg = opt.bug == LossBug::clip_max ? -at::max(surr, surr_clipped) : -at::min(surr, surr_clipped);
    if (opt.dual_clip > 1.0) pg = at::where(A < 0, at::min(pg, -opt.dual_clip * A), pg);
  } else {
    pg = opt.unclipped == UnclippedForm::pi ? -(logp.exp() * A) : -surr;
  }
  at::Tensor loss = loss_aggregate(pg, m, opt.agg, opt.max_response_len);
  out.pg_loss = loss.item<double>();

  at::NoGradGuard no_grad;
  double ntok = std::max(1.0, m.sum().item<double>());
  if (opt.clip) {
    out.clip_frac_low = ((ratio < 1.0 - opt.clip_low) & (A < 0)).to(m.scalar_type()).mul(m).sum().item<double>() / ntok;
    out.clip_frac_high = ((ratio > 1.0 + opt.clip_high) & (A > 0)).to(m.scalar_type()).mul(m).sum().item<double>() / ntok;
  }
  // k3 estimator of KL(old || new): (r - 1) - log r with r = new/old
  out.approx_kl = ((ratio - 1.0 - log_ratio) * m).sum().item<double>() / ntok;
  {
    at::AutoGradMode enable(true);
    if (opt.kl_coef != 0.0 && ref_logp.defined()) {
      at::Tensor d = ref_logp - logp;  // log(ref / new)
      at::Tensor kl = opt.kl_estimator == KlEstimator::k1 ? -d : d.exp() - d - 1.0;
      at::Tensor kl_agg = loss_aggregate(kl, m, opt.agg, opt.max_response_len);
      out.kl_ref = (kl.detach() * m).sum().item<double>() / ntok;
      loss = loss + opt.kl_coef * kl_agg;
    }
    if (entropy.defined()) {
      out.entropy = (entropy.detach() * m).sum().item<double>() / ntok;
      if (opt.entropy_coef != 0.0) loss = loss - opt.entropy_coef * loss_aggregate(entropy, m, opt.agg, opt.max_response_len);
    }
  }
  out.loss = loss;
  return out;
}

}  // namespace rlvr
