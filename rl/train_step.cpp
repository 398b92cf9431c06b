// train_step.cpp: the stages of one GRPO step (train_step.h). The arithmetic and its order are
// the trainer's contract with its goldens: a change here that moves a bit moves every stored run.
#include "rl/train_step.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "eval/evaluate.h"
#include "models/logprobs.h"
#include "results/metric.h"
#include "util/error.h"
#include "util/hash.h"

namespace rlvr {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Data parallel: each parameter's gradient summed over ranks, in one flat all-reduce (the same
// bits on every rank, so every rank's clip and Adam step agree).
void grad_allreduce(std::vector<torch::Tensor>& params, const Dist& dist) {
  std::vector<torch::Tensor> gs;
  for (auto& p : params) gs.push_back(p.grad().defined() ? p.grad().reshape({-1}) : torch::zeros({p.numel()}, p.options()));
  torch::Tensor flat = torch::cat(gs);
  dist.allreduce_sum(flat);
  int64_t off = 0;
  for (auto& p : params) {
    const int64_t n = p.numel();
    torch::Tensor g = flat.narrow(0, off, n).view(p.sizes());
    if (p.grad().defined()) p.mutable_grad().copy_(g);
    else p.mutable_grad() = g.clone();
    off += n;
  }
}

// The tensors train.weight_decay shrinks: the matrices, not the norms or biases (what HF's Trainer,
// OpenRLHF and the zoo's pretraining decay; zoo/zoo_train.cpp).
std::vector<torch::Tensor> decayed_params(const Model& m) {
  std::vector<torch::Tensor> out = {m.w.embed, m.w.qkv_w, m.w.o_w, m.w.gate_up_w, m.w.down_w};
  if (!m.config.tie_word_embeddings) out.push_back(m.w.lm_head);
  return out;
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
                     const RunConfig& cfg, int64_t step, const EvalStops& stops, const DecodeFn& decode,
                     int64_t slot_lo, int64_t slot_hi) {
  auto t0 = std::chrono::steady_clock::now();
  Rollout r;
  std::vector<SamplePrompt> sps;
  if (slot_hi < 0) slot_hi = static_cast<int64_t>(chosen.size());
  for (size_t i = 0; i < chosen.size(); ++i) {
    r.slot_ids.push_back(prompts[chosen[i]].item->id + "#" + std::to_string(i));
    const auto slot = static_cast<int64_t>(i);
    if (slot >= slot_lo && slot < slot_hi) sps.push_back({r.slot_ids.back(), prompts[chosen[i]].ids});
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
  for (Sample& x : r.samples) x.prompt_index += slot_lo;  // the global slot
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

namespace {

// One sample as the ranks exchange it (doubles: token ids < 2^53 are exact). record_visit names the
// fields in their one order, so packing and unpacking cannot disagree: a new field is added there.
struct SampleRecord {
  double prompt_index = 0, sample_index = 0, finish = 0, reward = 0;
  double correct = 0, unsure = 0, boxed = 0, has_code = 0, has_code_strict = 0, has_extracted = 0;
  double length = 0, truncated = 0, neg_logp = 0;
  std::vector<int32_t> ids;
};

template <class R, class F>
void record_visit(R& r, F&& f) {
  for (auto* x : {&r.prompt_index, &r.sample_index, &r.finish, &r.reward, &r.correct, &r.unsure, &r.boxed, &r.has_code,
                  &r.has_code_strict, &r.has_extracted, &r.length, &r.truncated, &r.neg_logp})
    f(*x);
}

void record_pack(const SampleRecord& rec, std::vector<double>& out) {
  record_visit(rec, [&](double v) { out.push_back(v); });
  out.push_back(static_cast<double>(rec.ids.size()));
  for (int32_t id : rec.ids) out.push_back(static_cast<double>(id));
}

// Reads the record at v[p] and returns the position after it.
size_t record_unpack(const std::vector<double>& v, size_t p, SampleRecord& rec) {
  record_visit(rec, [&](double& x) { x = v[p++]; });
  const auto n = static_cast<size_t>(v[p++]);
  for (size_t k = 0; k < n; ++k) rec.ids.push_back(static_cast<int32_t>(v[p + k]));
  return p + n;
}

SampleRecord record_of(const Sample& x, const Graded& g, double reward, int64_t length, bool truncated) {
  SampleRecord rec;
  rec.prompt_index = static_cast<double>(x.prompt_index);
  rec.sample_index = static_cast<double>(x.sample_index);
  rec.finish = static_cast<double>(static_cast<int>(x.finish));
  rec.reward = reward;
  rec.correct = g.correct, rec.unsure = g.unsure, rec.boxed = g.boxed;
  rec.has_code = g.has_code, rec.has_code_strict = g.has_code_strict, rec.has_extracted = g.extracted.has_value();
  rec.length = static_cast<double>(length);
  rec.truncated = truncated;
  for (float lp : x.logprobs) rec.neg_logp -= lp;
  rec.ids = x.ids;
  return rec;
}

// A gathered record into the full step's rollout and scores.
void record_add(SampleRecord&& rec, Rollout& full, Scored& f) {
  Sample x;
  x.prompt_index = static_cast<int64_t>(rec.prompt_index);
  x.sample_index = static_cast<int64_t>(rec.sample_index);
  x.finish = static_cast<FinishReason>(static_cast<int>(rec.finish));
  f.rewards.push_back(rec.reward);
  Graded g;
  g.correct = rec.correct != 0, g.unsure = rec.unsure != 0, g.boxed = rec.boxed != 0;
  g.has_code = rec.has_code != 0, g.has_code_strict = rec.has_code_strict != 0;
  if (rec.has_extracted != 0) g.extracted = std::string();  // the text stays with its rank
  f.graded.push_back(std::move(g));
  f.lengths.push_back(static_cast<int64_t>(rec.length));
  f.truncated.push_back(rec.truncated != 0);
  f.neg_logp += rec.neg_logp;
  f.gen_tokens += static_cast<double>(rec.ids.size());
  x.ids = std::move(rec.ids);
  full.samples.push_back(std::move(x));
}

}  // namespace

void step_gather(const Dist& dist, Rollout& r, Scored& s, int64_t G, const AdvantageOptions& aopt) {
  std::vector<double> mine;
  for (size_t i = 0; i < r.samples.size(); ++i)
    record_pack(record_of(r.samples[i], s.graded[i], s.rewards[i], s.lengths[i], s.truncated[i]), mine);
  const std::vector<std::vector<double>> all = dist.allgather(mine);
  Rollout full;
  full.slot_ids = r.slot_ids;
  full.seconds = r.seconds;
  Scored f;
  f.seconds = s.seconds;
  for (const std::vector<double>& v : all) {  // rank order is slot order: ranks hold contiguous slots
    for (size_t p = 0; p < v.size();) {
      SampleRecord rec;
      p = record_unpack(v, p, rec);
      record_add(std::move(rec), full, f);
    }
  }
  f.adv = advantage_grpo(f.rewards, G, f.lengths, aopt);
  for (double a : f.adv) f.adv_zero += std::abs(a) < 1e-12;
  r = std::move(full);
  s = std::move(f);
}

std::vector<int64_t> minibatch_order(const RunConfig& cfg, int64_t step, int64_t n) {
  return permutation(n, stream_seed(static_cast<uint64_t>(cfg.seed), kSaltMinibatch, static_cast<uint64_t>(step)));
}

std::vector<MicroBatch> step_minibatches(const Model& m, const Model* ref, const Rollout& r, const Scored& s,
                                         const std::vector<TrainPrompt>& prompts, const std::vector<size_t>& chosen,
                                         const RunConfig& cfg, int64_t step, const std::vector<int32_t>& stop_ids,
                                         int64_t rank, int64_t world) {
  const int64_t n = static_cast<int64_t>(r.samples.size());
  const int64_t micro = cfg.train_batch / cfg.grad_accum;
  const int64_t share = micro / world;  // the caller checks that world divides the micro-batch
  const std::vector<int64_t> order = minibatch_order(cfg, step, n);
  // A response's tokens in the loss (an empty response still gets one).
  auto resp_tokens = [&](int64_t k) {
    return std::max<double>(1.0, static_cast<double>(r.samples[static_cast<size_t>(order[static_cast<size_t>(k)])].ids.size()));
  };
  const bool token_agg = cfg.loss_agg == LossAgg::token_mean || cfg.loss_agg == LossAgg::micro_token_mean;
  std::vector<MicroBatch> micros;
  for (int64_t b = 0; b < n; b += micro) {
    MicroBatch mb;
    std::vector<double> a;
    const int64_t lo = b + rank * share, hi = lo + share;
    double all = 0, mine = 0;
    for (int64_t k = b; k < b + micro; ++k) (k >= lo && k < hi ? mine : all) += resp_tokens(k);
    all += mine;
    if (world > 1) {
      mb.token_share = mine / all;
      mb.loss_share = token_agg ? mb.token_share : 1.0 / static_cast<double>(world);
    }
    {
      const int64_t u0 = b / cfg.train_batch * cfg.train_batch;  // the update's first response
      double update_tokens = 0;
      for (int64_t k = u0; k < u0 + cfg.train_batch; ++k) update_tokens += resp_tokens(k);
      mb.update_token_share = mine / update_tokens;
    }
    for (int64_t k = lo; k < hi; ++k) {
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
      // On the CPU the first update's micro-batches take their old log-probs from that update's
      // own forward (step_update): its weights have not moved yet, and there a forward with
      // autograd gives the bits of one without (rl/train_step_test.cpp), so a pass here would only
      // repeat it. Elsewhere (CUDA attention kernels may differ with autograd) the pass stays.
      if (b >= cfg.train_batch || !m.device.is_cpu())
        mb.old_logp = response_logprobs(m, mb.prompt, mb.resp).logprobs.detach();
      if (ref) mb.ref_logp = response_logprobs(*ref, mb.prompt, mb.resp).logprobs.detach();
    }
    micros.push_back(std::move(mb));
  }
  return micros;
}

torch::Tensor micro_loss_term(const torch::Tensor& loss, const MicroBatch& mb, const RunConfig& cfg, bool parallel) {
  if (cfg.loss_agg == LossAgg::token_mean) return loss * mb.update_token_share;
  if (parallel) return loss * (mb.loss_share / static_cast<double>(cfg.grad_accum));
  return loss / static_cast<double>(cfg.grad_accum);
}

namespace {

// The response tokens that carry the policy loss: every one, or under the isolation arm only each
// response's leading ones, the first N (train.loss_first_tokens) or those through its strategy
// token (mb.loss_len, train.loss_through_tokens).
torch::Tensor loss_mask(const torch::Tensor& mask, const MicroBatch& mb, const RunConfig& cfg) {
  if (!mb.loss_len.defined() && cfg.loss_first_tokens == 0) return mask;
  const torch::Tensor pos = torch::arange(mask.size(1), torch::TensorOptions().dtype(torch::kLong).device(mask.device()));
  const torch::Tensor keep = mb.loss_len.defined() ? pos.unsqueeze(0) < mb.loss_len.to(mask.device()).unsqueeze(1)
                                                   : pos < cfg.loss_first_tokens;
  return torch::logical_and(mask, keep).to(mask.dtype());
}

}  // namespace

UpdateStats step_update(std::vector<MicroBatch>& micros, const Model& m, torch::optim::Adam& opt,
                        std::vector<torch::Tensor>& params, const RunConfig& cfg, const PolicyLossOptions& lopt,
                        int64_t& updates_done, const Dist* dist) {
  auto t0 = std::chrono::steady_clock::now();
  UpdateStats u;
  const bool parallel = dist && dist->active();
  const int64_t U = cfg.updates_per_rollout();
  for (int64_t k = 0; k < U; ++k) {
    opt.zero_grad();
    for (int64_t a = 0; a < cfg.grad_accum; ++a) {
      MicroBatch& mb = micros[static_cast<size_t>(k * cfg.grad_accum + a)];
      ResponseLogprobs lp = response_logprobs(m, mb.prompt, mb.resp);
      if (!mb.old_logp.defined()) {  // the first update's (step_minibatches): the weights are still the rollout's
        if (k != 0) throw std::logic_error("step_update: a micro-batch past the first update has no old log-probs");
        mb.old_logp = lp.logprobs.detach();
      }
      PolicyLossOut out = policy_loss(lp.logprobs, mb.old_logp, mb.adv, loss_mask(lp.mask, mb, cfg), lopt, mb.ref_logp);
      double lv = out.loss.item<double>();
      if (!std::isfinite(lv)) throw std::runtime_error("loss is " + std::to_string(lv));
      // This rank's share of the micro-batch's loss: the ranks' shares sum to the whole one.
      micro_loss_term(out.loss, mb, cfg, parallel).backward();
      // loss_sum / (updates x grad_accum) is the mean of the updates' losses.
      const double loss_part = cfg.loss_agg == LossAgg::token_mean
                                   ? lv * mb.update_token_share * static_cast<double>(cfg.grad_accum)
                                   : (parallel ? lv * mb.loss_share : lv);
      if (parallel) {
        u.clip_lo += out.clip_frac_low * mb.token_share;
        u.clip_hi += out.clip_frac_high * mb.token_share;
        u.approx_kl += out.approx_kl * mb.token_share;
        u.kl_ref += out.kl_ref * mb.token_share;
      } else {
        u.clip_lo += out.clip_frac_low;
        u.clip_hi += out.clip_frac_high;
        u.approx_kl += out.approx_kl;
        u.kl_ref += out.kl_ref;
      }
      u.loss_sum += loss_part;
      u.train_tokens += mb.tokens;
    }
    if (parallel) {
      auto t_comm = std::chrono::steady_clock::now();
      grad_allreduce(params, *dist);
      u.comm_seconds += seconds_since(t_comm);
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
    // Adam's own weight_decay would add wd x w to the gradient (L2); the decay every reference
    // means is AdamW's, decoupled: w *= 1 - lr x wd before the Adam step (PyTorch's AdamW). So the
    // optimizer's stays 0 (also for a checkpoint written when it was not) and the decay is here.
    for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(u.lr).weight_decay(0.0);
    if (cfg.weight_decay != 0.0) {
      torch::NoGradGuard no_grad;
      for (auto& t : decayed_params(m)) t.mul_(1.0 - u.lr * cfg.weight_decay);
    }
    opt.step();
    ++updates_done;
    u.optimizer_seconds += seconds_since(t_opt);
  }
  if (parallel) {  // the step's sums over every rank's share
    auto t_comm = std::chrono::steady_clock::now();
    at::Tensor sums = torch::tensor({u.clip_lo, u.clip_hi, u.approx_kl, u.kl_ref, u.loss_sum, u.train_tokens}, torch::kFloat64);
    dist->allreduce_sum(sums);
    const double* p = sums.data_ptr<double>();
    u.clip_lo = p[0], u.clip_hi = p[1], u.approx_kl = p[2], u.kl_ref = p[3], u.loss_sum = p[4], u.train_tokens = p[5];
    u.comm_seconds += seconds_since(t_comm);
  }
  u.seconds = seconds_since(t0);
  return u;
}

std::map<std::string, double> step_metrics_row(const Scored& s, const UpdateStats& u, const Rollout& r,
                                               const RunConfig& cfg, double step_seconds) {
  const double nmicro = static_cast<double>(cfg.updates_per_rollout() * cfg.grad_accum);
  std::map<std::string, double> met = eval_metrics(s.graded, s.lengths, s.truncated);
  std::map<std::string, double> row;
  auto key = [](Metric k) { return std::string(metric_key(k)); };  // results/metric.h: every key registered
  double rsum = 0;
  for (double x : s.rewards) rsum += x;
  row[key(Metric::reward_mean)] = rsum / static_cast<double>(s.rewards.size());
  row[key(Metric::train_accuracy)] = met[key(Metric::accuracy)];
  row[key(Metric::code_frequency)] = met[key(Metric::code_frequency)];
  row[key(Metric::code_frequency_strict)] = met[key(Metric::code_frequency_strict)];
  row[key(Metric::boxed_rate)] = met[key(Metric::boxed_rate)];
  row[key(Metric::response_length)] = met[key(Metric::response_tokens)];
  row[key(Metric::truncated_rate)] = met[key(Metric::truncated_rate)];
  row[key(Metric::clip_frac_low)] = u.clip_lo / nmicro;
  row[key(Metric::clip_frac_high)] = u.clip_hi / nmicro;
  row[key(Metric::clip_frac)] = (u.clip_lo + u.clip_hi) / nmicro;
  row[key(Metric::adv_zero_frac)] = s.adv_zero / static_cast<double>(s.adv.size());
  row[key(Metric::approx_kl)] = u.approx_kl / nmicro;
  row[key(Metric::kl_ref)] = u.kl_ref / nmicro;
  row[key(Metric::entropy)] = s.gen_tokens > 0 ? s.neg_logp / s.gen_tokens : 0.0;  // Monte-Carlo: mean -log p of sampled tokens
  row[key(Metric::loss)] = u.loss_sum / nmicro;
  row[key(Metric::grad_norm)] = u.gnorm_sum / static_cast<double>(cfg.updates_per_rollout());
  row[key(Metric::lr)] = u.lr;
  row[key(Metric::rollout_tokens_per_s)] = r.seconds > 0 ? s.gen_tokens / r.seconds : 0.0;
  row[key(Metric::train_tokens_per_s)] = u.seconds > 0 ? u.train_tokens / u.seconds : 0.0;
  row[key(Metric::step_seconds)] = step_seconds;
  return row;
}

std::unique_ptr<torch::optim::Adam> train_optimizer(const std::vector<torch::Tensor>& params, const RunConfig& cfg) {
  // weight_decay 0: step_update applies train.weight_decay decoupled, as AdamW does.
  return std::make_unique<torch::optim::Adam>(params, torch::optim::AdamOptions(cfg.lr)
                                                          .betas({cfg.beta1, cfg.beta2})
                                                          .eps(cfg.adam_eps)
                                                          .weight_decay(0.0));
}

torch::Tensor loss_through_lengths(const std::vector<std::vector<int32_t>>& resp, const std::vector<int32_t>& through) {
  std::vector<int64_t> n(resp.size(), 0);
  for (size_t b = 0; b < resp.size(); ++b)
    for (size_t t = 0; t < resp[b].size(); ++t)
      if (std::find(through.begin(), through.end(), resp[b][t]) != through.end()) {
        n[b] = static_cast<int64_t>(t) + 1;
        break;
      }
  return torch::tensor(n, torch::kLong);
}

std::vector<int32_t> loss_through_ids(const std::string& texts, const Tokenizer& tok, const std::string& model_path) {
  std::vector<int32_t> ids;
  if (texts.empty()) return ids;
  size_t from = 0;
  for (;;) {
    const size_t bar = texts.find('|', from);
    const std::string text = texts.substr(from, bar == std::string::npos ? std::string::npos : bar - from);
    const std::vector<int32_t> enc = tok.encode(text);
    if (enc.size() != 1)
      throw_input("train.loss_through_tokens", "'" + text + "' is not one token of " + model_path + "'s tokenizer (it encodes to " +
                                                   std::to_string(enc.size()) + ")");
    ids.push_back(enc[0]);
    if (bar == std::string::npos) return ids;
    from = bar + 1;
  }
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
