#include "rl/run_config.h"

#include <optional>
#include <sstream>
#include <type_traits>
#include <variant>

#include "util/error.h"
#include "util/file.h"
#include "util/toml_reader.h"

namespace rlvr {

namespace {

// One entry of the key table: a run key and the RunConfig member it reads and writes. The member
// is a typed pointer, so a key whose declared type does not match its field does not compile.
struct EnumField {  // an enum member, read and written through its name table
  std::string_view (*get)(const RunConfig&);
  bool (*set)(RunConfig&, std::string_view);  // false: not a known name
  std::string (*known)();
};
using Field = std::variant<std::string RunConfig::*, int64_t RunConfig::*, double RunConfig::*, bool RunConfig::*, EnumField>;

struct Key {
  const char* name;  // "train.lr"
  Field field;
};

template <auto Member>
EnumField enum_field() {
  using E = std::remove_cvref_t<decltype(std::declval<RunConfig&>().*Member)>;
  return {[](const RunConfig& c) { return enum_name(c.*Member); },
          [](RunConfig& c, std::string_view text) {
            auto v = enum_parse<E>(text);
            if (v) c.*Member = *v;
            return v.has_value();
          },
          [] { return enum_list<E>(); }};
}

const std::vector<Key>& keys() {
  using C = RunConfig;
  static const std::vector<Key> k = {
      {"run.name", &C::name}, {"run.suite", &C::suite}, {"run.mutant", &C::mutant}, {"run.seed", &C::seed},
      {"run.device", &C::device}, {"run.dtype", enum_field<&C::dtype>()}, {"run.threads", &C::threads},
      {"run.checkpoint_dir", &C::checkpoint_dir}, {"run.checkpoint_every", &C::checkpoint_every},
      {"model.path", &C::model_path}, {"model.dir", &C::model_dir}, {"model.name", &C::model_name},
      {"model.template", &C::prompt_template},
      {"data.train", &C::train_path}, {"data.eval", &C::eval_path}, {"data.eval_name", &C::eval_name}, {"data.extra_evals", &C::extra_evals},
      {"data.train_limit", &C::train_limit}, {"data.eval_limit", &C::eval_limit},
      {"reward.name", &C::reward}, {"reward.seed", &C::reward_seed}, {"reward.r1_style", &C::reward_r1_style}, {"reward.labels", enum_field<&C::labels>()},
      {"reward.label_samples", &C::label_samples}, {"reward.label_temperature", &C::label_temperature},
      {"reward.one_shot_id", &C::one_shot_id},
      {"train.preset", &C::preset}, {"train.steps", &C::steps},
      {"train.prompts_per_rollout", &C::prompts_per_rollout}, {"train.samples_per_prompt", &C::samples_per_prompt},
      {"train.train_batch", &C::train_batch}, {"train.updates_per_rollout", &C::updates_per_rollout_set}, {"train.grad_accum", &C::grad_accum},
      {"train.micro_batch", &C::micro_batch},
      {"train.lr", &C::lr}, {"train.warmup_steps", &C::warmup_steps},
      {"train.beta1", &C::beta1}, {"train.beta2", &C::beta2}, {"train.adam_eps", &C::adam_eps},
      {"train.weight_decay", &C::weight_decay}, {"train.grad_clip", &C::grad_clip},
      {"train.clip", &C::clip}, {"train.clip_low", &C::clip_low}, {"train.clip_high", &C::clip_high},
      {"train.dual_clip", &C::dual_clip}, {"train.loss_agg", enum_field<&C::loss_agg>()},
      {"train.group_mean", &C::group_mean}, {"train.std_normalize", &C::std_normalize}, {"train.batch_whiten", &C::batch_whiten},
      {"train.kl_coef", &C::kl_coef}, {"train.kl_estimator", enum_field<&C::kl_estimator>()},
      {"train.entropy_coef", &C::entropy_coef}, {"train.temperature", &C::temperature},
      {"train.top_p", &C::top_p}, {"train.max_response_len", &C::max_response_len},
      {"train.loss_first_tokens", &C::loss_first_tokens}, {"train.loss_through_tokens", &C::loss_through_tokens},
      {"train.bug", enum_field<&C::bug>()}, {"train.unclipped", enum_field<&C::unclipped>()},
      {"train.backend", &C::backend}, {"train.dist_timeout_s", &C::dist_timeout_s},
      {"eval.every", &C::eval_every}, {"eval.greedy", &C::eval_greedy}, {"eval.avg_k", &C::eval_avg_k},
      {"eval.temperature", &C::eval_temperature}, {"eval.max_new_tokens", &C::eval_max_new_tokens},
      {"eval.grader", enum_field<&C::grader>()}, {"eval.prefix", &C::eval_prefix},
      {"eval.r1_style", &C::eval_r1_style}, {"eval.probe", &C::eval_probe},
  };
  return k;
}

const Key* find_key(const std::string& name) {
  for (const auto& k : keys())
    if (name == k.name) return &k;
  return nullptr;
}

bool is_text(const Field& f) {
  return std::holds_alternative<std::string RunConfig::*>(f) || std::holds_alternative<EnumField>(f);
}

constexpr std::string_view kUnknownKey = "unknown key (see rl/README.md for the run keys)";

// Reads key `k` (its leaf name in `r`'s table) into `c`; the reader names file and key in errors.
void read_key(RunConfig& c, const Key& k, TomlReader& r, std::string_view leaf) {
  std::visit(
      [&](const auto& member) {
        using M = std::decay_t<decltype(member)>;
        if constexpr (std::is_same_v<M, std::string RunConfig::*>) {
          if (auto v = r.text_opt(leaf)) c.*member = *v;
        } else if constexpr (std::is_same_v<M, int64_t RunConfig::*>) {
          if (auto v = r.integer_opt(leaf, INT64_MIN, INT64_MAX)) c.*member = *v;
        } else if constexpr (std::is_same_v<M, double RunConfig::*>) {
          if (auto v = r.number_opt(leaf)) c.*member = *v;
        } else if constexpr (std::is_same_v<M, bool RunConfig::*>) {
          if (auto v = r.boolean_opt(leaf)) c.*member = *v;
        } else {
          if (auto v = r.text_opt(leaf); v && !member.set(c, *v))
            r.fail(leaf, "unknown '" + *v + "' (known: " + member.known() + ")");
        }
      },
      k.field);
}

// "train.lr" -> ("train", "lr"): every run key is one section and one leaf.
std::pair<std::string, std::string> key_split(std::string_view name) {
  const auto dot = name.find('.');
  return {std::string(name.substr(0, dot)), std::string(name.substr(dot + 1))};
}

// The whole file: each section a sub-reader, every key of the table read, anything else unknown.
void read_file(RunConfig& c, const toml::table& root, const std::string& source) {
  TomlReader top(root, source);
  std::map<std::string, TomlReader> sections;
  for (const Key& k : keys()) {
    auto [sect, leaf] = key_split(k.name);
    auto it = sections.find(sect);
    if (it == sections.end()) it = sections.emplace(sect, top.sub(sect, false)).first;
    read_key(c, k, it->second, leaf);
  }
  for (const auto& [name, r] : sections) r.finish(kUnknownKey);
  top.finish(kUnknownKey);
}

// The value of a key as text (what run_config_flat stores) or as a TOML value (run_config_toml).
std::string field_text(const RunConfig& c, const Field& f) {
  return std::visit(
      [&](const auto& member) -> std::string {
        using M = std::decay_t<decltype(member)>;
        std::ostringstream ss;
        ss.precision(17);
        if constexpr (std::is_same_v<M, EnumField>) ss << member.get(c);
        else if constexpr (std::is_same_v<M, bool RunConfig::*>) ss << (c.*member ? "true" : "false");
        else ss << c.*member;
        return ss.str();
      },
      f);
}

void field_insert(const RunConfig& c, const Field& f, toml::table& t, const std::string& leaf) {
  std::visit(
      [&](const auto& member) {
        using M = std::decay_t<decltype(member)>;
        if constexpr (std::is_same_v<M, EnumField>) t.insert(leaf, std::string(member.get(c)));
        else t.insert(leaf, c.*member);
      },
      f);
}

// The presets, one name table: what each sets on top of RunConfig's member initializers (the
// `standard` preset). Keys given in the file or by --set override a preset's values.
struct Preset {
  const char* name;
  void (*apply)(RunConfig&);
};
constexpr Preset kPresets[] = {
    {"standard", [](RunConfig&) {}},
    // The scripts (ruixin31/Spurious_Rewards, OpenRLHF with --packing_samples and
    // --micro_train_batch_size 4): the masked mean over all tokens of a packed micro-batch of 4
    // sequences, then the mean over gradient accumulation.
    {"paper",
     [](RunConfig& c) {
       c.loss_agg = LossAgg::micro_token_mean;
       c.micro_batch = 4;
     }},
};

const Preset* preset_find(const std::string& name) {
  for (const Preset& p : kPresets)
    if (name == p.name) return &p;
  return nullptr;
}

std::string preset_names() {
  std::string s;
  for (const Preset& p : kPresets) s += (s.empty() ? "" : ", ") + std::string(p.name);
  return s;
}

// The file, then the --set overrides, into c.
void read_all(RunConfig& c, const toml::table& root, const std::string& source, const std::vector<std::string>& overrides) {
  read_file(c, root, source);
  for (const auto& ov : overrides) {
    std::string where = "--set " + ov;
    auto eq = ov.find('=');
    if (eq == std::string::npos || eq == 0) throw_input(where, "expected key=value");
    std::string key = ov.substr(0, eq), value = ov.substr(eq + 1);
    const Key* k = find_key(key);
    if (!k) throw_input(where, key + ": " + std::string(kUnknownKey));
    auto [sect, leaf] = key_split(k->name);
    toml::table one;
    try {
      one = toml::parse(leaf + " = " + value);
    } catch (const toml::parse_error&) {
      // A bare word is a string (--set reward.name=random0.5), read back through the TOML parser so
      // that it is held to TOML's rules: bytes that are not UTF-8 are refused here, not written
      // into the run's recorded config as something else (fuzz/run_config_toml found that).
      try {
        one = toml::parse(leaf + " = " + toml_quote(value));
      } catch (const toml::parse_error&) {
        throw_input(where, "the value is not valid UTF-8 text");
      }
    }
    if (is_text(k->field) && !one[leaf].is_string()) one = toml::table{{leaf, value}};  // --set run.name=123
    TomlReader r(one, where, sect + ".");
    read_key(c, *k, r, leaf);
  }
}

void check(const RunConfig& c, const std::string& src) {
  auto need = [&](bool ok, const char* key, const std::string& what) {
    if (!ok) throw_input(src, std::string(key) + ": " + what);
  };
  need(!c.model_path.empty(), "model.path", "missing (or give model.dir and model.name)");
  need(!c.train_path.empty(), "data.train", "missing");
  need(!c.eval_path.empty(), "data.eval", "missing");
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
  need(c.temperature > 0, "train.temperature", "must be > 0 (rollouts are sampled)");
  need(c.top_p > 0 && c.top_p <= 1, "train.top_p", "must be in (0, 1]");
  need(c.max_response_len >= 1, "train.max_response_len", "must be >= 1");
  need(c.loss_first_tokens >= 0 && c.loss_first_tokens <= c.max_response_len, "train.loss_first_tokens",
       "must be in [0, train.max_response_len] (0: every token)");
  // Token-weighted aggregations weigh micro-batches by their token counts, which the isolation arm
  // changes; the per-sequence means do not.
  need(c.loss_first_tokens == 0 || c.loss_agg == LossAgg::seq_mean_token_mean || c.loss_agg == LossAgg::seq_mean_token_sum_norm,
       "train.loss_first_tokens", "needs train.loss_agg = seq-mean-token-mean or seq-mean-token-sum-norm");
  need(c.loss_through_tokens.empty() || c.loss_agg == LossAgg::seq_mean_token_mean || c.loss_agg == LossAgg::seq_mean_token_sum_norm,
       "train.loss_through_tokens", "needs train.loss_agg = seq-mean-token-mean or seq-mean-token-sum-norm");
  need(c.loss_through_tokens.empty() || c.loss_first_tokens == 0, "train.loss_through_tokens",
       "give it or train.loss_first_tokens, not both");
  need(c.backend == "auto" || c.backend == "gloo" || c.backend == "nccl", "train.backend", "unknown '" + c.backend + "' (known: auto, gloo, nccl)");
  need(c.dist_timeout_s >= 1 && c.dist_timeout_s <= 86400, "train.dist_timeout_s", "must be in [1, 86400]");
  need(c.eval_every >= 0, "eval.every", "must be >= 0");
  need(c.eval_avg_k >= 0, "eval.avg_k", "must be >= 0");
  need(c.eval_probe == 0 || (c.eval_probe > 0 && c.eval_probe < 1), "eval.probe", "must be 0 (off) or a fraction in (0, 1)");
  need(c.eval_max_new_tokens >= 1, "eval.max_new_tokens", "must be >= 1");
  need(c.label_samples >= 1, "reward.label_samples", "must be >= 1");
  need(c.threads >= 0, "run.threads", "must be >= 0");
  need(c.checkpoint_every >= 0, "run.checkpoint_every", "must be >= 0");
  need(!c.name.empty(), "run.name", "empty");
}

}  // namespace

RunConfig run_config_parse(const std::string& text, const std::string& source, const std::vector<std::string>& overrides) {
  const toml::table root = toml_parse_text(text, source);
  RunConfig c;
  read_all(c, root, source, overrides);  // under the standard preset: which preset, and what was given
  const Preset* preset = preset_find(c.preset);
  if (!preset) throw_input(source, "train.preset: unknown preset '" + c.preset + "' (known: " + preset_names() + ")");
  if (preset != &kPresets[0]) {
    const RunConfig given = c;
    c = RunConfig{};
    preset->apply(c);
    read_all(c, root, source, overrides);  // the file and --set over the preset's values
    // An explicit train.grad_accum sizes the micro-batches itself: the preset's micro_batch yields.
    if (given.grad_accum != 1 && given.micro_batch == 0) c.micro_batch = 0;
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
  if (c.micro_batch > 0) {
    if (c.train_batch % c.micro_batch != 0)
      throw_input(source, "train.micro_batch: " + std::to_string(c.micro_batch) + " does not divide train.train_batch (" +
                              std::to_string(c.train_batch) + ")");
    // A grad_accum that agrees (the canonical TOML writes both) is fine; any other is a conflict.
    if (c.grad_accum != 1 && c.grad_accum != c.train_batch / c.micro_batch)
      throw_input(source, "train.micro_batch: give it or train.grad_accum, not both");
    c.grad_accum = c.train_batch / c.micro_batch;
  }
  if (c.micro_batch < 0) throw_input(source, "train.micro_batch: must be >= 0 (0: from train.grad_accum)");
  check(c, source);
  return c;
}

bool run_config_key_known(const std::string& key) { return find_key(key) != nullptr; }

RunConfig run_config_load(const std::string& path, const std::vector<std::string>& overrides) {
  return run_config_parse(file_read(path), path, overrides);
}

std::map<std::string, std::string> run_config_flat(const RunConfig& c) {
  std::map<std::string, std::string> out;
  for (const auto& k : keys()) out[k.name] = field_text(c, k.field);
  return out;
}

std::string run_config_toml(const RunConfig& c) {
  toml::table root;
  for (const auto& k : keys()) {
    std::string name = k.name;
    auto dot = name.find('.');
    std::string sect = name.substr(0, dot), leaf = name.substr(dot + 1);
    if (!root.contains(sect)) root.insert(sect, toml::table{});
    field_insert(c, k.field, *root[sect].as_table(), leaf);
  }
  std::ostringstream ss;
  ss << root;
  return ss.str();
}

}  // namespace rlvr
