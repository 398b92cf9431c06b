#include "synth/prior_spec.h"

#include <filesystem>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <toml++/toml.h>

#include "util/error.h"
#include "util/file.h"

namespace rlvr::synth {

namespace {

// Reads one TOML table, remembering which keys were used so that typos are reported.
class TableReader {
 public:
  TableReader(const toml::table& t, std::string source, std::string prefix)
      : t_(t), source_(std::move(source)), prefix_(std::move(prefix)) {}

  [[noreturn]] void fail(std::string_view key, std::string_view what) const {
    throw_input(source_, prefix_ + std::string(key) + ": " + std::string(what));
  }

  const toml::node* find(std::string_view key, bool required) {
    used_.insert(std::string(key));
    const toml::node* n = t_.get(key);
    if (!n && required) fail(key, "missing");
    return n;
  }

  int64_t integer(std::string_view key, int64_t lo, int64_t hi) {
    const toml::node* n = find(key, true);
    if (!n->is_integer()) fail(key, "expected an integer");
    const int64_t v = n->as_integer()->get();
    if (v < lo || v > hi) fail(key, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + std::to_string(v));
    return v;
  }
  int64_t integer_or(std::string_view key, int64_t lo, int64_t hi, int64_t dflt) {
    return t_.get(key) ? integer(key, lo, hi) : (used_.insert(std::string(key)), dflt);
  }

  double number(std::string_view key, double lo, double hi) {
    const toml::node* n = find(key, true);
    double v;
    if (n->is_integer()) v = static_cast<double>(n->as_integer()->get());
    else if (n->is_floating_point()) v = n->as_floating_point()->get();
    else fail(key, "expected a number");
    if (!(v >= lo && v <= hi)) fail(key, "must be in [" + fmt(lo) + ", " + fmt(hi) + "], got " + fmt(v));
    return v;
  }

  double get_or_number(std::string_view key, double lo, double hi, double dflt) {
    return t_.get(key) ? number(key, lo, hi) : (used_.insert(std::string(key)), dflt);
  }

  std::string string(std::string_view key, std::initializer_list<std::string_view> allowed = {}) {
    const toml::node* n = find(key, true);
    if (!n->is_string()) fail(key, "expected a string");
    std::string v = n->as_string()->get();
    if (allowed.size() == 0) {
      if (v.empty()) fail(key, "must not be empty");
      return v;
    }
    std::string list;
    for (auto a : allowed) {
      if (v == a) return v;
      list += (list.empty() ? "" : ", ") + std::string(a);
    }
    fail(key, "unknown '" + v + "' (allowed: " + list + ")");
  }

  const toml::table* table(std::string_view key, bool required) {
    const toml::node* n = find(key, required);
    if (!n) return nullptr;
    if (!n->is_table()) fail(key, "expected a table [" + prefix_ + std::string(key) + "]");
    return n->as_table();
  }

  // Unknown keys are errors: a misspelled rate would otherwise silently fall back to nothing.
  void finish() const {
    for (const auto& [k, v] : t_)
      if (!used_.count(std::string(k.str()))) fail(k.str(), "unknown field");
  }

  const std::string& source() const { return source_; }

