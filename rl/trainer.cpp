// trainer.cpp: the GRPO loop (see trainer.h and rl/README.md for the recipe and the metrics).
#include "rl/trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "eval/evaluate.h"
#include "eval/probe.h"
#include "models/sampler.h"
#include "results/metric.h"
#include "rl/train_step.h"
#include "util/error.h"
#include "util/file.h"
#include "util/cpu_kernels.h"
#include "util/hash.h"

namespace fs = std::filesystem;

namespace rlvr {

namespace {

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

// The training set with the labels the reward compares with: the gold answers, or a labeler's
// (majority vote or incorrect answers over label_samples samples per problem, or one shot).
std::vector<DatasetItem> train_labels(const RunConfig& cfg, const Model& m, const Tokenizer& tok, PromptTemplate tmpl,
                                      const std::vector<DatasetItem>& train, const EvalStops& stops,
                                      const DecodeFn& decode, const TrainHooks& hooks) {
  if (cfg.labels == LabelSource::gold) return train;
  if (!hooks.label) throw_input("reward.labels", "labeler '" + std::string(enum_name(cfg.labels)) + "' is not available in this build");
  std::vector<std::vector<std::optional<std::string>>> answers;
  if (cfg.labels != LabelSource::one_shot) {
    torch::NoGradGuard no_grad;
    SamplingParams sp;
    sp.n = cfg.label_samples;
    sp.temperature = cfg.label_temperature;
    sp.max_new_tokens = cfg.max_response_len;
    stops.apply(sp);
    sp.seed = stream_seed(static_cast<uint64_t>(cfg.seed), kSaltLabels);
    std::vector<SamplePrompt> sps;
    for (const auto& d : train) sps.push_back({d.id, tok.encode(prompt_render(tmpl, d.problem))});
    auto samples = sample(m, sps, sp, decode);
    answers.assign(train.size(), {});
    for (const auto& s : samples)
      answers[static_cast<size_t>(s.prompt_index)].push_back(hooks.grade_truth(s.text, "").extracted);
  }
  std::vector<DatasetItem> labelled = hooks.label(LabelRequest{&train, &answers});
  if (labelled.empty()) throw_input("reward.labels", "labeler '" + std::string(enum_name(cfg.labels)) + "' kept no training prompt");
  return labelled;
}

// One TrainPrompt per labelled item; `item` points at the true problem (for training accuracy).
std::vector<TrainPrompt> train_prompts(const std::vector<DatasetItem>& train, const std::vector<DatasetItem>& labelled,
                                       const Tokenizer& tok, PromptTemplate tmpl) {
  std::map<std::string, const DatasetItem*> truth;
  for (const auto& d : train) truth[d.id] = &d;
  std::vector<TrainPrompt> prompts;
  for (const auto& d : labelled) {
    auto it = truth.find(d.id);
    prompts.push_back({it == truth.end() ? &d : it->second, d.answer, tok.encode(prompt_render(tmpl, d.problem))});
  }
  return prompts;
}

// The run's row in the store: everything needed to reproduce it (config, seed, commit, versions,
// device, threads) with its results.
RunInfo run_info_of(const RunConfig& cfg, const TrainHooks& hooks, const torch::Device& device, const Dist& dist) {
  RunInfo info;
  info.suite = cfg.suite;
  info.cell = cfg.name;
  info.mutant = cfg.mutant;
  info.model = cfg.model_name.empty() ? fs::path(cfg.model_path).filename().string() : cfg.model_name;
  info.reward = cfg.reward;
  info.seed = cfg.seed;
  info.config_toml = run_config_toml(cfg);
  info.libtorch_version = hooks.libtorch_version;
  // The CPU's matrix kernels decide the bits of a CPU run, so they are part of its device.
  info.device = device.is_cpu() ? device.str() + " (" + cpu_kernels() + ")" : device.str();
  if (dist.active()) info.device += " x " + std::to_string(dist.world()) + " ranks (" + dist.backend() + ")";
  info.threads = at::get_num_threads();
  provenance_fill(info);
  return info;
}

// Saves the model and optimizer of `step` under root/step-NNNNNN, then state.json naming it.
void checkpoint_save(const std::string& root, int64_t step, int64_t run, const Model& m, torch::optim::Adam& opt,
                     const std::string& base_model, const std::string& db_path) {
  char name[32];
  std::snprintf(name, sizeof name, "step-%06lld", static_cast<long long>(step));
  // Written as step-N.partial, renamed when whole: a kill or a full disk leaves no step-N folder
  // that looks like a checkpoint but is not (state.json, written last, names the newest whole one).
  const std::string dir = root + "/" + name, part = dir + ".partial";
  fs::remove_all(part);
  fs::create_directories(part);
  model_save(m, part, base_model);
  // Serialized in memory and written by file_write_atomic: LibTorch's own file writer throws from
  // its destructor when the disk fills, which ends the process (std::terminate) before the run can
  // be marked failed.
  std::ostringstream optimizer_bytes;
  torch::save(opt, optimizer_bytes);
  file_write_atomic(part + "/optimizer.pt", optimizer_bytes.str());
  fs::remove_all(dir);
  fs::rename(part, dir);
  nlohmann::ordered_json st = {{"format", kCheckpointFormat}, {"version", kCheckpointVersion}, {"run", run},
                               {"step", step},                {"dir", name},                   {"db", db_path}};
  file_write_atomic(root + "/state.json", st.dump(2) + "\n");  // written last: a checkpoint is whole or absent
}

std::string progress_line(int64_t step, const RunConfig& cfg, std::map<std::string, double>& row, double eta_s) {
  auto at = [&](Metric k) { return row[metric_cstr(k)]; };
  char line[256];
  std::snprintf(line, sizeof line, "step %lld/%lld  reward %.3f  acc %.3f  code %.2f  clip %.3f/%.3f  rollout %.0f tok/s  train %.0f tok/s  ETA %s",
                static_cast<long long>(step), static_cast<long long>(cfg.steps), at(Metric::reward_mean), at(Metric::train_accuracy),
                at(Metric::code_frequency), at(Metric::clip_frac_low), at(Metric::clip_frac_high), at(Metric::rollout_tokens_per_s),
                at(Metric::train_tokens_per_s), fmt_duration(eta_s).c_str());
  return line;
}

}  // namespace

void train_world_check(const RunConfig& cfg, int64_t world, const std::string& where) {
  const int64_t micro = cfg.train_batch / cfg.grad_accum;
  if (world > 1 && (cfg.prompts_per_rollout % world != 0 || micro % world != 0))
    throw_input(where, std::to_string(world) + " ranks must divide train.prompts_per_rollout (" + std::to_string(cfg.prompts_per_rollout) +
                           ") and the micro-batch (" + std::to_string(micro) + " responses)");
}

std::string train_checkpoint_dir(const RunConfig& cfg, const std::string& db_path) {
  if (!cfg.checkpoint_dir.empty()) return cfg.checkpoint_dir;
  std::string name = cfg.name;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  return (fs::path(db_path).parent_path() / "runs" / (name + "-seed" + std::to_string(cfg.seed))).string();
}

namespace {

// data.extra_evals: "PATH[@K],..." -> the sets, loaded (so a bad file fails before any database row).
struct ExtraEval {
  std::string name;  // STEM or STEM@K: the dataset's name in the database
  int64_t k = 0;     // 0: greedy pass@1; > 0: avg@K
  std::vector<DatasetItem> items;
};
std::vector<ExtraEval> extra_evals_load(const RunConfig& cfg) {
  std::vector<ExtraEval> out;
  std::string rest = cfg.extra_evals;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string one = rest.substr(0, comma);
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
    ExtraEval x;
    std::string path = one;
    if (size_t at = one.rfind('@'); at != std::string::npos) {
      path = one.substr(0, at);
      const std::string k = one.substr(at + 1);
      if (k.empty() || k.find_first_not_of("0123456789") != std::string::npos || std::stoll(k) < 1 || std::stoll(k) > 1024)
        throw_input("data.extra_evals", "'" + one + "': expected PATH or PATH@K with K in 1..1024");
      x.k = std::stoll(k);
    }
    if (path.empty()) throw_input("data.extra_evals", "'" + cfg.extra_evals + "': an empty path");
    x.items = dataset_load(path);
    if (cfg.eval_limit > 0 && static_cast<int64_t>(x.items.size()) > cfg.eval_limit) x.items.resize(static_cast<size_t>(cfg.eval_limit));
    x.name = fs::path(path).stem().string() + (x.k > 0 ? "@" + std::to_string(x.k) : "");
    for (const ExtraEval& y : out)
      if (y.name == x.name) throw_input("data.extra_evals", "'" + x.name + "' appears twice");
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace

namespace {

// Everything a run reads before its model: tokenizer, template, data, evaluation sets. Loaded before
// any database row, so bad input never leaves a half-begun run.
struct TrainData {
  PromptTemplate tmpl;
  Tokenizer tok;
  std::vector<DatasetItem> train, eval_set;
  std::string eval_name;
  std::vector<ExtraEval> extra_evals;
  std::vector<int32_t> loss_through;  // train.loss_through_tokens' ids (empty: off)
};

TrainData train_data_load(const RunConfig& cfg) {
  TrainData d{prompt_template_parse(cfg.prompt_template, "model.template"), Tokenizer::load(cfg.model_path), {}, {}, {}, {}, {}};
  d.loss_through = loss_through_ids(cfg.loss_through_tokens, d.tok, cfg.model_path);
  if (!cfg.eval_prefix.empty() && d.tok.encode(cfg.eval_prefix).empty())
    throw_input("eval.prefix", "'" + cfg.eval_prefix + "' encodes to no tokens with " + cfg.model_path + "'s tokenizer");
  d.train = dataset_load(cfg.train_path);
  d.eval_set = dataset_load(cfg.eval_path);
  if (cfg.train_limit > 0 && static_cast<int64_t>(d.train.size()) > cfg.train_limit) d.train.resize(static_cast<size_t>(cfg.train_limit));
  if (cfg.eval_limit > 0 && static_cast<int64_t>(d.eval_set.size()) > cfg.eval_limit) d.eval_set.resize(static_cast<size_t>(cfg.eval_limit));
  d.eval_name = cfg.eval_name.empty() ? fs::path(cfg.eval_path).stem().string() : cfg.eval_name;
  d.extra_evals = extra_evals_load(cfg);
  return d;
}

// The policy, its optimizer and frozen reference, and where the run starts: a fresh run row, or a
// checkpoint's step and run (--resume).
struct TrainState {
  Model m;
  std::vector<torch::Tensor> params;
  std::unique_ptr<torch::optim::Adam> opt;
  std::optional<Model> ref;
  std::string ckpt_root;
  int64_t start_step = 0;
};

TrainState train_state_open(const RunConfig& cfg, Store& store, const TrainHooks& hooks, const Dist& dist, bool resume,
                            torch::Device device, torch::ScalarType dtype, TrainResult& res) {
  const std::string ckpt_root = train_checkpoint_dir(cfg, store.path());
  std::optional<Checkpoint> ckpt;
  if (resume) {
    ckpt = checkpoint_latest(ckpt_root);
    if (!ckpt) throw_input(ckpt_root, "--resume: no checkpoint here (state.json missing)");
  }
  TrainState st{model_load(ckpt ? ckpt->dir : cfg.model_path, device, dtype), {}, {}, {}, ckpt_root, 0};
  st.params = st.m.parameters();
  for (auto& p : st.params) p.requires_grad_(true);
  st.opt = train_optimizer(st.params, cfg);
  if (cfg.kl_coef != 0.0) st.ref = model_load(cfg.model_path, device, dtype);  // frozen reference policy
  if (ckpt) {
    torch::load(*st.opt, ckpt->dir + "/optimizer.pt");
    res.run = ckpt->run;
    st.start_step = ckpt->step;
    if (dist.lead()) store.run_resume(res.run, st.start_step);
  } else if (dist.lead()) {
    res.run = store.run_begin(run_info_of(cfg, hooks, device, dist));
    std::map<std::string, std::string> params = run_config_flat(cfg);
    params["dist.world_size"] = std::to_string(dist.world());
    params["dist.backend"] = dist.backend();
    store.run_params(res.run, params);
  }
  res.last_step = st.start_step;
  return st;
}

EvalOptions eval_options(const RunConfig& cfg) {
  EvalOptions eopt;
  eopt.max_new_tokens = cfg.eval_max_new_tokens;
  eopt.greedy = cfg.eval_greedy;
  eopt.avg_k = cfg.eval_avg_k;
  eopt.avg_temperature = cfg.eval_temperature;
  eopt.seed = static_cast<uint64_t>(cfg.seed);
  eopt.prefix = cfg.eval_prefix;
  return eopt;
}

// The evaluations at `step` into the store (greedy and/or avg@k, the extra sets, the step-0
// contamination probe); the main one becomes res.first_eval (step 0) and res.final_eval.
void train_eval(const RunConfig& cfg, Store& store, const TrainHooks& hooks, const Model& m, const TrainData& d, int64_t step,
                TrainResult& res) {
  torch::NoGradGuard no_grad;
  const EvalOptions eopt = eval_options(cfg);
  EvalOutput e = evaluate(m, d.tok, d.tmpl, d.eval_set, eopt, hooks.grade_eval);
  if (cfg.eval_greedy) store.eval_write(res.run, step, d.eval_name, e.greedy.metrics, e.greedy.items);
  if (cfg.eval_avg_k > 0)
    store.eval_write(res.run, step, d.eval_name + "@" + std::to_string(cfg.eval_avg_k), e.avg.metrics, e.avg.items);
  for (const ExtraEval& x : d.extra_evals) {
    EvalOptions xo = eopt;
    xo.greedy = x.k == 0;
    xo.avg_k = x.k;
    EvalOutput xe = evaluate(m, d.tok, d.tmpl, x.items, xo, hooks.grade_eval);
    const EvalSet& set = x.k == 0 ? xe.greedy : xe.avg;
    store.eval_write(res.run, step, x.name, set.metrics, set.items);
  }
  if (step == 0 && cfg.eval_probe > 0) {
    ProbeOptions po;
    po.fraction = cfg.eval_probe;
    po.max_new_tokens = cfg.eval_max_new_tokens;
    const ProbeResult pr = probe_run(m, d.tok, d.tmpl, d.eval_set, po, hooks.grade_eval);
    store.probe_write(res.run, step, d.eval_name, pr.metrics(), pr.items);
  }
  const auto& main = cfg.eval_greedy ? e.greedy.metrics : e.avg.metrics;
  if (step == 0) res.first_eval = main;
  res.final_eval = main;
}

// What one GRPO step needs besides the model: the prompts, their order, the options, the stops.
struct StepContext {
  const RunConfig& cfg;
  const Dist& dist;
  const TrainHooks& hooks;
  const std::vector<TrainPrompt>& prompts;
  const EvalStops& stops;
  const DecodeFn& decode;
  const PolicyLossOptions lopt;
  const AdvantageOptions aopt;
  const std::vector<int32_t>& loss_through;  // the isolation arm's strategy tokens (empty: off)
  EpochOrder order;
  int64_t updates_done;
};

// One step: rollout of this rank's slots, scores, (data parallel) the all-gather, the updates. Its
// step metrics row.
std::map<std::string, double> train_step_once(TrainState& st, StepContext& c, int64_t step) {
  auto t_step = std::chrono::steady_clock::now();
  const RunConfig& cfg = c.cfg;
  const int64_t P = cfg.prompts_per_rollout, G = cfg.samples_per_prompt;
  // Data parallel: rank r samples slots [r P / W, (r + 1) P / W) of each step.
  const int64_t slot_lo = c.dist.rank() * P / c.dist.world(), slot_hi = (c.dist.rank() + 1) * P / c.dist.world();
  const std::vector<size_t> chosen = step_prompts(c.order, step, P);
  Rollout rollout = step_rollout(st.m, c.prompts, chosen, cfg, step, c.stops, c.decode, slot_lo, slot_hi);
  Scored scored = step_score(rollout, c.prompts, chosen, c.hooks.reward, c.hooks.grade_truth, step, G, c.aopt);
  double gather_s = 0;
  if (c.dist.active()) {
    auto t_gather = std::chrono::steady_clock::now();
    step_gather(c.dist, rollout, scored, G, c.aopt);
    gather_s = seconds_since(t_gather);
  }
  std::vector<MicroBatch> micros = step_minibatches(st.m, st.ref ? &*st.ref : nullptr, rollout, scored, c.prompts, chosen, cfg, step,
                                                    c.stops.ids, c.dist.rank(), c.dist.world());
  if (!c.loss_through.empty())
    for (MicroBatch& mb : micros) mb.loss_len = loss_through_lengths(mb.resp, c.loss_through);
  const UpdateStats stats = step_update(micros, st.m, *st.opt, st.params, cfg, c.lopt, c.updates_done, &c.dist);
  std::map<std::string, double> row = step_metrics_row(scored, stats, rollout, cfg, seconds_since(t_step));
  // Data parallel only: the time in collectives (rollout all-gather, gradient and metric all-reduces).
  if (c.dist.active()) {
    row[std::string(metric_key(Metric::comm_seconds))] = gather_s + stats.comm_seconds;
    row[std::string(metric_key(Metric::allreduce_seconds))] = stats.comm_seconds;
  }
  return row;
}

}  // namespace

TrainResult train_run(const RunConfig& cfg, Store& store, const TrainHooks& hooks, bool resume) {
  auto t_start = std::chrono::steady_clock::now();
  static const Dist kOneProcess;
  const Dist& dist = hooks.dist ? *hooks.dist : kOneProcess;
  const bool lead = dist.lead();  // rank 0 (or the one process): the database, evaluations, checkpoints
  train_world_check(cfg, dist.world(), "WORLD_SIZE");
  if (cfg.threads > 0) at::set_num_threads(static_cast<int>(cfg.threads));
  torch::Device device = parse_device(cfg.device);
  torch::ScalarType dtype = dtype_scalar_type(cfg.dtype, device);
  const TrainData d = train_data_load(cfg);
  TrainResult res;
  TrainState st = train_state_open(cfg, store, hooks, dist, resume, device, dtype, res);

  const EvalStops stops = eval_stops(st.m, d.tok, d.tmpl);
  const DecodeFn decode = [&](std::span<const int32_t> ids) { return d.tok.decode(ids, /*skip_special_tokens=*/true); };
  // ---- labels: which answer each training prompt is rewarded against ----
  const std::vector<DatasetItem> labelled = train_labels(cfg, st.m, d.tok, d.tmpl, d.train, stops, decode, hooks);
  const std::vector<TrainPrompt> prompts = train_prompts(d.train, labelled, d.tok, d.tmpl);
  StepContext ctx{cfg, dist, hooks, prompts, stops, decode, policy_loss_options(cfg), advantage_options(cfg), d.loss_through,
                  EpochOrder(static_cast<int64_t>(prompts.size()), static_cast<uint64_t>(cfg.seed)),
                  st.start_step * cfg.updates_per_rollout()};
  try {
    if (st.start_step == 0 && lead) train_eval(cfg, store, hooks, st.m, d, 0, res);
    for (int64_t step = st.start_step + 1; step <= cfg.steps; ++step) {
      std::map<std::string, double> row = train_step_once(st, ctx, step);
      if (lead) store.step_metrics_write(res.run, step, row);
      res.last_step = step;
      bool last = step == cfg.steps;
      if (lead && (last || (cfg.eval_every > 0 && step % cfg.eval_every == 0))) train_eval(cfg, store, hooks, st.m, d, step, res);
      if (lead && ((cfg.checkpoint_every > 0 && step % cfg.checkpoint_every == 0) || (last && !cfg.checkpoint_dir.empty())))
        checkpoint_save(st.ckpt_root, step, res.run, st.m, *st.opt, cfg.model_path, store.path());
      if (hooks.progress && lead) {
        double el = seconds_since(t_start);
        hooks.progress(progress_line(step, cfg, row, el / static_cast<double>(step - st.start_step) * static_cast<double>(cfg.steps - step)));
      }
      // A signal stops every rank at the same step (any rank's flag stops all of them).
      bool stop = hooks.stop && hooks.stop->load();
      if (dist.active() && !last) stop = dist.allreduce_max(stop ? 1.0 : 0.0) > 0;
      if (stop && !last) {
        if (lead) store.run_mark_killed(res.run, step, "interrupted by a signal");
        res.status = RunStatus::killed;
        res.seconds = seconds_since(t_start);
        return res;
      }
    }
  } catch (const InputError&) {
    if (lead) store.run_fail(res.run, res.last_step, "bad input");
    throw;
  } catch (const std::exception& e) {
    if (lead) store.run_fail(res.run, res.last_step + 1, e.what());
    res.status = RunStatus::failed;
    res.fail_reason = e.what();
    // Not the run's own failure (a NaN loss is): the machine or a peer broke under it.
    res.environment_failed = dynamic_cast<const IoError*>(&e) || dynamic_cast<const DistError*>(&e);
    res.seconds = seconds_since(t_start);
    return res;
  }
  if (lead) store.run_finish(res.run);
  res.status = RunStatus::finished;
  res.seconds = seconds_since(t_start);
  return res;
}

}  // namespace rlvr
