// grpo_conformance: rlvrbench's GRPO math on given tensors, for the comparison with TRL, verl and
// OpenRLHF (tests/grpo_conformance.py; the pairings: docs/other-trainers.md).
//
//   grpo_conformance --in IN.safetensors --out OUT.safetensors [--set KEY=VALUE]... [--group-eps X]
//
// IN holds one rollout, prompt-major (the G samples of prompt 0, then prompt 1, ...):
//   logp, old_logp (B, T)  the current and the old policy's log-probs of the response tokens
//   mask (B, T)            1 on response tokens (each row's first tokens), 0 on padding
//   rewards (B)            the responses' rewards
//   group (B)              I64, the prompt of each response: contiguous runs of equal size G
//   ref_logp (B, T)        optional, the reference's log-probs (train.kl_coef != 0 needs it)
//   adv (B)                optional, advantages to use instead of computing them from the rewards
// Floating tensors are F64 or F32 (computed in F64); mask may be F64, F32, U8, BOOL or I64.
// --set takes run keys (rl/README.md) as `rlvrbench train --set` does; the run config starts from
// P and G of the input with one update over the whole rollout (train.train_batch = B), which a key
// such as train.updates_per_rollout or train.micro_batch then changes. --group-eps replaces the
// 1e-9 added to the group std (AdvantageOptions::group_eps, not a run key).
//
// What is computed is what the trainer computes (rl/train_step.cpp), in float64: advantages by
// advantage_grpo with advantage_options(cfg) and the responses' lengths (mask sums, at least 1);
// then for each update of train_batch responses (in the input's order; the trainer shuffles
// first) and each of its grad_accum micro-batches, policy_loss with policy_loss_options(cfg),
// weighted into the update's loss by micro_loss_term. OUT holds (F64): adv (B), loss (U) the
// updates' losses, grad (B, T) = d(sum of the updates' losses) / d logp.
// Bad input: exit 2 with one line naming the file and field (or the argument).
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "models/safetensors_read.h"
#include "models/safetensors_write.h"
#include "rl/advantage.h"
#include "rl/policy_loss.h"
#include "rl/run_config.h"
#include "rl/train_step.h"
#include "util/error.h"

using namespace rlvr;

