#include "rl/run_config.h"

#include <sstream>
#include <toml++/toml.h>

#include "util/error.h"
#include "util/file.h"

namespace rlvr {

namespace {

// One entry of the key table: how to read and write a field of RunConfig.
struct Key {
  const char* name;  // "train.lr"
  enum Type { Str, Int, Dbl, Bool } type;
  void* (*field)(RunConfig&);
};

#define RLVR_KEY(name, type, member) Key{name, Key::type, [](RunConfig& c) -> void* { return &c.member; }}
const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      RLVR_KEY("run.name", Str, name), RLVR_KEY("run.suite", Str, suite), RLVR_KEY("run.mutant", Str, mutant), RLVR_KEY("run.seed", Int, seed),
      RLVR_KEY("run.device", Str, device), RLVR_KEY("run.dtype", Str, dtype), RLVR_KEY("run.threads", Int, threads),
      RLVR_KEY("run.checkpoint_dir", Str, checkpoint_dir), RLVR_KEY("run.checkpoint_every", Int, checkpoint_every),
      RLVR_KEY("model.path", Str, model_path), RLVR_KEY("model.dir", Str, model_dir), RLVR_KEY("model.name", Str, model_name),
      RLVR_KEY("model.template", Str, prompt_template),
      RLVR_KEY("data.train", Str, train_path), RLVR_KEY("data.eval", Str, eval_path), RLVR_KEY("data.eval_name", Str, eval_name),
      RLVR_KEY("data.train_limit", Int, train_limit), RLVR_KEY("data.eval_limit", Int, eval_limit),
      RLVR_KEY("reward.name", Str, reward), RLVR_KEY("reward.seed", Int, reward_seed), RLVR_KEY("reward.labels", Str, labels),
      RLVR_KEY("reward.label_samples", Int, label_samples), RLVR_KEY("reward.label_temperature", Dbl, label_temperature),
      RLVR_KEY("reward.one_shot_id", Str, one_shot_id),
      RLVR_KEY("train.preset", Str, preset), RLVR_KEY("train.steps", Int, steps),
      RLVR_KEY("train.prompts_per_rollout", Int, prompts_per_rollout), RLVR_KEY("train.samples_per_prompt", Int, samples_per_prompt),
      RLVR_KEY("train.train_batch", Int, train_batch), RLVR_KEY("train.updates_per_rollout", Int, updates_per_rollout_set), RLVR_KEY("train.grad_accum", Int, grad_accum),
      RLVR_KEY("train.lr", Dbl, lr), RLVR_KEY("train.warmup_steps", Int, warmup_steps),
      RLVR_KEY("train.beta1", Dbl, beta1), RLVR_KEY("train.beta2", Dbl, beta2), RLVR_KEY("train.adam_eps", Dbl, adam_eps),
      RLVR_KEY("train.weight_decay", Dbl, weight_decay), RLVR_KEY("train.grad_clip", Dbl, grad_clip),
      RLVR_KEY("train.clip", Bool, clip), RLVR_KEY("train.clip_low", Dbl, clip_low), RLVR_KEY("train.clip_high", Dbl, clip_high),
      RLVR_KEY("train.dual_clip", Dbl, dual_clip), RLVR_KEY("train.loss_agg", Str, loss_agg),
      RLVR_KEY("train.group_mean", Bool, group_mean), RLVR_KEY("train.std_normalize", Bool, std_normalize), RLVR_KEY("train.batch_whiten", Bool, batch_whiten),
      RLVR_KEY("train.kl_coef", Dbl, kl_coef), RLVR_KEY("train.kl_estimator", Str, kl_estimator),
      RLVR_KEY("train.entropy_coef", Dbl, entropy_coef), RLVR_KEY("train.temperature", Dbl, temperature),
      RLVR_KEY("train.top_p", Dbl, top_p), RLVR_KEY("train.max_response_len", Int, max_response_len),
      RLVR_KEY("train.bug", Str, bug),
      RLVR_KEY("eval.every", Int, eval_every), RLVR_KEY("eval.greedy", Bool, eval_greedy), RLVR_KEY("eval.avg_k", Int, eval_avg_k),
      RLVR_KEY("eval.temperature", Dbl, eval_temperature), RLVR_KEY("eval.max_new_tokens", Int, eval_max_new_tokens),
      RLVR_KEY("eval.grader", Str, grader),
  };
  return k;
}
#undef RLVR_KEY

