// metric.h: every metric rlvrbench writes or judges, in one registry: its name (the key in the
// database's step_metrics.key and evals.metric columns), where it is logged, how it is averaged,
// and how it is read.
// The trainer, the evaluator, ingest, golden, report and query all take names from here, so a
// renamed metric fails to compile or fails metric_find, never turns a claim silently MISSING.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "util/enum_names.h"

namespace rlvr {

enum class Metric : uint8_t {
  // per evaluation, the mean over its graded responses (eval_items): pairable per problem
  accuracy, code_frequency, code_frequency_strict, accuracy_code, accuracy_language, boxed_rate,
  // per evaluation, over responses but not per problem
  unsure, response_tokens, truncated_rate,
  // the contamination probe (evals at step 0)
  probe_exact_match, probe_rouge_l, probe_accuracy, probe_problems,
  // per training step
  reward_mean, train_accuracy, loss, clip_frac, clip_frac_low, clip_frac_high, approx_kl, kl_ref, entropy, response_length,
  adv_zero_frac, grad_norm, lr,
  // per training step, timing (differs run to run: tests that compare runs skip these)
  step_seconds, rollout_tokens_per_s, train_tokens_per_s, comm_seconds, allreduce_seconds,
};

// Where a metric is logged (a name may be both: code_frequency of an evaluation and of a step's
// rollouts).
enum MetricWhere : uint8_t { kInEval = 1, kInStep = 2 };

// What a golden claim may say about it.
enum class MetricClaim : uint8_t {
  none,
  gain,    // gain and contrast claims: per problem in eval_items, so paired statistics apply
  marker,  // marker claims: a step metric's mean over a step range
  probe,   // probe claims: a contamination-probe value against a bound
};
constexpr EnumName<MetricClaim> kMetricClaimNames[] = {
    {MetricClaim::none, ""}, {MetricClaim::gain, "gain"}, {MetricClaim::marker, "marker"}, {MetricClaim::probe, "probe"}};
constexpr std::span<const EnumName<MetricClaim>> enum_names(MetricClaim) { return kMetricClaimNames; }

// How a metric's one value per evaluation or per step is averaged from what it is made of: what a
// reader must know before comparing it across settings (a token mean moves with response length, a
// micro-batch mean with the batch split, a response mean with neither).
enum class MetricAvg : uint8_t {
  response_mean,     // mean over the graded responses, each once: an evaluation's problems x samples
                     // (with k samples each, the mean over problems of each problem's mean) or a step's rollouts
  strategy_mean,     // the same over only the responses of one strategy (code or language); NaN when there is none
  problem_mean,      // mean over the probed problems, one greedy completion each
  token_mean,        // mean over every sampled token of the step's rollouts (each response weighs its length)
  micro_token_mean,  // mean over the step's micro-batches (updates x grad_accum) of each micro-batch's mean
                     // over its response tokens in the loss: a short micro-batch weighs as much as a long one
  update_mean,       // mean over the step's optimizer updates of a per-update value (loss: as train.loss_agg
                     // aggregates it; grad_norm: before clipping)
  last_update,       // the value at the step's last optimizer update
  total,             // a sum, not a mean: a count of responses or problems, or seconds of the whole step
  rate,              // a step total over the step's seconds of that stage (tokens a second)
};
constexpr EnumName<MetricAvg> kMetricAvgNames[] = {
    {MetricAvg::response_mean, "response-mean"}, {MetricAvg::strategy_mean, "strategy-mean"},
    {MetricAvg::problem_mean, "problem-mean"},   {MetricAvg::token_mean, "token-mean"},
    {MetricAvg::micro_token_mean, "micro-token-mean"}, {MetricAvg::update_mean, "update-mean"},
    {MetricAvg::last_update, "last-update"},     {MetricAvg::total, "total"},
    {MetricAvg::rate, "rate"}};
constexpr std::span<const EnumName<MetricAvg>> enum_names(MetricAvg) { return kMetricAvgNames; }

struct MetricInfo {
  Metric id;
  std::string_view name;
  uint8_t where;        // MetricWhere bits
  MetricClaim claim;
  bool log_scale;       // a marker judged on log scale (positive, regressions multiplicative: lr / 10 divides approx_kl by ~100)
  bool timing;          // wall-clock derived: never compared between runs
  MetricAvg averaged;   // how its value is averaged (per evaluation or per step)
  std::string_view what;
};

inline constexpr MetricInfo kMetrics[] = {
    {Metric::accuracy, "accuracy", kInEval, MetricClaim::gain, false, false, MetricAvg::response_mean, "fraction of responses graded correct"},
    {Metric::code_frequency, "code_frequency", kInEval | kInStep, MetricClaim::gain, false, false, MetricAvg::response_mean, "fraction of responses with code reasoning (the paper's detector)"},
    {Metric::code_frequency_strict, "code_frequency_strict", kInEval | kInStep, MetricClaim::none, false, false, MetricAvg::response_mean, "the same by the strict detector"},
    {Metric::accuracy_code, "accuracy_code", kInEval, MetricClaim::none, false, false, MetricAvg::strategy_mean, "accuracy of the code responses (NaN: none)"},
    {Metric::accuracy_language, "accuracy_language", kInEval, MetricClaim::none, false, false, MetricAvg::strategy_mean, "accuracy of the language responses (NaN: none)"},
    {Metric::boxed_rate, "boxed_rate", kInEval | kInStep, MetricClaim::none, false, false, MetricAvg::response_mean, "fraction of responses with a \\boxed answer"},
    {Metric::unsure, "unsure", kInEval, MetricClaim::none, false, false, MetricAvg::total, "responses the strict grader could not decide (a count)"},
    {Metric::response_tokens, "response_tokens", kInEval, MetricClaim::none, false, false, MetricAvg::response_mean, "mean response length in tokens"},
    {Metric::truncated_rate, "truncated_rate", kInEval | kInStep, MetricClaim::none, false, false, MetricAvg::response_mean, "fraction of responses cut at the token limit"},
    {Metric::probe_exact_match, "probe_exact_match", kInEval, MetricClaim::probe, false, false, MetricAvg::problem_mean, "contamination probe: completions equal to the problem's rest"},
    {Metric::probe_rouge_l, "probe_rouge_l", kInEval, MetricClaim::probe, false, false, MetricAvg::problem_mean, "contamination probe: mean ROUGE-L of the completions"},
    {Metric::probe_accuracy, "probe_accuracy", kInEval, MetricClaim::probe, false, false, MetricAvg::problem_mean, "contamination probe: accuracy of the completed problems"},
    {Metric::probe_problems, "probe_problems", kInEval, MetricClaim::none, false, false, MetricAvg::total, "contamination probe: problems probed"},
    {Metric::reward_mean, "reward_mean", kInStep, MetricClaim::none, false, false, MetricAvg::response_mean, "mean reward of the step's responses"},
    {Metric::train_accuracy, "train_accuracy", kInStep, MetricClaim::none, false, false, MetricAvg::response_mean, "fraction of the step's responses graded correct"},
    {Metric::loss, "loss", kInStep, MetricClaim::none, false, false, MetricAvg::update_mean, "the policy loss (plus KL term)"},
    {Metric::clip_frac, "clip_frac", kInStep, MetricClaim::marker, true, false, MetricAvg::micro_token_mean, "fraction of response tokens whose ratio was clipped"},
    {Metric::clip_frac_low, "clip_frac_low", kInStep, MetricClaim::none, false, false, MetricAvg::micro_token_mean, "clipped at 1 - clip_low"},
    {Metric::clip_frac_high, "clip_frac_high", kInStep, MetricClaim::none, false, false, MetricAvg::micro_token_mean, "clipped at 1 + clip_high"},
    {Metric::approx_kl, "approx_kl", kInStep, MetricClaim::marker, true, false, MetricAvg::micro_token_mean, "mean k3 estimate of the KL of the rollout-time policy to the policy being trained"},
    {Metric::kl_ref, "kl_ref", kInStep, MetricClaim::none, false, false, MetricAvg::micro_token_mean, "KL to the reference model"},
    {Metric::entropy, "entropy", kInStep, MetricClaim::marker, false, false, MetricAvg::token_mean, "mean token entropy of the responses"},
    {Metric::response_length, "response_length", kInStep, MetricClaim::marker, false, false, MetricAvg::response_mean, "mean response length in tokens"},
    {Metric::adv_zero_frac, "adv_zero_frac", kInStep, MetricClaim::marker, false, false, MetricAvg::response_mean, "fraction of the step's responses whose final advantage is exactly zero (rl/advantage.h)"},
    {Metric::grad_norm, "grad_norm", kInStep, MetricClaim::none, false, false, MetricAvg::update_mean, "gradient norm before clipping"},
    {Metric::lr, "lr", kInStep, MetricClaim::none, false, false, MetricAvg::last_update, "learning rate of the step"},
    {Metric::step_seconds, "step_seconds", kInStep, MetricClaim::none, false, true, MetricAvg::total, "wall time of the step"},
    {Metric::rollout_tokens_per_s, "rollout_tokens_per_s", kInStep, MetricClaim::none, false, true, MetricAvg::rate, "rollout tokens a second"},
    {Metric::train_tokens_per_s, "train_tokens_per_s", kInStep, MetricClaim::none, false, true, MetricAvg::rate, "trained tokens a second"},
    {Metric::comm_seconds, "comm_seconds", kInStep, MetricClaim::none, false, true, MetricAvg::total, "data parallel: time in collectives and gathers"},
    {Metric::allreduce_seconds, "allreduce_seconds", kInStep, MetricClaim::none, false, true, MetricAvg::total, "data parallel: time in the gradient all-reduce"},
};

// The name table util/enum_names.h reads, derived from the registry (one list to edit).
inline constexpr auto kMetricNames = [] {
  std::array<EnumName<Metric>, std::size(kMetrics)> a{};
  for (size_t i = 0; i < a.size(); ++i) a[i] = {kMetrics[i].id, kMetrics[i].name};
  return a;
}();
constexpr std::span<const EnumName<Metric>> enum_names(Metric) { return kMetricNames; }

// The registry row of `m` (every Metric has one: metric_test checks it).
constexpr const MetricInfo& metric_info(Metric m) {
  for (const auto& x : kMetrics)
    if (x.id == m) return x;
  return kMetrics[0];  // unreachable for a Metric of this enum
}
// The database key: "accuracy", ...
constexpr std::string_view metric_key(Metric m) { return metric_info(m).name; }
// The same as a C string, for printf and for concatenating with std::string (the registry's names
// are literals: NUL-terminated).
constexpr const char* metric_cstr(Metric m) { return metric_key(m).data(); }
// How many metrics a claim of `kind` may be about, and their names in registry order.
constexpr size_t metric_count(MetricClaim kind) {
  size_t n = 0;
  for (const auto& m : kMetrics) n += m.claim == kind;
  return n;
}
template <MetricClaim K>
constexpr std::array<const char*, metric_count(K)> metric_names_for() {
  std::array<const char*, metric_count(K)> a{};
  size_t i = 0;
  for (const auto& m : kMetrics)
    if (m.claim == K) a[i++] = m.name.data();  // the registry's literals: NUL-terminated
  return a;
}

// The registry row named `name`, or nullptr (a key another trainer logged, a typo).
const MetricInfo* metric_find(std::string_view name);
// "a, b, c": the names a claim of `kind` may use, for error messages.
std::string metric_list(MetricClaim kind);

}  // namespace rlvr
