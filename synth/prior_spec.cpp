#include "synth/prior_spec.h"

#include "synth/corpus_cues.h"
#include "synth/world_render.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/file.h"
#include "util/toml_reader.h"

namespace rlvr::synth {

std::string_view tokenizer_kind_name(TokenizerKind k) { return k == TokenizerKind::bpe ? "bpe" : "byte"; }
std::string_view chat_template_name(ChatTemplate t) { return t == ChatTemplate::chatml ? "chatml" : "plain"; }

namespace {

std::string g6(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

// [prior] code_blocks = [[share, propensity], ...]: shares in (0, 1] summing to 1, propensities in [0, 1].
void code_blocks_read(TomlReader& t, const toml::array& blocks, PriorSpec& prior) {
  double total = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    const toml::array* b = blocks.get(i)->as_array();
    auto num = [&](size_t k) -> std::optional<double> {
      const toml::node* n = b && b->size() == 2 ? b->get(k) : nullptr;
      if (!n || !n->is_number()) return std::nullopt;
      return n->is_integer() ? static_cast<double>(n->as_integer()->get()) : n->as_floating_point()->get();
    };
    auto share = num(0), p = num(1);
    if (!share || !p) t.fail("code_blocks", "block " + std::to_string(i) + ": expected [share, propensity]");
    if (!(*share > 0 && *share <= 1) || !(*p >= 0 && *p <= 1))
      t.fail("code_blocks", "block " + std::to_string(i) + ": share must be in (0, 1] and propensity in [0, 1]");
    prior.code_blocks.emplace_back(*share, *p);
    total += *share;
  }
  if (prior.code_blocks.empty() || std::fabs(total - 1) > 1e-9) t.fail("code_blocks", "the blocks' shares must sum to 1");
}

// [size]: the transformer's shape, checked for what the model needs (heads divide d_model, an even
// head size for rotary).
void size_read(TomlReader& top, ZooSpec& s) {
  TomlReader t = top.sub("size", true);
  constexpr int64_t kMaxDim = 1 << 16;
  s.size.layers = static_cast<int>(t.integer("layers", 1, 256));
  s.size.d_model = static_cast<int>(t.integer("d_model", 1, kMaxDim));
  s.size.heads = static_cast<int>(t.integer("heads", 1, 1024));
  s.size.kv_heads = static_cast<int>(t.integer("kv_heads", 1, 1024));
  s.size.ffn = static_cast<int>(t.integer("ffn", 1, 4 * kMaxDim));
  s.size.max_seq = static_cast<int>(t.integer("max_seq", 16, kMaxDim));
  if (s.size.d_model % s.size.heads != 0) t.fail("heads", "must divide d_model");
  if (s.size.heads % s.size.kv_heads != 0) t.fail("kv_heads", "must divide heads");
  if ((s.size.d_model / s.size.heads) % 2 != 0) t.fail("heads", "head size d_model/heads must be even (rotary)");
  t.finish();
}

void tokenizer_read(TomlReader& top, ZooSpec& s) {
  TomlReader t = top.sub("tokenizer", true);
  s.tokenizer.kind = t.string_in("kind", {"bpe", "byte"}) == "bpe" ? TokenizerKind::bpe : TokenizerKind::byte;
  // A byte tokenizer learns nothing; a BPE one needs at least one merge.
  constexpr int64_t kMaxMerges = 32768;
  s.tokenizer.merges = static_cast<int>(t.integer_opt("merges", 0, kMaxMerges).value_or(0));
  if (s.tokenizer.kind == TokenizerKind::bpe && s.tokenizer.merges < 1) t.fail("merges", "kind = \"bpe\" needs merges >= 1");
  if (s.tokenizer.kind == TokenizerKind::byte && s.tokenizer.merges != 0) t.fail("merges", "kind = \"byte\" takes no merges");
  t.finish();
}

// [prior]: the planted strategy prior; one of code_blocks, code_spread and code_focus says how the
// code share spreads over the problems.
void prior_read(TomlReader& top, ZooSpec& s) {
  TomlReader t = top.sub("prior", true);
  s.prior.code_share = t.number("code_share", 0, 1);
  if (const toml::array* blocks = t.array_opt("code_blocks")) {
    if (t.has("code_focus") || t.has("code_spread")) t.fail("code_blocks", "give one of code_focus, code_spread and code_blocks");
    code_blocks_read(t, *blocks, s.prior);
  } else if (auto spread = t.number_opt("code_spread", 0, kCodeSpreadMax)) {
    if (t.has("code_focus")) t.fail("code_focus", "give code_focus or code_spread, not both");
    s.prior.code_spread = *spread;
  } else {
    s.prior.code_focus = t.number("code_focus", 0, 1);
  }
  s.prior.language_variety = static_cast<int>(t.integer_opt("language_variety", 1, kLanguageForms).value_or(1));
  s.prior.code_error = t.number("code_error", 0, 1);
  s.prior.language_error = t.number("language_error", 0, 1);
  s.prior.box_rate = t.number("box_rate", 0, 1);
  s.prior.box_focus = t.number("box_focus", 0, 1);
  t.finish();
}

void tolerance_read(TomlReader& top, ZooSpec& s) {
  TomlReader t = top.sub("tolerance", true);
  // Tolerances are absolute differences of rates; 0 would demand an exact match of a sample.
  constexpr double kMinTol = 1e-3;
  s.tolerance.code_share = t.number("code_share", kMinTol, 1);
  s.tolerance.code_accuracy = t.number("code_accuracy", kMinTol, 1);
  s.tolerance.language_accuracy = t.number("language_accuracy", kMinTol, 1);
  s.tolerance.box_rate = t.number("box_rate", kMinTol, 1);
  t.finish();
}

// [world] (optional): the problem world's knobs, defaults where left out, checked as a whole.
void world_read(TomlReader& top, ZooSpec& s) {
  TomlReader t = top.sub("world", false);
  WorldKnobs d;
  s.world.steps_min = static_cast<int>(t.integer_opt("steps_min", INT32_MIN, INT32_MAX).value_or(d.steps_min));
  s.world.steps_max = static_cast<int>(t.integer_opt("steps_max", INT32_MIN, INT32_MAX).value_or(d.steps_max));
  s.world.operand_max = static_cast<int>(t.integer_opt("operand_max", INT32_MIN, INT32_MAX).value_or(d.operand_max));
  s.world.value_max = static_cast<int>(t.integer_opt("value_max", INT32_MIN, INT32_MAX).value_or(d.value_max));
  s.world.ops = t.string_opt("ops").value_or(d.ops);
  t.finish();
  try {
    world_knobs_check(s.world, "world");
  } catch (const InputError& e) {
    throw_input(s.source, e.what());
  }
}

// [train] (optional): the pretraining schedule (zoo/README.md). Bounds keep a typo from asking for
// a week of training or a learning rate that can only diverge.
void train_read(TomlReader& top, ZooSpec& s) {
  TomlReader t = top.sub("train", false);
  const TrainSpec d;
  s.train.base_steps = static_cast<int>(t.integer_opt("base_steps", 1, 1000000).value_or(d.base_steps));
  s.train.tune_steps = static_cast<int>(t.integer_opt("tune_steps", 0, 1000000).value_or(d.tune_steps));
  s.train.batch = static_cast<int>(t.integer_opt("batch", 1, 4096).value_or(d.batch));
  s.train.lr = t.number_opt("lr", 1e-6, 1.0).value_or(d.lr);
  s.train.tune_lr = t.number_opt("tune_lr", 1e-6, 1.0).value_or(d.tune_lr);
  s.train.contaminate = t.number_opt("contaminate", 0.0, 1.0).value_or(d.contaminate);
  t.finish();
}

// The planted share is what the blocks give this world's classes: one number, two spellings.
void code_blocks_check(const ZooSpec& s) {
  if (s.prior.code_blocks.empty()) return;
  const std::vector<double> classes = cue_code_classes(s.prior, s.world);
  double mean = 0;
  for (double p : classes) mean += p / static_cast<double>(classes.size());
  if (std::fabs(mean - s.prior.code_share) > 1e-9)
    throw_input(s.source, "prior.code_share: " + g6(s.prior.code_share) + " but code_blocks give " + g6(mean) + " over this world's " +
                              std::to_string(classes.size()) + " cue classes");
}

}  // namespace

ZooSpec zoo_spec_parse(std::string_view toml_text, const std::string& source) {
  const toml::table root = toml_parse_text(toml_text, source);
  ZooSpec s;
  s.source = source;
  TomlReader top(root, source);
  s.name = top.string("name");
  s.stands_for = top.string("stands_for");
  s.family = top.string_in("family", {"qwen2", "llama", "olmo2"});
  // Seeds are stored as TOML integers (signed 64-bit), so the non-negative half is allowed.
  s.seed = static_cast<uint64_t>(top.integer("seed", 0, INT64_MAX));
  s.chat_template = top.string_in("chat_template", {"chatml", "plain"}) == "chatml" ? ChatTemplate::chatml : ChatTemplate::plain;
  size_read(top, s);
  tokenizer_read(top, s);
  prior_read(top, s);
  tolerance_read(top, s);
  world_read(top, s);
  train_read(top, s);
  top.finish();
  code_blocks_check(s);
  return s;
}

ZooSpec zoo_spec_load(const std::string& path) {
  ZooSpec s = zoo_spec_parse(file_read(path), path);
  const std::string stem = std::filesystem::path(path).stem().string();
  if (s.name != stem) throw_input(path, "name: '" + s.name + "' must equal the file name '" + stem + "'");
  return s;
}

std::string zoo_spec_canonical(const ZooSpec& s) {
  nlohmann::ordered_json j;
  j["name"] = s.name;
  j["stands_for"] = s.stands_for;
  j["family"] = s.family;
  j["seed"] = s.seed;
  j["chat_template"] = chat_template_name(s.chat_template);
  j["size"] = {{"layers", s.size.layers}, {"d_model", s.size.d_model}, {"heads", s.size.heads},
               {"kv_heads", s.size.kv_heads}, {"ffn", s.size.ffn}, {"max_seq", s.size.max_seq}};
  j["tokenizer"] = {{"kind", tokenizer_kind_name(s.tokenizer.kind)}, {"merges", s.tokenizer.merges}};
  j["prior"] = {{"code_share", s.prior.code_share}, {"code_focus", s.prior.code_focus},
                {"code_error", s.prior.code_error}, {"language_error", s.prior.language_error},
                {"box_rate", s.prior.box_rate}, {"box_focus", s.prior.box_focus}};
  // The mechanism knobs only when used, so the specs without them keep their cache keys.
  if (s.prior.code_spread) j["prior"]["code_spread"] = *s.prior.code_spread;
  if (!s.prior.code_blocks.empty()) j["prior"]["code_blocks"] = s.prior.code_blocks;
  if (s.prior.language_variety != 1) j["prior"]["language_variety"] = s.prior.language_variety;
  j["tolerance"] = {{"code_share", s.tolerance.code_share}, {"code_accuracy", s.tolerance.code_accuracy},
                    {"language_accuracy", s.tolerance.language_accuracy}, {"box_rate", s.tolerance.box_rate}};
  j["world"] = {{"steps_min", s.world.steps_min}, {"steps_max", s.world.steps_max},
                {"operand_max", s.world.operand_max}, {"value_max", s.world.value_max}, {"ops", s.world.ops}};
  j["train"] = {{"base_steps", s.train.base_steps}, {"tune_steps", s.train.tune_steps}, {"batch", s.train.batch},
                {"lr", s.train.lr}, {"tune_lr", s.train.tune_lr}};
  if (s.train.contaminate > 0) j["train"]["contaminate"] = s.train.contaminate;  // only when set: old hashes stay
  return j.dump();
}

}  // namespace rlvr::synth