const Key* find_key(const std::string& name) {
  for (const auto& k : keys())
    if (name == k.name) return &k;
  return nullptr;
}

void set_from_node(RunConfig& c, const Key& k, const toml::node& n, const std::string& where) {
  void* f = k.field(c);
  switch (k.type) {
    case Key::Str:
      if (!n.is_string()) throw_input(where, std::string(k.name) + ": expected a string");
      *static_cast<std::string*>(f) = *n.value<std::string>();
      break;
    case Key::Int:
      if (!n.is_integer()) throw_input(where, std::string(k.name) + ": expected an integer");
      *static_cast<int64_t*>(f) = *n.value<int64_t>();
      break;
    case Key::Dbl:
      if (!n.is_number()) throw_input(where, std::string(k.name) + ": expected a number");
      *static_cast<double*>(f) = *n.value<double>();
      break;
    case Key::Bool:
      if (!n.is_boolean()) throw_input(where, std::string(k.name) + ": expected true or false");
      *static_cast<bool*>(f) = *n.value<bool>();
      break;
  }
}

void walk(RunConfig& c, const toml::table& t, const std::string& prefix, const std::string& source) {
  for (const auto& [k, v] : t) {
    std::string name = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = v.as_table()) {
      walk(c, *sub, name, source);
      continue;
    }
    const Key* key = find_key(name);
    if (!key) throw_input(source, name + ": unknown key (see rl/README.md for the run keys)");
    set_from_node(c, *key, v, source);
  }
}

void check(const RunConfig& c, const std::string& src) {
  auto need = [&](bool ok, const char* key, const std::string& what) {
    if (!ok) throw_input(src, std::string(key) + ": " + what);
  };
  need(!c.model_path.empty(), "model.path", "missing (or give model.dir and model.name)");
  need(!c.train_path.empty(), "data.train", "missing");
  need(!c.eval_path.empty(), "data.eval", "missing");
  need(c.preset == "paper", "train.preset", "unknown preset '" + c.preset + "' (known: paper)");
  need(c.steps >= 0, "train.steps", "must be >= 0");
  need(c.prompts_per_rollout >= 1, "train.prompts_per_rollout", "must be >= 1");
  need(c.samples_per_prompt >= 1, "train.samples_per_prompt", "must be >= 1");
  need(c.updates_per_rollout_set >= 0, "train.updates_per_rollout", "must be >= 1 (or 0: from train.train_batch)");
  need(c.train_batch >= 1 && (c.prompts_per_rollout * c.samples_per_prompt) % c.train_batch == 0, "train.train_batch",
       "must divide the rollout batch (" + std::to_string(c.prompts_per_rollout * c.samples_per_prompt) + " responses)");
  need(c.grad_accum >= 1 && c.train_batch % c.grad_accum == 0, "train.grad_accum", "must divide train.train_batch");
  need(c.lr >= 0, "train.lr", "must be >= 0");
  need(c.beta1 >= 0 && c.beta1 < 1 && c.beta2 >= 0 && c.beta2 < 1, "train.beta1", "betas must be in [0, 1)");
  need(c.clip_low >= 0 && c.clip_low < 1, "train.clip_low", "must be in [0, 1)");
  need(c.clip_high >= 0, "train.clip_high", "must be >= 0");
  need(c.dual_clip == 0 || c.dual_clip > 1, "train.dual_clip", "must be 0 (off) or > 1");
  need(c.loss_agg == "token-mean" || c.loss_agg == "seq-mean-token-mean" || c.loss_agg == "seq-mean-token-sum-norm",
       "train.loss_agg", "unknown '" + c.loss_agg + "' (known: token-mean, seq-mean-token-mean, seq-mean-token-sum-norm)");
  need(c.kl_estimator == "k1" || c.kl_estimator == "k3", "train.kl_estimator", "unknown '" + c.kl_estimator + "' (known: k1, k3)");
  need(c.bug == "none" || c.bug == "ratio-current" || c.bug == "clip-max", "train.bug",
       "unknown '" + c.bug + "' (known: none, ratio-current, clip-max)");
  need(c.temperature > 0, "train.temperature", "must be > 0 (rollouts are sampled)");
  need(c.top_p > 0 && c.top_p <= 1, "train.top_p", "must be in (0, 1]");
  need(c.max_response_len >= 1, "train.max_response_len", "must be >= 1");
  need(c.eval_every >= 0, "eval.every", "must be >= 0");
  need(c.eval_avg_k >= 0, "eval.avg_k", "must be >= 0");
  need(c.eval_max_new_tokens >= 1, "eval.max_new_tokens", "must be >= 1");
  need(c.grader == "paper" || c.grader == "strict", "eval.grader", "unknown '" + c.grader + "' (known: paper, strict)");
  need(c.labels == "gold" || c.labels == "majority" || c.labels == "incorrect" || c.labels == "one-shot", "reward.labels",
       "unknown '" + c.labels + "' (known: gold, majority, incorrect, one-shot)");
  need(c.label_samples >= 1, "reward.label_samples", "must be >= 1");
  need(c.threads >= 0, "run.threads", "must be >= 0");
  need(c.checkpoint_every >= 0, "run.checkpoint_every", "must be >= 0");
  need(!c.name.empty(), "run.name", "empty");
}

}  // namespace

