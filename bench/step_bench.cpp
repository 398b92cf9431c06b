// step_bench: one GRPO step of a zoo-shaped model, stage by stage, through the trainer's own
// stage functions (rl/train_step.h), against this machine's fp32 GEMM peak measured in the same
// run at the same thread count.
//
// Models (arg "model"): 0 = the shapes of models/zoo/synth-qwen-math-7b.toml (qwen2, L=4, C=128,
// H=4, K=2, D=32, F=384); 1 = synth-micro's, the quick suite's model (L=2, C=64, H=4, K=2, D=16,
// F=192). Both with V=520 (the zoo BPE: 256 bytes + 256 merges + 8 special tokens), random weights.
// Rollout: P prompts of 48 tokens x G=8 samples, 64 new tokens each (no EOS, so every response
// has the same length); 8 updates per rollout; Adam. Args: responses per rollout, threads, model.
// responses=128 on model 1 is the quick recipe (16 prompts x 8 samples, 8 updates, ~62 tokens).
//
// Counters (per stage: rollout, score, old_logp, fwd_bwd, optimizer):
//   *_s        seconds of the stage per step
//   *_tok/s    tokens through the stage per second (rollout: sampled tokens; logp, fwd_bwd: prompt + response)
//   *_GFLOP/s  useful FLOPs per second: prefill once per prompt plus one decode step per sampled
//              token (rollout), one teacher-forced forward with the head at the response positions
//              (old_logp), forward + backward = 3 such forwards
//   *_of_peak  GFLOP/s over the GEMM peak at the same thread count
//   optimizer_GB/s, optimizer_of_bw  Adam moves ~7 floats per parameter (read p, g, m, v; write p, m, v)
//   rollout_cpu_s, old_logp_cpu_s, update_cpu_s  process CPU seconds of the stage per step (update:
//              forward + backward + optimizer), what a stage cost where the machine is shared
//   *_of_peak_cpu  the stage's FLOPs per CPU second over the GEMM peak timed the same way
//              (gemm_peak_cpu_GFLOP/s): the fraction of peak that does not move with other load
//
// RLVR_STEP_PROFILE=FILE writes a chrome://tracing profile of the timed steps (LibTorch's legacy
// profiler: every ATen op with its CPU time) to FILE, for finding where a stage's time goes;
// tools/profile_ops.py sums it by op.
#include <benchmark/benchmark.h>
#include <ATen/record_function.h>
#include <torch/csrc/autograd/profiler_legacy.h>

#include <cstdlib>
#include <memory>

#include <map>
#include <string>
#include <vector>

#include "bench/bench_peaks.h"
#include "models/model.h"
#include "models/sampler.h"
#include "rl/train_step.h"

