// trainer.cpp: the GRPO loop (see trainer.h and rl/README.md for the recipe and the metrics).
#include "rl/trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "eval/evaluate.h"
#include "models/logprobs.h"
#include "models/sampler.h"
#include "rl/advantage.h"
#include "rl/policy_loss.h"
#include "util/error.h"
#include "util/file.h"
#include "util/hash.h"

namespace fs = std::filesystem;

namespace rlvr {

namespace {

// Salts of the trainer's random streams (util/hash.h stream_seed): any step's prompts and
// minibatches follow from (seed, step) alone, which is what makes --resume exact.
constexpr uint64_t kSaltEpoch = 0x45504F43;      // "EPOC": data order per epoch
constexpr uint64_t kSaltRollout = 0x524F4C4C;    // "ROLL": sampler seed per step
constexpr uint64_t kSaltMinibatch = 0x4D494E49;  // "MINI": minibatch shuffle per step
constexpr uint64_t kSaltLabels = 0x4C41424C;     // "LABL": label sampling

std::vector<int64_t> permutation(int64_t n, uint64_t seed) {
  std::vector<int64_t> p(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) p[static_cast<size_t>(i)] = i;
  for (int64_t i = n - 1; i > 0; --i) {  // Fisher-Yates with a hashed counter per position
    auto j = static_cast<int64_t>(stream_seed(seed, static_cast<uint64_t>(i)) % static_cast<uint64_t>(i + 1));
    std::swap(p[static_cast<size_t>(i)], p[static_cast<size_t>(j)]);
  }
  return p;
}

std::string fmt_duration(double s) {
  char b[32];
  if (s >= 3600) std::snprintf(b, sizeof b, "%dh%02dm", static_cast<int>(s / 3600), static_cast<int>(s / 60) % 60);
  else std::snprintf(b, sizeof b, "%dm%02ds", static_cast<int>(s / 60), static_cast<int>(s) % 60);
  return b;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Checkpoint {
  int64_t run = 0, step = 0;
  std::string dir;  // the step folder
};

// state.json names the newest whole checkpoint: {"format": kCheckpointFormat, "version":
// kCheckpointVersion, "run", "step", "dir", "db"}. Files written before the format was named have
// neither key and the same layout, so they read as version 1.
constexpr const char* kCheckpointFormat = "rlvrbench-checkpoint";
constexpr int64_t kCheckpointVersion = 1;

std::optional<Checkpoint> checkpoint_latest(const std::string& root) {
  std::string state = root + "/state.json";
  if (!file_exists(state)) return std::nullopt;
  auto j = nlohmann::json::parse(file_read(state), nullptr, false);
  if (!j.is_object()) throw_input(state, "not a checkpoint state file (expected a JSON object)");
  if (j.contains("format") && j["format"] != kCheckpointFormat)
    throw_input(state, std::string("format: expected \"") + kCheckpointFormat + "\"");
  if (j.contains("version") && !(j["version"].is_number_integer() && j["version"].get<int64_t>() == kCheckpointVersion))
    throw_input(state, "version: " + j["version"].dump() + " is not one this build reads (" + std::to_string(kCheckpointVersion) + ")");
  for (const char* key : {"run", "step"})
    if (!j.contains(key) || !j[key].is_number_integer()) throw_input(state, std::string(key) + ": expected an integer");
  if (!j.contains("dir") || !j["dir"].is_string()) throw_input(state, "dir: expected a string");
  return Checkpoint{j["run"].get<int64_t>(), j["step"].get<int64_t>(), root + "/" + j["dir"].get<std::string>()};
}

}  // namespace

std::string train_checkpoint_dir(const RunConfig& cfg, const std::string& db_path) {
  if (!cfg.checkpoint_dir.empty()) return cfg.checkpoint_dir;
  std::string name = cfg.name;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  return (fs::path(db_path).parent_path() / "runs" / (name + "-seed" + std::to_string(cfg.seed))).string();
}

TrainResult train_run(const RunConfig& cfg, Store& store, const TrainHooks& hooks, bool resume) {
  auto t_start = std::chrono::steady_clock::now();
  if (cfg.threads > 0) at::set_num_threads(static_cast<int>(cfg.threads));
  torch::Device device = parse_device(cfg.device);
  torch::ScalarType dtype = dtype_scalar_type(cfg.dtype, device);
  PromptTemplate tmpl = prompt_template_parse(cfg.prompt_template, "model.template");
  Tokenizer tok = Tokenizer::load(cfg.model_path);
  std::vector<DatasetItem> train = dataset_load(cfg.train_path);
  std::vector<DatasetItem> eval_set = dataset_load(cfg.eval_path);
  if (cfg.train_limit > 0 && static_cast<int64_t>(train.size()) > cfg.train_limit) train.resize(static_cast<size_t>(cfg.train_limit));
  if (cfg.eval_limit > 0 && static_cast<int64_t>(eval_set.size()) > cfg.eval_limit) eval_set.resize(static_cast<size_t>(cfg.eval_limit));
  std::string eval_name = cfg.eval_name.empty() ? fs::path(cfg.eval_path).stem().string() : cfg.eval_name;
  std::string ckpt_root = train_checkpoint_dir(cfg, store.path());

  // ---- model, optimizer, run row (fresh or resumed) ----
  std::optional<Checkpoint> ckpt;
  if (resume) {
    ckpt = checkpoint_latest(ckpt_root);
    if (!ckpt) throw_input(ckpt_root, "--resume: no checkpoint here (state.json missing)");
  }
  Model m = model_load(ckpt ? ckpt->dir : cfg.model_path, device, dtype);
  std::vector<torch::Tensor> params = m.parameters();
  for (auto& p : params) p.requires_grad_(true);
  torch::optim::Adam opt(params, torch::optim::AdamOptions(cfg.lr)
                                     .betas({cfg.beta1, cfg.beta2})
                                     .eps(cfg.adam_eps)
                                     .weight_decay(cfg.weight_decay));
  std::optional<Model> ref;
  if (cfg.kl_coef != 0.0) ref = model_load(cfg.model_path, device, dtype);  // frozen reference policy

  TrainResult res;
  int64_t start_step = 0;
  if (ckpt) {
    torch::load(opt, ckpt->dir + "/optimizer.pt");
    res.run = ckpt->run;
    start_step = ckpt->step;
    store.run_resume(res.run, start_step);
  } else {
    RunInfo info;
    info.suite = cfg.suite;
    info.cell = cfg.name;
    info.mutant = cfg.mutant;
    info.model = cfg.model_name.empty() ? fs::path(cfg.model_path).filename().string() : cfg.model_name;
    info.reward = cfg.reward;
    info.seed = cfg.seed;
    info.config_toml = run_config_toml(cfg);
    info.libtorch_version = hooks.libtorch_version;
    info.device = device.str();
    info.threads = at::get_num_threads();
    provenance_fill(info);
    res.run = store.run_begin(info);
    store.run_params(res.run, run_config_flat(cfg));
  }
  res.last_step = start_step;

  std::vector<int32_t> stop_ids = eval_stop_ids(m, tok, tmpl);
  DecodeFn decode = [&](std::span<const int32_t> ids) { return tok.decode(ids, /*skip_special_tokens=*/true); };
  EvalOptions eopt;
  eopt.max_new_tokens = cfg.eval_max_new_tokens;
  eopt.greedy = cfg.eval_greedy;
  eopt.avg_k = cfg.eval_avg_k;
  eopt.avg_temperature = cfg.eval_temperature;
  eopt.seed = static_cast<uint64_t>(cfg.seed);

  auto run_eval = [&](int64_t step) {
    torch::NoGradGuard no_grad;
    EvalOutput e = evaluate(m, tok, tmpl, eval_set, eopt, hooks.grade_eval);
    if (cfg.eval_greedy) store.eval_write(res.run, step, eval_name, e.greedy.metrics, e.greedy.items);
    if (cfg.eval_avg_k > 0)
      store.eval_write(res.run, step, eval_name + "@" + std::to_string(cfg.eval_avg_k), e.avg.metrics, e.avg.items);
    const auto& main = cfg.eval_greedy ? e.greedy.metrics : e.avg.metrics;
    if (step == 0) res.first_eval = main;
    res.final_eval = main;
  };

  // ---- labels: which answer each training prompt is rewarded against ----
  struct TrainPrompt {
    const DatasetItem* item;
    std::string label;  // what the reward compares with
    std::vector<int32_t> ids;
  };
  std::vector<DatasetItem> labelled;
  if (cfg.labels == LabelSource::gold) {
    labelled = train;
  } else {
    if (!hooks.label) throw_input("reward.labels", "labeler '" + std::string(enum_name(cfg.labels)) + "' is not available in this build");
    std::vector<std::vector<std::optional<std::string>>> answers;
    if (cfg.labels != LabelSource::one_shot) {
      torch::NoGradGuard no_grad;
      SamplingParams sp;
      sp.n = cfg.label_samples;
      sp.temperature = cfg.label_temperature;
      sp.max_new_tokens = cfg.max_response_len;
      sp.eos_ids = stop_ids;
      sp.seed = stream_seed(static_cast<uint64_t>(cfg.seed), kSaltLabels);
      std::vector<SamplePrompt> sps;
      for (const auto& d : train) sps.push_back({d.id, tok.encode(prompt_render(tmpl, d.problem))});
      auto samples = sample(m, sps, sp, decode);
      answers.assign(train.size(), {});
      for (const auto& s : samples)
        answers[static_cast<size_t>(s.prompt_index)].push_back(hooks.grade_truth(s.text, "").extracted);
    }
    labelled = hooks.label(LabelRequest{&train, &answers});
    if (labelled.empty()) throw_input("reward.labels", "labeler '" + std::string(enum_name(cfg.labels)) + "' kept no training prompt");
  }
  std::map<std::string, const DatasetItem*> truth;
  for (const auto& d : train) truth[d.id] = &d;
  std::vector<TrainPrompt> prompts;
  for (const auto& d : labelled) {
    auto it = truth.find(d.id);
    prompts.push_back({it == truth.end() ? &d : it->second, d.answer, tok.encode(prompt_render(tmpl, d.problem))});
  }

  PolicyLossOptions lopt;
  lopt.clip = cfg.clip;
  lopt.clip_low = cfg.clip_low;
  lopt.clip_high = cfg.clip_high;
  lopt.dual_clip = cfg.dual_clip;
  lopt.agg = cfg.loss_agg;
  lopt.max_response_len = static_cast<double>(cfg.max_response_len);
  lopt.kl_coef = cfg.kl_coef;
  lopt.kl_estimator = cfg.kl_estimator;
  lopt.entropy_coef = cfg.entropy_coef;
  lopt.bug = cfg.bug;
  AdvantageOptions aopt;
  aopt.group_mean = cfg.group_mean;
  aopt.std_normalize = cfg.std_normalize;
  aopt.batch_whiten = cfg.batch_whiten;

  auto save_checkpoint = [&](int64_t step) {
    char name[32];
    std::snprintf(name, sizeof name, "step-%06lld", static_cast<long long>(step));
    std::string dir = ckpt_root + "/" + name;
    fs::create_directories(dir);
    model_save(m, dir, cfg.model_path);
    torch::save(opt, dir + "/optimizer.pt");
    nlohmann::ordered_json st = {{"format", kCheckpointFormat}, {"version", kCheckpointVersion}, {"run", res.run},
                                 {"step", step},                {"dir", name},                   {"db", store.path()}};
    file_write_atomic(ckpt_root + "/state.json", st.dump(2) + "\n");  // written last: a checkpoint is whole or absent
  };

  const int64_t P = cfg.prompts_per_rollout, G = cfg.samples_per_prompt;
  const int64_t N = static_cast<int64_t>(prompts.size());
  const int64_t U = cfg.updates_per_rollout(), micro = cfg.train_batch / cfg.grad_accum;
  int64_t updates_done = start_step * U;

  try {
    if (start_step == 0) run_eval(0);
    for (int64_t step = start_step + 1; step <= cfg.steps; ++step) {
      auto t_step = std::chrono::steady_clock::now();
      // -- prompts of this step: the next P of an epoch-wise permutation --
      std::vector<size_t> chosen;
      for (int64_t i = 0; i < P; ++i) {
        int64_t g = (step - 1) * P + i;
        auto perm = permutation(N, stream_seed(static_cast<uint64_t>(cfg.seed), kSaltEpoch, static_cast<uint64_t>(g / N)));
        chosen.push_back(static_cast<size_t>(perm[static_cast<size_t>(g % N)]));
      }
      // -- rollouts --
      // Each slot gets its own stream (and random-reward key), also when a prompt fills several
      // slots (one-shot, or an epoch boundary inside a step).
      std::vector<SamplePrompt> sps;
      std::vector<std::string> slot_ids;
      for (size_t i = 0; i < chosen.size(); ++i) {
        slot_ids.push_back(prompts[chosen[i]].item->id + "#" + std::to_string(i));
        sps.push_back({slot_ids.back(), prompts[chosen[i]].ids});
      }
      SamplingParams sp;
      sp.n = G;
      sp.temperature = cfg.temperature;
      sp.top_p = cfg.top_p;
      sp.max_new_tokens = cfg.max_response_len;
      sp.eos_ids = stop_ids;
      sp.seed = stream_seed(static_cast<uint64_t>(cfg.seed), kSaltRollout, static_cast<uint64_t>(step));
      std::vector<Sample> samples;
      {
        torch::NoGradGuard no_grad;
        samples = sample(m, sps, sp, decode);
      }
      double t_rollout = seconds_since(t_step);

      // -- rewards, training accuracy, code frequency --
      std::vector<double> rewards;
      std::vector<int64_t> lengths;
      std::vector<Graded> graded;
      std::vector<bool> truncated;
      double gen_tokens = 0, neg_logp = 0;
      for (const auto& s : samples) {
        const TrainPrompt& tp = prompts[chosen[static_cast<size_t>(s.prompt_index)]];
        rewards.push_back(hooks.reward(RewardInput{s.text, tp.label, slot_ids[static_cast<size_t>(s.prompt_index)], s.sample_index, step}));
        graded.push_back(hooks.grade_truth(s.text, tp.item->answer));
        lengths.push_back(std::max<int64_t>(1, static_cast<int64_t>(s.ids.size())));
        truncated.push_back(s.finish == FinishReason::length);
        gen_tokens += static_cast<double>(s.ids.size());
        for (float lp : s.logprobs) neg_logp -= lp;
      }
      std::vector<double> adv = advantage_grpo(rewards, G, lengths, aopt);
      // Responses whose final advantage is exactly 0. The token-weighted whitening shifts an
      // all-equal group off 0 unless all lengths agree, so this counts no-signal rollouts (rl/README.md).
      double adv_zero = 0;
      for (double a : adv) adv_zero += std::abs(a) < 1e-12;

      // -- minibatches: a fixed shuffle of the rollout, split into U updates of `micro`-sized pieces --
      auto order = permutation(P * G, stream_seed(static_cast<uint64_t>(cfg.seed), kSaltMinibatch, static_cast<uint64_t>(step)));
      struct Micro {
        std::vector<std::vector<int32_t>> prompt, resp;
        torch::Tensor adv, old_logp, ref_logp;
        double tokens = 0;
      };
      std::vector<Micro> micros;
      for (int64_t b = 0; b < P * G; b += micro) {
        Micro mb;
        std::vector<double> a;
        for (int64_t k = b; k < b + micro; ++k) {
          const Sample& s = samples[static_cast<size_t>(order[static_cast<size_t>(k)])];
          mb.prompt.push_back(prompts[chosen[static_cast<size_t>(s.prompt_index)]].ids);
          std::vector<int32_t> r = s.ids;
          if (r.empty()) r.push_back(stop_ids.empty() ? 0 : stop_ids[0]);  // a zero-length response still gets a token
          mb.tokens += static_cast<double>(mb.prompt.back().size() + r.size());
          mb.resp.push_back(std::move(r));
          a.push_back(adv[static_cast<size_t>(order[static_cast<size_t>(k)])]);
        }
        mb.adv = torch::tensor(a, torch::kFloat64).to(torch::kFloat32).to(device);
        {
          // old log-probs with exactly the batch layout of the update: the first update's ratio is 1.
          torch::NoGradGuard no_grad;
          mb.old_logp = response_logprobs(m, mb.prompt, mb.resp).logprobs.detach();
          if (ref) mb.ref_logp = response_logprobs(*ref, mb.prompt, mb.resp).logprobs.detach();
        }
        micros.push_back(std::move(mb));
      }

      // -- updates --
      auto t_train = std::chrono::steady_clock::now();
      double clip_lo = 0, clip_hi = 0, approx_kl = 0, kl_ref = 0, loss_sum = 0, gnorm_sum = 0, train_tokens = 0;
      for (int64_t u = 0; u < U; ++u) {
        opt.zero_grad();
        for (int64_t a = 0; a < cfg.grad_accum; ++a) {
          Micro& mb = micros[static_cast<size_t>(u * cfg.grad_accum + a)];
          ResponseLogprobs lp = response_logprobs(m, mb.prompt, mb.resp);
          PolicyLossOut out = policy_loss(lp.logprobs, mb.old_logp, mb.adv, lp.mask, lopt, mb.ref_logp);
          double lv = out.loss.item<double>();
          if (!std::isfinite(lv)) throw std::runtime_error("loss is " + std::to_string(lv));
          (out.loss / static_cast<double>(cfg.grad_accum)).backward();
          clip_lo += out.clip_frac_low;
          clip_hi += out.clip_frac_high;
          approx_kl += out.approx_kl;
          kl_ref += out.kl_ref;
          loss_sum += lv;
          train_tokens += mb.tokens;
        }
        double gn = cfg.grad_clip > 0 ? torch::nn::utils::clip_grad_norm_(params, cfg.grad_clip)
                                      : torch::nn::utils::clip_grad_norm_(params, 1e30);
        if (!std::isfinite(gn)) throw std::runtime_error("gradient norm is " + std::to_string(gn));
        gnorm_sum += gn;
        double lr = cfg.lr * (cfg.warmup_steps > 0 ? std::min(1.0, static_cast<double>(updates_done + 1) / static_cast<double>(cfg.warmup_steps)) : 1.0);
        for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
        opt.step();
        ++updates_done;
      }
      double t_update = seconds_since(t_train);
      double nmicro = static_cast<double>(U * cfg.grad_accum);

      std::map<std::string, double> met = eval_metrics(graded, lengths, truncated);
      std::map<std::string, double> row;
      double rsum = 0;
      for (double r : rewards) rsum += r;
      row["reward_mean"] = rsum / static_cast<double>(rewards.size());
      row["train_accuracy"] = met["accuracy"];
      row["code_frequency"] = met["code_frequency"];
      row["code_frequency_strict"] = met["code_frequency_strict"];
      row["boxed_rate"] = met["boxed_rate"];
      row["response_length"] = met["response_tokens"];
      row["truncated_rate"] = met["truncated_rate"];
      row["clip_frac_low"] = clip_lo / nmicro;
      row["clip_frac_high"] = clip_hi / nmicro;
      row["clip_frac"] = (clip_lo + clip_hi) / nmicro;
      row["adv_zero_frac"] = adv_zero / static_cast<double>(adv.size());
      row["approx_kl"] = approx_kl / nmicro;
      row["kl_ref"] = kl_ref / nmicro;
      row["entropy"] = gen_tokens > 0 ? neg_logp / gen_tokens : 0.0;  // Monte-Carlo: mean -log p of sampled tokens
      row["loss"] = loss_sum / nmicro;
      row["grad_norm"] = gnorm_sum / static_cast<double>(U);
      row["lr"] = cfg.lr;
      row["rollout_tokens_per_s"] = t_rollout > 0 ? gen_tokens / t_rollout : 0.0;
      row["train_tokens_per_s"] = t_update > 0 ? train_tokens / t_update : 0.0;
      row["step_seconds"] = seconds_since(t_step);
      store.step_metrics_write(res.run, step, row);
      res.last_step = step;

      bool last = step == cfg.steps;
      if (last || (cfg.eval_every > 0 && step % cfg.eval_every == 0)) run_eval(step);
      if ((cfg.checkpoint_every > 0 && step % cfg.checkpoint_every == 0) || (last && !cfg.checkpoint_dir.empty()))
        save_checkpoint(step);
      if (hooks.progress) {
        double el = seconds_since(t_start);
        double eta = el / static_cast<double>(step - start_step) * static_cast<double>(cfg.steps - step);
        char line[256];
        std::snprintf(line, sizeof line, "step %lld/%lld  reward %.3f  acc %.3f  code %.2f  clip %.3f/%.3f  rollout %.0f tok/s  train %.0f tok/s  ETA %s",
                      static_cast<long long>(step), static_cast<long long>(cfg.steps), row["reward_mean"], row["train_accuracy"],
                      row["code_frequency"], row["clip_frac_low"], row["clip_frac_high"], row["rollout_tokens_per_s"],
                      row["train_tokens_per_s"], fmt_duration(eta).c_str());
        hooks.progress(line);
      }
      if (hooks.stop && hooks.stop->load() && !last) {
        store.run_mark_killed(res.run, step, "interrupted by a signal");
        res.status = RunStatus::killed;
        res.seconds = seconds_since(t_start);
        return res;
      }
    }
  } catch (const InputError&) {
    store.run_fail(res.run, res.last_step, "bad input");
    throw;
  } catch (const std::exception& e) {
    store.run_fail(res.run, res.last_step + 1, e.what());
    res.status = RunStatus::failed;
    res.fail_reason = e.what();
    res.seconds = seconds_since(t_start);
    return res;
  }
  store.run_finish(res.run);
  res.status = RunStatus::finished;
  res.seconds = seconds_since(t_start);
  return res;
}

}  // namespace rlvr
