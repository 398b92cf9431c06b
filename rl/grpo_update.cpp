// grpo_update: whole GRPO steps of the trainer on a fixed rollout, for the comparison with TRL's
// GRPOTrainer (tests/grpo_update_trl.py; the cases: docs/other-trainers.md, "Whole updates").
//
//   grpo_update --model DIR --rollout ROLLOUT.json --out DIR [--steps N] [--set KEY=VALUE]... [--group-eps X]
//
// ROLLOUT.json: {"prompts": [[ids]] (P), "completions": [[[ids]]] (P x G), "rewards": [[r]] (P x G)},
// every prompt and completion non-empty, token ids inside the model's vocabulary.
// Each of the N steps is one step of train_run (rl/trainer.cpp) with the sampling replaced by the
// given completions: step_score (with a reward function that returns the given rewards),
// step_minibatches and step_update, on the model model_load reads and the optimizer
// train_optimizer makes, the run config parsed from --set as `rlvrbench train --set` does. The
// config starts from P and G of the file, one update over the rollout (train.train_batch = P x G),
// train.steps = N and train.max_response_len = the longest completion; keys such as
// train.updates_per_rollout, train.micro_batch, train.loss_agg or train.lr then change it. The
// step's prompts are the file's, in its order (no epoch permutation): slot p holds prompt p.
// --group-eps replaces the 1e-9 added to the group std (AdvantageOptions::group_eps, not a run key).
//
// Writes the weights after step n to DIR/step-n as a checkpoint's model folder (model_save:
// config.json, model.safetensors), and one
// JSON line on stdout: {"steps": [{"order": [...], "grad_norm": g, "loss": l, "lr": lr, "clip_frac": c}]},
// where order is the step's minibatch shuffle (response p x G + k at position i goes into update
// i / train_batch), the others the step_metrics values (means over the step's updates).
// Bad input: exit 2 with one line naming the file and field (or the argument).
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/model.h"
#include "results/metric.h"
#include "rl/run_config.h"
#include "rl/train_step.h"
#include "util/error.h"
#include "util/file.h"

using namespace rlvr;
using nlohmann::json;