 private:
  static std::string fmt(double v) {
    std::string s = std::to_string(v);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  const toml::table& t_;
  std::string source_, prefix_;
  std::set<std::string> used_;
};

// Sub-table reader: "size.layers" style names in errors.
TableReader sub(TableReader& parent, std::string_view key, bool required, const toml::table& empty) {
  const toml::table* t = parent.table(key, required);
  return TableReader(t ? *t : empty, parent.source(), std::string(key) + ".");
}

}  // namespace

std::string_view tokenizer_kind_name(TokenizerKind k) { return k == TokenizerKind::bpe ? "bpe" : "byte"; }
std::string_view chat_template_name(ChatTemplate t) { return t == ChatTemplate::chatml ? "chatml" : "plain"; }

ZooSpec zoo_spec_parse(std::string_view toml_text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    throw_input(source, "line " + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
  ZooSpec s;
  s.source = source;
  const toml::table empty;
  TableReader top(root, source, "");
  s.name = top.string("name");
  s.stands_for = top.string("stands_for");
  s.family = top.string("family", {"qwen2", "llama", "olmo2"});
  // Seeds are stored as TOML integers (signed 64-bit), so the non-negative half is allowed.
  s.seed = static_cast<uint64_t>(top.integer("seed", 0, INT64_MAX));
  s.chat_template = top.string("chat_template", {"chatml", "plain"}) == "chatml" ? ChatTemplate::chatml : ChatTemplate::plain;

  {
    TableReader t = sub(top, "size", true, empty);
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
  {
    TableReader t = sub(top, "tokenizer", true, empty);
    s.tokenizer.kind = t.string("kind", {"bpe", "byte"}) == "bpe" ? TokenizerKind::bpe : TokenizerKind::byte;
    // A byte tokenizer learns nothing; a BPE one needs at least one merge.
    constexpr int64_t kMaxMerges = 32768;
    s.tokenizer.merges = static_cast<int>(t.integer_or("merges", 0, kMaxMerges, 0));
    if (s.tokenizer.kind == TokenizerKind::bpe && s.tokenizer.merges < 1) t.fail("merges", "kind = \"bpe\" needs merges >= 1");
    if (s.tokenizer.kind == TokenizerKind::byte && s.tokenizer.merges != 0) t.fail("merges", "kind = \"byte\" takes no merges");
    t.finish();
  }
  {
    TableReader t = sub(top, "prior", true, empty);
    s.prior.code_share = t.number("code_share", 0, 1);
    s.prior.code_focus = t.number("code_focus", 0, 1);
    s.prior.code_error = t.number("code_error", 0, 1);
    s.prior.language_error = t.number("language_error", 0, 1);
    s.prior.box_rate = t.number("box_rate", 0, 1);
    s.prior.box_focus = t.number("box_focus", 0, 1);
    t.finish();
  }
  {
    TableReader t = sub(top, "tolerance", true, empty);
    // Tolerances are absolute differences of rates; 0 would demand an exact match of a sample.
    constexpr double kMinTol = 1e-3;
    s.tolerance.code_share = t.number("code_share", kMinTol, 1);
    s.tolerance.code_accuracy = t.number("code_accuracy", kMinTol, 1);
    s.tolerance.language_accuracy = t.number("language_accuracy", kMinTol, 1);
    s.tolerance.box_rate = t.number("box_rate", kMinTol, 1);
    t.finish();
  }
  {
    TableReader t = sub(top, "world", false, empty);
    WorldKnobs d;
    s.world.steps_min = static_cast<int>(t.integer_or("steps_min", INT32_MIN, INT32_MAX, d.steps_min));
    s.world.steps_max = static_cast<int>(t.integer_or("steps_max", INT32_MIN, INT32_MAX, d.steps_max));
    s.world.operand_max = static_cast<int>(t.integer_or("operand_max", INT32_MIN, INT32_MAX, d.operand_max));
    s.world.value_max = static_cast<int>(t.integer_or("value_max", INT32_MIN, INT32_MAX, d.value_max));
    s.world.ops = root["world"]["ops"] ? t.string("ops") : d.ops;
    t.finish();
    try {
      world_knobs_check(s.world, "world");
    } catch (const InputError& e) {
      throw_input(source, e.what());
    }
  }
  {
    // Optional: the pretraining schedule (zoo/README.md). Bounds keep a typo from asking for a
    // week of training or a learning rate that can only diverge.
    TableReader t = sub(top, "train", false, empty);
    const TrainSpec d;
    s.train.base_steps = static_cast<int>(t.integer_or("base_steps", 1, 1000000, d.base_steps));
    s.train.tune_steps = static_cast<int>(t.integer_or("tune_steps", 0, 1000000, d.tune_steps));
    s.train.batch = static_cast<int>(t.integer_or("batch", 1, 4096, d.batch));
    s.train.lr = t.get_or_number("lr", 1e-6, 1.0, d.lr);
    s.train.tune_lr = t.get_or_number("tune_lr", 1e-6, 1.0, d.tune_lr);
    t.finish();
  }
  top.finish();

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
  j["tolerance"] = {{"code_share", s.tolerance.code_share}, {"code_accuracy", s.tolerance.code_accuracy},
                    {"language_accuracy", s.tolerance.language_accuracy}, {"box_rate", s.tolerance.box_rate}};
  j["world"] = {{"steps_min", s.world.steps_min}, {"steps_max", s.world.steps_max},
                {"operand_max", s.world.operand_max}, {"value_max", s.world.value_max}, {"ops", s.world.ops}};
  j["train"] = {{"base_steps", s.train.base_steps}, {"tune_steps", s.train.tune_steps}, {"batch", s.train.batch},
                {"lr", s.train.lr}, {"tune_lr", s.train.tune_lr}};
  return j.dump();
}

}  // namespace rlvr::synth