namespace {

struct Input {
  torch::Tensor logp, old_logp, ref_logp, mask, rewards, adv;
  std::vector<int64_t> group;
};

torch::Tensor read_tensor(const SafetensorsFile& f, const std::string& name, bool required) {
  const StTensorInfo* t = f.find(name);
  if (!t) {
    if (required) throw_input(f.path() + ": " + name, "missing tensor");
    return {};
  }
  torch::ScalarType st;
  switch (t->dtype) {
    case StDtype::f64: st = torch::kFloat64; break;
    case StDtype::f32: st = torch::kFloat32; break;
    case StDtype::i64: st = torch::kInt64; break;
    case StDtype::i32: st = torch::kInt32; break;
    case StDtype::u8: st = torch::kUInt8; break;
    case StDtype::bool_: st = torch::kBool; break;
    default: throw_input(f.path() + ": " + name, std::string("unsupported dtype ") + st_dtype_name(t->dtype));
  }
  torch::Tensor out = torch::empty(t->shape, torch::TensorOptions().dtype(st));
  std::memcpy(out.data_ptr(), f.bytes(*t), t->end - t->begin);  // unaligned source: copy
  return out;
}

Input read_input(const std::string& path) {
  auto f = SafetensorsFile::open(path);
  Input in;
  auto where = [&](const std::string& name) { return path + ": " + name; };
  auto floating = [&](const std::string& name, bool required) {
    torch::Tensor t = read_tensor(*f, name, required);
    if (!t.defined()) return t;
    if (!t.is_floating_point()) throw_input(where(name), "must be F64 or F32");
    t = t.to(torch::kFloat64);
    if (!torch::isfinite(t).all().item<bool>()) throw_input(where(name), "holds a value that is not finite");
    return t;
  };
  in.logp = floating("logp", true);
  if (in.logp.dim() != 2 || in.logp.size(0) < 1 || in.logp.size(1) < 1) throw_input(where("logp"), "must be (B, T) with B, T >= 1");
  const int64_t B = in.logp.size(0), T = in.logp.size(1);
  auto same_bt = [&](const torch::Tensor& t, const std::string& name) {
    if (t.defined() && (t.dim() != 2 || t.size(0) != B || t.size(1) != T))
      throw_input(where(name), "shape differs from logp's (" + std::to_string(B) + ", " + std::to_string(T) + ")");
  };
  auto per_seq = [&](const torch::Tensor& t, const std::string& name) {
    if (t.defined() && (t.dim() != 1 || t.size(0) != B)) throw_input(where(name), "must be (B) with B = " + std::to_string(B));
  };
  in.old_logp = floating("old_logp", true);
  same_bt(in.old_logp, "old_logp");
  in.ref_logp = floating("ref_logp", false);
  same_bt(in.ref_logp, "ref_logp");
  in.rewards = floating("rewards", true);
  per_seq(in.rewards, "rewards");
  in.adv = floating("adv", false);
  per_seq(in.adv, "adv");

  torch::Tensor m = read_tensor(*f, "mask", true);
  same_bt(m, "mask");
  m = m.to(torch::kFloat64);
  if (!((m == 0) | (m == 1)).all().item<bool>()) throw_input(where("mask"), "must hold only 0 and 1");
  // Responses are left-aligned, as the trainer lays them out: ones, then zeros.
  if ((m.narrow(1, 1, T - 1) > m.narrow(1, 0, T - 1)).any().item<bool>())
    throw_input(where("mask"), "a row has a response token after padding (responses must be left-aligned)");
  if ((m.sum(1) < 1).any().item<bool>()) throw_input(where("mask"), "a row has no response token (the trainer gives each response one)");
  in.mask = m;

  torch::Tensor g = read_tensor(*f, "group", true);
  per_seq(g, "group");
  if (g.is_floating_point() || g.scalar_type() == torch::kBool) throw_input(where("group"), "must be I64 or I32");
  g = g.to(torch::kInt64).contiguous();
  in.group.assign(g.data_ptr<int64_t>(), g.data_ptr<int64_t>() + B);
  return in;
}

// G from contiguous runs of equal group ids; exit 2 unless every run has the same length and no id repeats.
int64_t group_size(const std::vector<int64_t>& group, const std::string& where) {
  std::vector<int64_t> seen;
  int64_t G = 0;
  for (size_t i = 0; i < group.size();) {
    size_t j = i;
    while (j < group.size() && group[j] == group[i]) ++j;
    for (int64_t s : seen)
      if (s == group[i]) throw_input(where, "group " + std::to_string(group[i]) + " is not contiguous (prompt-major order)");
    seen.push_back(group[i]);
    const auto n = static_cast<int64_t>(j - i);
    if (G == 0) G = n;
    if (n != G) throw_input(where, "groups differ in size (" + std::to_string(G) + " and " + std::to_string(n) + ")");
    i = j;
  }
  return G;
}

void write_output(const std::string& path, const std::vector<std::pair<std::string, torch::Tensor>>& ts) {
  std::vector<torch::Tensor> keep;
  std::vector<StTensorView> views;
  for (const auto& [name, t0] : ts) {
    torch::Tensor t = t0.detach().to(torch::kFloat64).contiguous();
    keep.push_back(t);
    views.push_back({name, StDtype::f64, t.sizes().vec(),
                     std::span<const uint8_t>(static_cast<const uint8_t*>(t.data_ptr()), static_cast<size_t>(t.numel()) * 8)});
  }
  safetensors_write(path, views, {{"format", "pt"}, {"producer", "rlvrbench grpo_conformance"}});
}

int run(int argc, char** argv) {
  std::string in_path, out_path;
  std::vector<std::string> sets;
  double group_eps = -1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw_input(a, "needs a value");
      return argv[++i];
    };
    if (a == "--in") in_path = value();
    else if (a == "--out") out_path = value();
    else if (a == "--set") sets.push_back(value());
    else if (a == "--group-eps") {
      std::string v = value();
      try {
        size_t used = 0;
        group_eps = std::stod(v, &used);
        if (used != v.size() || !(group_eps >= 0)) throw std::invalid_argument("");
      } catch (const std::exception&) {
        throw_input("--group-eps", "not a number >= 0: '" + v + "'");
      }
    } else throw_input(a, "unknown argument (usage: grpo_conformance --in IN.safetensors --out OUT.safetensors [--set KEY=VALUE]... [--group-eps X])");
  }
  if (in_path.empty() || out_path.empty()) throw_input("grpo_conformance", "--in and --out are required");

  Input in = read_input(in_path);
  const int64_t B = in.logp.size(0);
  const int64_t G = group_size(in.group, in_path + ": group");
  const int64_t P = B / G;

  // The run config: P and G of the input, one update over the rollout; then the --set keys.
  const std::string base = "[model]\npath = \"-\"\n[data]\ntrain = \"-\"\neval = \"-\"\n[train]\nprompts_per_rollout = " +
                           std::to_string(P) + "\nsamples_per_prompt = " + std::to_string(G) +
                           "\ntrain_batch = " + std::to_string(B) + "\n";
  const RunConfig cfg = run_config_parse(base, "grpo_conformance", sets);
  if (cfg.prompts_per_rollout * cfg.samples_per_prompt != B || cfg.samples_per_prompt != G)
    throw_input("--set", "train.prompts_per_rollout and train.samples_per_prompt come from the input (" + std::to_string(P) + " x " +
                             std::to_string(G) + ")");
  const PolicyLossOptions lopt = policy_loss_options(cfg);
  AdvantageOptions aopt = advantage_options(cfg);
  if (group_eps >= 0) aopt.group_eps = group_eps;
  if (lopt.kl_coef != 0.0 && !in.ref_logp.defined()) throw_input(in_path + ": ref_logp", "missing tensor (train.kl_coef is not 0)");

  // Advantages, as step_score computes them.
  const torch::Tensor lens = in.mask.sum(1).clamp_min(1.0).to(torch::kInt64).contiguous();
  std::vector<int64_t> lengths(lens.data_ptr<int64_t>(), lens.data_ptr<int64_t>() + B);
  torch::Tensor adv;
  if (in.adv.defined()) {
    adv = in.adv;
  } else {
    torch::Tensor r = in.rewards.contiguous();
    std::vector<double> rewards(r.data_ptr<double>(), r.data_ptr<double>() + B);
    adv = torch::tensor(advantage_grpo(rewards, G, lengths, aopt), torch::kFloat64);
  }

  // The updates, each over grad_accum micro-batches, as step_update weighs them.
  torch::Tensor logp = in.logp.clone().set_requires_grad(true);
  const int64_t U = cfg.updates_per_rollout(), micro = cfg.train_batch / cfg.grad_accum;
  std::vector<torch::Tensor> update_losses;
  torch::Tensor total = torch::zeros({}, torch::kFloat64);
  for (int64_t u = 0; u < U; ++u) {
    const int64_t u0 = u * cfg.train_batch;
    const double update_tokens = in.mask.narrow(0, u0, cfg.train_batch).sum().item<double>();
    torch::Tensor loss_u = torch::zeros({}, torch::kFloat64);
    for (int64_t a = 0; a < cfg.grad_accum; ++a) {
      const int64_t b0 = u0 + a * micro;
      // The micro-batch padded to its longest response, as response_logprobs lays it out.
      const torch::Tensor m = in.mask.narrow(0, b0, micro);
      const int64_t width = m.sum(1).max().item<int64_t>();
      auto cut = [&](const torch::Tensor& t) { return t.defined() ? t.narrow(0, b0, micro).narrow(1, 0, width) : t; };
      MicroBatch mb;
      mb.update_token_share = m.sum().item<double>() / update_tokens;
      PolicyLossOut out = policy_loss(cut(logp), cut(in.old_logp), adv.narrow(0, b0, micro), cut(in.mask), lopt, cut(in.ref_logp));
      loss_u = loss_u + micro_loss_term(out.loss, mb, cfg, false);
    }
    update_losses.push_back(loss_u);
    total = total + loss_u;
  }
  total.backward();
  torch::Tensor grad = logp.grad().defined() ? logp.grad() : torch::zeros_like(in.logp);
  write_output(out_path, {{"adv", adv}, {"loss", torch::stack(update_losses)}, {"grad", grad}});
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) { return run_guarded("grpo_conformance", [&] { return run(argc, argv); }); }