namespace {

struct FixedRollout {
  std::vector<std::vector<int32_t>> prompts;                  // (P)
  std::vector<std::vector<std::vector<int32_t>>> completions;  // (P x G)
  std::vector<std::vector<double>> rewards;                    // (P x G)
};

std::vector<int32_t> read_ids(const json& j, const std::string& where, int64_t vocab) {
  if (!j.is_array() || j.empty()) throw_input(where, "must be a non-empty array of token ids");
  std::vector<int32_t> ids;
  for (const json& x : j) {
    if (!x.is_number_integer() || x.get<int64_t>() < 0 || x.get<int64_t>() >= vocab)
      throw_input(where, "token id outside [0, " + std::to_string(vocab) + "): " + x.dump());
    ids.push_back(x.get<int32_t>());
  }
  return ids;
}

FixedRollout read_rollout(const std::string& path, int64_t vocab) {
  json j;
  try {
    j = json::parse(file_read(path));
  } catch (const json::exception& e) {
    throw_input(path, std::string("not JSON: ") + e.what());
  }
  if (!j.is_object()) throw_input(path, "must be a JSON object");
  for (const char* k : {"prompts", "completions", "rewards"})
    if (!j.contains(k) || !j[k].is_array() || j[k].empty()) throw_input(path + ": " + k, "missing or not a non-empty array");
  const size_t P = j["prompts"].size();
  if (j["completions"].size() != P || j["rewards"].size() != P)
    throw_input(path + ": completions", "completions and rewards need one entry per prompt (" + std::to_string(P) + ")");
  FixedRollout r;
  size_t G = 0;
  for (size_t p = 0; p < P; ++p) {
    const std::string at = "[" + std::to_string(p) + "]";
    r.prompts.push_back(read_ids(j["prompts"][p], path + ": prompts" + at, vocab));
    const json& cs = j["completions"][p];
    const json& rs = j["rewards"][p];
    if (!cs.is_array() || cs.empty()) throw_input(path + ": completions" + at, "must be a non-empty array of completions");
    if (G == 0) G = cs.size();
    if (cs.size() != G) throw_input(path + ": completions" + at, "every prompt needs the same number of completions (" + std::to_string(G) + ")");
    if (!rs.is_array() || rs.size() != G) throw_input(path + ": rewards" + at, "needs one reward per completion (" + std::to_string(G) + ")");
    r.completions.emplace_back();
    r.rewards.emplace_back();
    for (size_t k = 0; k < G; ++k) {
      const std::string at2 = at + "[" + std::to_string(k) + "]";
      r.completions.back().push_back(read_ids(cs[k], path + ": completions" + at2, vocab));
      if (!rs[k].is_number() || !std::isfinite(rs[k].get<double>())) throw_input(path + ": rewards" + at2, "not a finite number");
      r.rewards.back().push_back(rs[k].get<double>());
    }
  }
  return r;
}

struct Args {
  std::string model, rollout, out;
  int64_t steps = 1;
  std::vector<std::string> sets;
  double group_eps = -1;
};

double parse_number(const std::string& flag, const std::string& v) {
  try {
    size_t used = 0;
    const double x = std::stod(v, &used);
    if (used == v.size()) return x;
  } catch (const std::exception&) {
  }
  throw_input(flag, "not a number: '" + v + "'");
}

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw_input(s, "needs a value");
      return argv[++i];
    };
    if (s == "--model") a.model = value();
    else if (s == "--rollout") a.rollout = value();
    else if (s == "--out") a.out = value();
    else if (s == "--set") a.sets.push_back(value());
    else if (s == "--steps") {
      const double n = parse_number(s, value());
      if (n < 1 || n != static_cast<double>(static_cast<int64_t>(n))) throw_input(s, "must be a whole number >= 1");
      a.steps = static_cast<int64_t>(n);
    } else if (s == "--group-eps") {
      a.group_eps = parse_number(s, value());
      if (!(a.group_eps >= 0)) throw_input(s, "must be >= 0");
    } else {
      throw_input(s, "unknown argument (usage: grpo_update --model DIR --rollout ROLLOUT.json --out DIR [--steps N] [--set KEY=VALUE]... [--group-eps X])");
    }
  }
  if (a.model.empty() || a.rollout.empty() || a.out.empty()) throw_input("grpo_update", "--model, --rollout and --out are required");
  return a;
}

// The run config of the fixed rollout: its P, G and longest completion, one update per step.
RunConfig rollout_config(const FixedRollout& r, const Args& a) {
  const size_t P = r.prompts.size(), G = r.completions[0].size();
  size_t longest = 0;
  for (const auto& cs : r.completions)
    for (const auto& c : cs) longest = std::max(longest, c.size());
  const std::string base = "[model]\npath = \"" + a.model + "\"\n[data]\ntrain = \"-\"\neval = \"-\"\n[train]\nsteps = " +
                           std::to_string(a.steps) + "\nprompts_per_rollout = " + std::to_string(P) +
                           "\nsamples_per_prompt = " + std::to_string(G) + "\ntrain_batch = " + std::to_string(P * G) +
                           "\nmax_response_len = " + std::to_string(longest) + "\n";
  RunConfig cfg = run_config_parse(base, "grpo_update", a.sets);
  if (cfg.prompts_per_rollout != static_cast<int64_t>(P) || cfg.samples_per_prompt != static_cast<int64_t>(G))
    throw_input("--set", "train.prompts_per_rollout and train.samples_per_prompt come from the rollout (" + std::to_string(P) + " x " +
                             std::to_string(G) + ")");
  if (cfg.max_response_len < static_cast<int64_t>(longest))
    throw_input("--set", "train.max_response_len is below the rollout's longest completion (" + std::to_string(longest) + ")");
  if (cfg.steps != a.steps) throw_input("--set", "train.steps comes from --steps");
  return cfg;
}

