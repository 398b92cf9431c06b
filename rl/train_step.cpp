// train_step.cpp: the stages of one GRPO step (train_step.h). The arithmetic and its order are
// the trainer's contract with its goldens: a change here that moves a bit moves every stored run.
#include "rl/train_step.h"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "eval/evaluate.h"
#include "models/logprobs.h"
#include "util/hash.h"

namespace rlvr {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

std::vector<int64_t> permutation(int64_t n, uint64_t seed) {
  std::vector<int64_t> p(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) p[static_cast<size_t>(i)] = i;
  for (int64_t i = n - 1; i > 0; --i) {  // Fisher-Yates with a hashed counter per position
    auto j = static_cast<int64_t>(stream_seed(seed, static_cast<uint64_t>(i)) % static_cast<uint64_t>(i + 1));
    std::swap(p[static_cast<size_t>(i)], p[static_cast<size_t>(j)]);
  }
  return p;
}

size_t EpochOrder::at(int64_t g) {
  const int64_t epoch = g / n_;
  if (epoch != epoch_) {
    perm_ = permutation(n_, stream_seed(seed_, kSaltEpoch, static_cast<uint64_t>(epoch)));
    epoch_ = epoch;
  }
  return static_cast<size_t>(perm_[static_cast<size_t>(g % n_)]);
}

std::vector<size_t> step_prompts(EpochOrder& order, int64_t step, int64_t P) {
  std::vector<size_t> chosen;
  for (int64_t i = 0; i < P; ++i) chosen.push_back(order.at((step - 1) * P + i));
  return chosen;
}

Rollout step_rollout(const Model& m, const std::vector<TrainPrompt>& prompts, const std::vector<size_t>& chosen,
                     const RunConfig& cfg, int64_t step, const EvalStops& stops, const DecodeFn& decode) {
  auto t0 = std::chrono::steady_clock::now();
  Rollout r;
  std::vector<SamplePrompt> sps;
  for (size_t i = 0; i < chosen.size(); ++i) {
    r.slot_ids.push_back(prompts[chosen[i]].item->id + "#" + std::to_string(i));
    sps.push_back({r.slot_ids.back(), prompts[chosen[i]].ids});
  }
  SamplingParams sp;
  sp.n = cfg.samples_per_prompt;
  sp.temperature = cfg.temperature;
  sp.top_p = cfg.top_p;
  sp.max_new_tokens = cfg.max_response_len;
  stops.apply(sp);
  sp.seed = stream_seed(static_cast<uint64_t>(cfg.seed), kSaltRollout, static_cast<uint64_t>(step));
  {
    torch::NoGradGuard no_grad;
    r.samples = sample(m, sps, sp, decode);
  }
  r.seconds = seconds_since(t0);
  return r;
}

Scored step_score(const Rollout& r, const std::vector<TrainPrompt>& prompts, const std::vector<size_t>& chosen,
                  const RewardFn& reward, const GradeFn& grade_truth, int64_t step, int64_t G, const AdvantageOptions& aopt) {
  auto t0 = std::chrono::steady_clock::now();
  Scored s;
  for (const Sample& x : r.samples) {
    const auto slot = static_cast<size_t>(x.prompt_index);
    const TrainPrompt& tp = prompts[chosen[slot]];
    s.rewards.push_back(reward(RewardInput{x.text, tp.label, r.slot_ids[slot], x.sample_index, step}));
    s.graded.push_back(grade_truth(x.text, tp.item->answer));
    s.lengths.push_back(std::max<int64_t>(1, static_cast<int64_t>(x.ids.size())));
    s.truncated.push_back(x.finish == FinishReason::length);
    s.gen_tokens += static_cast<double>(x.ids.size());
    for (float lp : x.logprobs) s.neg_logp -= lp;
  }
  s.adv = advantage_grpo(s.rewards, G, s.lengths, aopt);
  // The token-weighted whitening shifts an all-equal group off 0 unless all lengths agree, so
  // this counts rollouts without signal only where whitening is off or lengths agree (rl/README.md).
  for (double a : s.adv) s.adv_zero += std::abs(a) < 1e-12;
  s.seconds = seconds_since(t0);
  return s;
}

std::vector<MicroBatch> step_minibatches(const Model& m, const Model* ref, const Rollout& r, const Scored& s,
                                         const std::vector<TrainPrompt>& prompts, const std::vector<size_t>& chosen,
                                         const RunConfig& cfg, int64_t step, const std::vector<int32_t>& stop_ids) {
  const int64_t n = static_cast<int64_t>(r.samples.size());
  const int64_t micro = cfg.train_batch / cfg.grad_accum;
  auto order = permutation(n, stream_seed(static_cast<uint64_t>(cfg.seed), kSaltMinibatch, static_cast<uint64_t>(step)));
  std::vector<MicroBatch> micros;
  for (int64_t b = 0; b < n; b += micro) {
    MicroBatch mb;
    std::vector<double> a;
    for (int64_t k = b; k < b + micro; ++k) {
      const auto idx = static_cast<size_t>(order[static_cast<size_t>(k)]);
      const Sample& x = r.samples[idx];
      mb.prompt.push_back(prompts[chosen[static_cast<size_t>(x.prompt_index)]].ids);
      std::vector<int32_t> resp = x.ids;
      if (resp.empty()) resp.push_back(stop_ids.empty() ? 0 : stop_ids[0]);  // a zero-length response still gets a token
      mb.tokens += static_cast<double>(mb.prompt.back().size() + resp.size());
      mb.resp.push_back(std::move(resp));
      a.push_back(s.adv[idx]);
    }
    mb.adv = torch::tensor(a, torch::kFloat64).to(torch::kFloat32).to(m.device);
    {
      torch::NoGradGuard no_grad;
      mb.old_logp = response_logprobs(m, mb.prompt, mb.resp).logprobs.detach();
      if (ref) mb.ref_logp = response_logprobs(*ref, mb.prompt, mb.resp).logprobs.detach();
    }
    micros.push_back(std::move(mb));
  }
  return micros;
}

UpdateStats step_update(std::vector<MicroBatch>& micros, const Model& m, torch::optim::Adam& opt,
                        std::vector<torch::Tensor>& params, const RunConfig& cfg, const PolicyLossOptions& lopt,
                        int64_t& updates_done) {
  auto t0 = std::chrono::steady_clock::now();
  UpdateStats u;
  const int64_t U = cfg.updates_per_rollout();
  for (int64_t k = 0; k < U; ++k) {
    opt.zero_grad();
    for (int64_t a = 0; a < cfg.grad_accum; ++a) {
      MicroBatch& mb = micros[static_cast<size_t>(k * cfg.grad_accum + a)];
      ResponseLogprobs lp = response_logprobs(m, mb.prompt, mb.resp);
      PolicyLossOut out = policy_loss(lp.logprobs, mb.old_logp, mb.adv, lp.mask, lopt, mb.ref_logp);
      double lv = out.loss.item<double>();
      if (!std::isfinite(lv)) throw std::runtime_error("loss is " + std::to_string(lv));
      (out.loss / static_cast<double>(cfg.grad_accum)).backward();
      u.clip_lo += out.clip_frac_low;
      u.clip_hi += out.clip_frac_high;
      u.approx_kl += out.approx_kl;
      u.kl_ref += out.kl_ref;
      u.loss_sum += lv;
      u.train_tokens += mb.tokens;
    }
    auto t_opt = std::chrono::steady_clock::now();
    double gn = cfg.grad_clip > 0 ? torch::nn::utils::clip_grad_norm_(params, cfg.grad_clip)
                                  : torch::nn::utils::clip_grad_norm_(params, 1e30);
    if (!std::isfinite(gn)) throw std::runtime_error("gradient norm is " + std::to_string(gn));
    u.gnorm_sum += gn;
    const double warm = cfg.warmup_steps > 0
                            ? std::min(1.0, static_cast<double>(updates_done + 1) / static_cast<double>(cfg.warmup_steps))
                            : 1.0;
    u.lr = cfg.lr * warm;
    for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(u.lr);
    opt.step();
    ++updates_done;
    u.optimizer_seconds += seconds_since(t_opt);
  }
  u.seconds = seconds_since(t0);
  return u;
}

std::map<std::string, double> step_metrics_row(const Scored& s, const UpdateStats& u, const Rollout& r,
                                               const RunConfig& cfg, double step_seconds) {
  const double nmicro = static_cast<double>(cfg.updates_per_rollout() * cfg.grad_accum);
  std::map<std::string, double> met = eval_metrics(s.graded, s.lengths, s.truncated);
  std::map<std::string, double> row;
  double rsum = 0;
  for (double x : s.rewards) rsum += x;
  row["reward_mean"] = rsum / static_cast<double>(s.rewards.size());
  row["train_accuracy"] = met["accuracy"];
  row["code_frequency"] = met["code_frequency"];
  row["code_frequency_strict"] = met["code_frequency_strict"];
  row["boxed_rate"] = met["boxed_rate"];
  row["response_length"] = met["response_tokens"];
  row["truncated_rate"] = met["truncated_rate"];
  row["clip_frac_low"] = u.clip_lo / nmicro;
  row["clip_frac_high"] = u.clip_hi / nmicro;
  row["clip_frac"] = (u.clip_lo + u.clip_hi) / nmicro;
  row["adv_zero_frac"] = s.adv_zero / static_cast<double>(s.adv.size());
  row["approx_kl"] = u.approx_kl / nmicro;
  row["kl_ref"] = u.kl_ref / nmicro;
  row["entropy"] = s.gen_tokens > 0 ? s.neg_logp / s.gen_tokens : 0.0;  // Monte-Carlo: mean -log p of sampled tokens
  row["loss"] = u.loss_sum / nmicro;
  row["grad_norm"] = u.gnorm_sum / static_cast<double>(cfg.updates_per_rollout());
  row["lr"] = u.lr;
  row["rollout_tokens_per_s"] = r.seconds > 0 ? s.gen_tokens / r.seconds : 0.0;
  row["train_tokens_per_s"] = u.seconds > 0 ? u.train_tokens / u.seconds : 0.0;
  row["step_seconds"] = step_seconds;
  return row;
}

PolicyLossOptions policy_loss_options(const RunConfig& cfg) {
  PolicyLossOptions o;
  o.clip = cfg.clip;
  o.clip_low = cfg.clip_low;
  o.clip_high = cfg.clip_high;
  o.dual_clip = cfg.dual_clip;
  o.agg = cfg.loss_agg;
  o.max_response_len = static_cast<double>(cfg.max_response_len);
  o.kl_coef = cfg.kl_coef;
  o.kl_estimator = cfg.kl_estimator;
  o.entropy_coef = cfg.entropy_coef;
  o.bug = cfg.bug;
  o.unclipped = cfg.unclipped;
  return o;
}

AdvantageOptions advantage_options(const RunConfig& cfg) {
  AdvantageOptions o;
  o.group_mean = cfg.group_mean;
  o.std_normalize = cfg.std_normalize;
  o.batch_whiten = cfg.batch_whiten;
  return o;
}

}  // namespace rlvr