RunConfig run_config_parse(const std::string& text, const std::string& source, const std::vector<std::string>& overrides) {
  toml::table t;
  try {
    t = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw_input(source + ":" + std::to_string(e.source().begin.line), std::string(e.description()));
  }
  RunConfig c;
  walk(c, t, "", source);
  for (const auto& ov : overrides) {
    std::string where = "--set " + ov;
    auto eq = ov.find('=');
    if (eq == std::string::npos || eq == 0) throw_input(where, "expected key=value");
    std::string key = ov.substr(0, eq), value = ov.substr(eq + 1);
    const Key* k = find_key(key);
    if (!k) throw_input(where, key + ": unknown key (see rl/README.md for the run keys)");
    toml::table v;
    try {
      v = toml::parse("v = " + value);
    } catch (const toml::parse_error&) {
      v = toml::table{{"v", value}};  // a bare word is a string: --set reward.name=random0.5
    }
    if (k->type == Key::Str && !v["v"].is_string()) v = toml::table{{"v", value}};  // --set run.name=123
    set_from_node(c, *k, *v.get("v"), where);
  }
  if (c.reward_seed < 0) c.reward_seed = c.seed;
  if (c.model_path.empty() && !c.model_dir.empty() && !c.model_name.empty()) c.model_path = c.model_dir + "/" + c.model_name;
  if (c.updates_per_rollout_set > 0) {
    int64_t n = c.prompts_per_rollout * c.samples_per_prompt;
    if (n % c.updates_per_rollout_set != 0)
      throw_input(source, "train.updates_per_rollout: " + std::to_string(c.updates_per_rollout_set) + " does not divide the rollout batch (" +
                              std::to_string(n) + " responses)");
    c.train_batch = n / c.updates_per_rollout_set;
  }
  check(c, source);
  return c;
}

bool run_config_key_known(const std::string& key) { return find_key(key) != nullptr; }

RunConfig run_config_load(const std::string& path, const std::vector<std::string>& overrides) {
  return run_config_parse(file_read(path), path, overrides);
}

std::map<std::string, std::string> run_config_flat(const RunConfig& c0) {
  RunConfig c = c0;
  std::map<std::string, std::string> out;
  for (const auto& k : keys()) {
    void* f = k.field(c);
    std::ostringstream ss;
    ss.precision(17);
    switch (k.type) {
      case Key::Str: ss << *static_cast<std::string*>(f); break;
      case Key::Int: ss << *static_cast<int64_t*>(f); break;
      case Key::Dbl: ss << *static_cast<double*>(f); break;
      case Key::Bool: ss << (*static_cast<bool*>(f) ? "true" : "false"); break;
    }
    out[k.name] = ss.str();
  }
  return out;
}

std::string run_config_toml(const RunConfig& c0) {
  RunConfig c = c0;
  toml::table root;
  for (const auto& k : keys()) {
    std::string name = k.name;
    auto dot = name.find('.');
    std::string sect = name.substr(0, dot), leaf = name.substr(dot + 1);
    if (!root.contains(sect)) root.insert(sect, toml::table{});
    toml::table& t = *root[sect].as_table();
    void* f = k.field(c);
    switch (k.type) {
      case Key::Str: t.insert(leaf, *static_cast<std::string*>(f)); break;
      case Key::Int: t.insert(leaf, *static_cast<int64_t*>(f)); break;
      case Key::Dbl: t.insert(leaf, *static_cast<double*>(f)); break;
      case Key::Bool: t.insert(leaf, *static_cast<bool*>(f)); break;
    }
  }
  std::ostringstream ss;
  ss << root;
  return ss.str();
}

}  // namespace rlvr