int run(int argc, char** argv) {
  const Args a = parse_args(argc, argv);
  Model m = model_load(a.model);
  const FixedRollout fr = read_rollout(a.rollout, m.config.vocab_size);
  const RunConfig cfg = rollout_config(fr, a);
  if (cfg.threads > 0) at::set_num_threads(static_cast<int>(cfg.threads));
  if (cfg.device != "cpu") throw_input("run.device", "grpo_update runs on the CPU only");
  const int64_t P = cfg.prompts_per_rollout, G = cfg.samples_per_prompt;

  // As train_run sets them up: trainable weights, the optimizer, a frozen reference under KL.
  std::vector<torch::Tensor> params = m.parameters();
  for (auto& p : params) p.requires_grad_(true);
  const std::unique_ptr<torch::optim::Adam> opt = train_optimizer(params, cfg);
  std::optional<Model> ref;
  if (cfg.kl_coef != 0.0) ref = model_load(a.model);
  const PolicyLossOptions lopt = policy_loss_options(cfg);
  AdvantageOptions aopt = advantage_options(cfg);
  if (a.group_eps >= 0) aopt.group_eps = a.group_eps;

  // The prompts (slot p holds prompt p) and the rollout the sampler would have returned.
  std::vector<DatasetItem> items(static_cast<size_t>(P));
  std::vector<TrainPrompt> prompts;
  std::vector<size_t> chosen;
  Rollout rollout;
  for (int64_t p = 0; p < P; ++p) {
    items[static_cast<size_t>(p)].id = std::string("p").append(std::to_string(p));
    prompts.push_back({&items[static_cast<size_t>(p)], "", fr.prompts[static_cast<size_t>(p)]});
    chosen.push_back(static_cast<size_t>(p));
    rollout.slot_ids.push_back(items[static_cast<size_t>(p)].id + "#" + std::to_string(p));
    for (int64_t k = 0; k < G; ++k) {
      Sample x;
      x.prompt_index = p;
      x.sample_index = k;
      x.ids = fr.completions[static_cast<size_t>(p)][static_cast<size_t>(k)];
      rollout.samples.push_back(std::move(x));
    }
  }
  // The given rewards, looked up by the slot and sample the trainer passes to a reward function.
  RewardFn reward = [&](const RewardInput& in) {
    for (int64_t p = 0; p < P; ++p)
      if (rollout.slot_ids[static_cast<size_t>(p)] == in.prompt_id)
        return fr.rewards[static_cast<size_t>(p)][static_cast<size_t>(in.sample)];
    throw std::runtime_error("reward asked for an unknown slot " + std::string(in.prompt_id));
  };
  GradeFn grade = [](std::string_view, std::string_view) { return Graded{}; };

  json steps = json::array();
  int64_t updates_done = 0;
  for (int64_t step = 1; step <= cfg.steps; ++step) {
    Scored scored = step_score(rollout, prompts, chosen, reward, grade, step, G, aopt);
    std::vector<MicroBatch> micros = step_minibatches(m, ref ? &*ref : nullptr, rollout, scored, prompts, chosen, cfg, step, {});
    const UpdateStats u = step_update(micros, m, *opt, params, cfg, lopt, updates_done);
    const auto row = step_metrics_row(scored, u, rollout, cfg, 0.0);
    // The shuffle step_minibatches drew (the same call), so the reference can take the same batches.
    const std::vector<int64_t> order = minibatch_order(cfg, step, P * G);
    steps.push_back({{"order", order}, {"grad_norm", row.at(metric_cstr(Metric::grad_norm))}, {"loss", row.at(metric_cstr(Metric::loss))},
                     {"lr", row.at(metric_cstr(Metric::lr))}, {"clip_frac", row.at(metric_cstr(Metric::clip_frac))}});
    model_save(m, a.out + "/step-" + std::to_string(step));
  }
  std::printf("%s\n", json{{"steps", steps}}.dump().c_str());
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) { return run_guarded("grpo_update", [&] { return run(argc, argv); }); }