namespace {

using namespace rlvr;
using namespace rlvr::bench;

constexpr int64_t kSamplesPerPrompt = 8;   // G
constexpr int64_t kPromptTokens = 48;      // a zoo prompt's length
constexpr int64_t kResponseTokens = 64;    // the quick recipe's responses are ~60 tokens
constexpr int64_t kUpdatesPerRollout = 8;

ModelConfig step_config(int64_t which) {
  const bool micro = which == 1;
  ModelConfig c;
  c.family = Family::qwen2;
  c.vocab_size = 520;
  c.hidden_size = micro ? 64 : 128;
  c.intermediate_size = micro ? 192 : 384;
  c.num_layers = micro ? 2 : 4;
  c.num_heads = 4;
  c.num_kv_heads = 2;
  c.head_dim = micro ? 16 : 32;
  c.qkv_bias = true;
  c.tie_word_embeddings = true;
  c.eos_token_ids = {};
  return c;
}

struct Bench {
  Model m;
  std::vector<DatasetItem> items;
  std::vector<TrainPrompt> prompts;
};

Bench& bench_state(int64_t which) {
  static std::map<int64_t, Bench> cache;
  auto it = cache.find(which);
  if (it != cache.end()) return it->second;
  Bench& x = cache.emplace(which, Bench{model_init(step_config(which), /*seed=*/1), {}, {}}).first->second;
  {
    for (int64_t i = 0; i < 64; ++i) {
      DatasetItem d;
      d.id = std::string("p").append(std::to_string(i));
      d.problem = "problem";
      d.answer = "5";
      x.items.push_back(std::move(d));
    }
    for (int64_t i = 0; i < 64; ++i) {
      std::vector<int32_t> ids;
      for (int64_t t = 0; t < kPromptTokens; ++t) ids.push_back(static_cast<int32_t>((i * 131 + t * 17) % 520));
      x.prompts.push_back({&x.items[static_cast<size_t>(i)], "5", ids});
    }
  }
  return x;
}

// The run the bench steps: `responses` a rollout, G samples a prompt, kUpdatesPerRollout updates.
RunConfig step_run_config(int64_t responses) {
  RunConfig cfg;
  cfg.seed = 1;
  cfg.prompts_per_rollout = responses / kSamplesPerPrompt;
  cfg.samples_per_prompt = kSamplesPerPrompt;
  cfg.train_batch = responses / kUpdatesPerRollout;
  cfg.max_response_len = kResponseTokens;
  cfg.lr = 1e-4;
  return cfg;
}

// What the timed steps add up: wall seconds by stage, process CPU seconds, and tokens.
struct StageTotals {
  double t_roll = 0, t_score = 0, t_old = 0, t_fb = 0, t_opt = 0, sampled = 0, seq_tokens = 0;
  double c_roll = 0, c_old = 0, c_upd = 0;  // process CPU seconds of the stages
};

// Runs the benchmark's steps through the trainer's stage functions, summing each stage.
StageTotals run_steps(benchmark::State& state, Bench& b, const RunConfig& cfg, std::vector<torch::Tensor>& params) {
  const PolicyLossOptions lopt = policy_loss_options(cfg);
  const AdvantageOptions aopt = advantage_options(cfg);
  for (auto& p : params) p.requires_grad_(true);
  torch::optim::Adam opt(params, torch::optim::AdamOptions(cfg.lr).betas({cfg.beta1, cfg.beta2}));
  // Text for the rewards: one letter per token (the grader then sees a ~64-character response).
  DecodeFn decode = [](std::span<const int32_t> ids) {
    std::string s;
    for (int32_t id : ids) s.push_back(static_cast<char>('a' + id % 26));
    return s;
  };
  RewardFn reward = [](const RewardInput& in) { return in.response.size() % 2 == 0 ? 1.0 : 0.0; };
  GradeFn grade = [](std::string_view, std::string_view) { return Graded{}; };
  EpochOrder order(static_cast<int64_t>(b.prompts.size()), 1);

  StageTotals x;
  int64_t step = 0, updates = 0;
  std::unique_ptr<torch::autograd::profiler::RecordProfile> profile;
  if (const char* path = std::getenv("RLVR_STEP_PROFILE")) profile = std::make_unique<torch::autograd::profiler::RecordProfile>(path);
  for (auto _ : state) {
    ++step;
    auto chosen = step_prompts(order, step, cfg.prompts_per_rollout);
    // The stages as named scopes in a RLVR_STEP_PROFILE trace (tools/profile_ops.py --stage).
    double c0 = cpu_seconds();
    Rollout r = [&] {
      RECORD_USER_SCOPE("stage:rollout");
      return step_rollout(b.m, b.prompts, chosen, cfg, step, /*stops=*/{}, decode);
    }();
    double c1 = cpu_seconds();
    Scored s = step_score(r, b.prompts, chosen, reward, grade, step, kSamplesPerPrompt, aopt);
    auto t0 = Clock::now();
    double c2 = cpu_seconds();
    auto micros = [&] {
      RECORD_USER_SCOPE("stage:old_logp");
      return step_minibatches(b.m, nullptr, r, s, b.prompts, chosen, cfg, step, /*stop_ids=*/{});
    }();
    double old_s = seconds_since(t0);
    double c3 = cpu_seconds();
    UpdateStats u = [&] {
      RECORD_USER_SCOPE("stage:update");
      return step_update(micros, b.m, opt, params, cfg, lopt, updates);
    }();
    x.c_roll += c1 - c0;
    x.c_old += c3 - c2;
    x.c_upd += cpu_seconds() - c3;
    x.t_roll += r.seconds;
    x.t_score += s.seconds;
    x.t_old += old_s;
    x.t_opt += u.optimizer_seconds;
    x.t_fb += u.seconds - u.optimizer_seconds;
    x.sampled += s.gen_tokens;
    x.seq_tokens += u.train_tokens;
  }
  profile.reset();  // writes the trace
  return x;
}

// Rollout FLOPs for P prompts and R responses: prefill each prompt once, then one token per step
// attending to the prompt and the tokens so far (keys summed over the response), the head at every
// sampled position.
double rollout_flops(const ModelConfig& c, double P, double R) {
  const double decode_keys = kResponseTokens * kPromptTokens + kResponseTokens * (kResponseTokens + 1) / 2.0;
  return P * forward_flops(c, kPromptTokens, 1) +
         R * (kResponseTokens * (matmul_flops_per_token(c) + head_flops(c)) + attn_flops(c, decode_keys));
}

// The counters of the file's header from the stages' totals, against the GEMM peaks `peak`
// (wall) and `peak_cpu` (CPU time) at the bench's thread count.
void stage_counters(benchmark::State& state, const ModelConfig& c, const RunConfig& cfg, int64_t responses, const StageTotals& x,
                    const std::vector<torch::Tensor>& params, double peak, double peak_cpu) {
  const double n = static_cast<double>(state.iterations());
  const double P = static_cast<double>(cfg.prompts_per_rollout), R = static_cast<double>(responses);
  const double T = kPromptTokens + kResponseTokens;
  const double roll_flops = rollout_flops(c, P, R);
  const double fwd_flops = R * forward_flops(c, T, kResponseTokens);
  auto stage = [&](const char* name, double secs, double tokens, double flops) {
    state.counters[std::string(name) + "_s"] = secs / n;
    if (tokens > 0) state.counters[std::string(name) + "_tok/s"] = tokens / secs;
    if (flops > 0) {
      const double g = flops * n / secs / 1e9;
      state.counters[std::string(name) + "_GFLOP/s"] = g;
      state.counters[std::string(name) + "_of_peak"] = g / peak;
    }
  };
  stage("rollout", x.t_roll, x.sampled, roll_flops);
  stage("score", x.t_score, R * n, 0);
  stage("old_logp", x.t_old, x.seq_tokens, fwd_flops);
  stage("fwd_bwd", x.t_fb, x.seq_tokens, 3 * fwd_flops);
  stage("optimizer", x.t_opt, 0, 0);
  double nparams = 0;
  for (const auto& p : params) nparams += static_cast<double>(p.numel());
  const double opt_gbs = kUpdatesPerRollout * 7.0 * 4.0 * nparams * n / x.t_opt / 1e9;
  state.counters["optimizer_GB/s"] = opt_gbs;
  state.counters["optimizer_of_bw"] = opt_gbs / memcpy_peak_gbs();
  state.counters["gemm_peak_GFLOP/s"] = peak;
  state.counters["step_s"] = (x.t_roll + x.t_score + x.t_old + x.t_fb + x.t_opt) / n;
  // CPU seconds of the process (all threads) per stage: on a shared machine, where other
  // processes stretch the wall clock, the work a stage did.
  state.counters["rollout_cpu_s"] = x.c_roll / n;
  state.counters["old_logp_cpu_s"] = x.c_old / n;
  state.counters["update_cpu_s"] = x.c_upd / n;
  // The same stages against the GEMM peak by CPU time (forward + backward: the update's CPU
  // seconds less the optimizer's wall seconds).
  auto of_peak_cpu = [&](const char* name, double cpu_s, double flops) {
    state.counters[std::string(name) + "_of_peak_cpu"] = flops * n / cpu_s / 1e9 / peak_cpu;
  };
  of_peak_cpu("rollout", x.c_roll, roll_flops);
  of_peak_cpu("old_logp", x.c_old, fwd_flops);
  of_peak_cpu("fwd_bwd", x.c_upd - x.t_opt, 3 * fwd_flops);
  state.counters["gemm_peak_cpu_GFLOP/s"] = peak_cpu;
}

void BM_GrpoStep(benchmark::State& state) {
  const int64_t responses = state.range(0);
  const int threads = static_cast<int>(state.range(1));
  const double peak = gemm_peak_gflops(threads), peak_cpu = gemm_peak_gflops_cpu(threads);
  at::set_num_threads(threads);
  Bench& b = bench_state(state.range(2));
  const RunConfig cfg = step_run_config(responses);
  std::vector<torch::Tensor> params = b.m.parameters();
  const StageTotals x = run_steps(state, b, cfg, params);
  stage_counters(state, b.m.config, cfg, responses, x, params, peak, peak_cpu);
}
// 128 and 512 responses per rollout, one and two threads; one step each (a step is seconds).
BENCHMARK(BM_GrpoStep)
    ->ArgNames({"responses", "threads", "model"})
    ->Args({128, 1, 0})
    ->Args({512, 1, 0})
    ->Args({128, 2, 0})
    ->Args({512, 2, 0})
    ->Args({128, 1, 1})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

// BM_RolloutBatch: the rollout alone (the sampler, as step_rollout calls it: G samples a prompt at
// temperature 1, 64 new tokens, no EOS) with `max_batch` sequences decoded together, against the
// GEMM peak by CPU time. The trainer decodes 64 at a time; a larger batch changes a response's bits
// wherever a batch's last 1-3 rows take MKL's small-M GEMM path (results/measure/README.md,
// session 8), so this measures what a larger batch would buy, not what the trainer does.
void BM_RolloutBatch(benchmark::State& state) {
  const int64_t responses = state.range(0), max_batch = state.range(3);
  const int threads = static_cast<int>(state.range(1));
  const double peak_cpu = gemm_peak_gflops_cpu(threads);
  at::set_num_threads(threads);
  Bench& b = bench_state(state.range(2));
  std::vector<SamplePrompt> prompts;
  for (int64_t i = 0; i < responses / kSamplesPerPrompt; ++i) prompts.push_back({b.items[static_cast<size_t>(i)].id, b.prompts[static_cast<size_t>(i)].ids});
  SamplingParams sp;
  sp.n = kSamplesPerPrompt;
  sp.max_new_tokens = kResponseTokens;
  sp.max_batch = max_batch;
  double cpu = 0, wall = 0;
  for (auto _ : state) {
    sp.seed = static_cast<uint64_t>(state.iterations());
    const double c0 = cpu_seconds();
    auto t0 = Clock::now();
    torch::NoGradGuard no_grad;
    benchmark::DoNotOptimize(sample(b.m, prompts, sp));
    wall += seconds_since(t0);
    cpu += cpu_seconds() - c0;
  }
  const double n = static_cast<double>(state.iterations());
  const double flops = rollout_flops(b.m.config, static_cast<double>(prompts.size()), static_cast<double>(responses));
  state.counters["rollout_s"] = wall / n;
  state.counters["rollout_cpu_s"] = cpu / n;
  state.counters["rollout_of_peak_cpu"] = flops * n / cpu / 1e9 / peak_cpu;
  state.counters["gemm_peak_cpu_GFLOP/s"] = peak_cpu;
}
BENCHMARK(BM_RolloutBatch)
    ->ArgNames({"responses", "threads", "model", "max_batch"})
    ->Args({512, 1, 0, 64})
    ->Args({512, 1, 0, 128})
    ->Args({512, 1, 0, 512})
    ->Args({128, 1, 1, 64})
    ->Args({128, 1, 1, 128})
    ->Iterations(2)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace

RLVR_BENCHMARK_MAIN()
