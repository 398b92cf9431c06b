// suite_parse.cpp: suites/*.toml -> Suite (cells expanded). Format: suites/README.md.
#include <charconv>
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>
#include <set>

#include "suites/suite.h"
#include "suites/suite_science.h"
#include "util/toml_reader.h"
#include "util/error.h"

namespace rlvr {

namespace {

// Run-config overrides of a cell: flat dotted run key -> value text ("train.lr" -> "1e-05").
using RunKeys = std::map<std::string, std::string>;

struct ModelSpec {
  std::string name, family;
  double params = 0;  // optional: parameters, for shard balancing (0: unknown)
  RunKeys set;
};
struct RewardSpec {
  std::string label, fn;
  RunKeys set;
};
struct Override {
  std::optional<int64_t> steps;
  std::optional<double> timeout_s;
  std::optional<int64_t> ranks;
  std::optional<std::string> runner;
  std::optional<std::vector<int64_t>> seeds;
  bool skip = false;
  RunKeys set;
};

// A suite file as read, before its matrix is expanded.
struct SuiteText {
  SuiteInfo info;  // everything but contrasts (resolved against the cells)
  int64_t steps = 0;
  double timeout_s = 0;
  int64_t ranks = 1;
  std::string runner;
  std::vector<ModelSpec> models;
  std::vector<RewardSpec> rewards;
  std::string dataset;
  RunKeys defaults;  // [defaults] plus the eval.* keys of [eval]
  std::map<std::string, Override> overrides;
  std::vector<std::string> contrast_text;
  std::vector<SuiteMutant> mutants;
};

// Keys the suite owns: a [defaults] or set table must not fight the matrix over them.
const std::map<std::string, std::string> kReserved = {
    {"model.name", "models"}, {"reward.name", "rewards"}, {"train.steps", "steps"},
    {"run.seed", "seeds"},  {"data.eval_name", "eval.dataset"}, {"run.mutant", "mutant"}};

constexpr int64_t kMaxSteps = 1'000'000;
constexpr int64_t kMaxSeed = (int64_t{1} << 53);
constexpr double kMaxTimeout = 7 * 24 * 3600.0;
constexpr int64_t kMaxRanks = 256;  // as train --nproc

// Names become CTest test names, labels and path parts: keep them to a safe alphabet.
void check_name(const TomlReader& r, std::string_view key, const std::string& v) {
  if (v.empty()) r.fail(key, "must not be empty");
  for (char c : v)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '+'))
      r.fail(key, "'" + v + "' may only hold letters, digits and . _ - +");
}

RunKeys read_set(const toml::table* t, const TomlReader& r, const std::string& field, bool mutant = false) {
  RunKeys out;
  if (!t) return out;
  toml_flatten_set(*t, r.file(), r.field(field) + ".", "", out);
  for (const auto& [k, v] : out) {
    if (mutant && k == "reward.name") continue;  // a mutant may swap the reward (inverse_math)
    auto it = kReserved.find(k);
    if (it != kReserved.end()) r.fail(std::string(field) + "." + k, "set by the suite's '" + it->second + "' field, not here");
  }
  return out;
}

ModelSpec read_model(const toml::node& n, const std::string& file, size_t i) {
  std::string field = "models[" + std::to_string(i) + "]";
  if (!n.is_table()) throw_input(file, field + ": expected a table { name = \"...\", family = \"...\" }");
  TomlReader r(*n.as_table(), file, field + ".");
  ModelSpec m;
  m.name = r.string("name");
  check_name(r, "name", m.name);
  m.family = r.string("family");
  check_name(r, "family", m.family);
  m.params = r.number_opt("params", 1, 1e13).value_or(0);
  m.set = read_set(r.table_opt("set"), r, "set");
  r.finish();
  return m;
}

RewardSpec read_reward(const toml::node& n, const std::string& file, size_t i) {
  std::string field = "rewards[" + std::to_string(i) + "]";
  RewardSpec rw;
  if (n.is_string()) {
    rw.label = rw.fn = n.as_string()->get();
    static const toml::table kEmpty;
    check_name(TomlReader(kEmpty, file, ""), field, rw.label);
    return rw;
  }
  if (!n.is_table()) throw_input(file, field + ": expected a reward name or a table { name, reward, set }");
  TomlReader r(*n.as_table(), file, field + ".");
  rw.label = r.string("name");
  check_name(r, "name", rw.label);
  rw.fn = r.string_opt("reward").value_or(rw.label);
  rw.set = read_set(r.table_opt("set"), r, "set");
  r.finish();
  return rw;
}

Override read_override(const toml::table& t, const std::string& file, const std::string& pattern) {
  TomlReader r(t, file, "overrides." + pattern + ".");
  Override o;
  o.steps = r.integer_opt("steps", 0, kMaxSteps);
  o.timeout_s = r.number_opt("timeout_s", 1, kMaxTimeout);
  o.ranks = r.integer_opt("ranks", 1, kMaxRanks);
  o.runner = r.string_opt("runner");
  o.seeds = r.integers_opt("seeds", 0, kMaxSeed);
  if (o.seeds && o.seeds->empty()) r.fail("seeds", "must not be empty (use skip = true to drop the cell)");
  o.skip = r.boolean_opt("skip").value_or(false);
  o.set = read_set(r.table_opt("set"), r, "set");
  r.finish();
  return o;
}

SuiteMutant read_mutant(const toml::node& n, const std::string& file, size_t i) {
  std::string field = "mutant[" + std::to_string(i) + "]";
  if (!n.is_table()) throw_input(file, field + ": expected a table { name, cells, set, breaks }");
  TomlReader r(*n.as_table(), file, field + ".");
  SuiteMutant m;
  m.name = r.string("name");
  check_name(r, "name", m.name);
  m.description = r.string_opt("description").value_or("");
  auto strings = [&](std::string_view key, bool required) {
    std::vector<std::string> out;
    const toml::array* a = r.array_opt(key);
    if (!a) {
      if (required) r.fail(key, "missing");
      return out;
    }
    for (size_t k = 0; k < a->size(); ++k) {
      const toml::node* x = a->get(k);
      if (!x->is_string() || x->as_string()->get().empty()) r.fail(key, "expected non-empty strings");
      out.push_back(x->as_string()->get());
    }
    if (required && out.empty()) r.fail(key, "must not be empty");
    return out;
  };
  m.cells = strings("cells", true);
  m.set = read_set(r.table_opt("set"), r, "set", /*mutant=*/true);
  if (m.set.empty()) r.fail("set", "missing or empty: a mutant changes at least one run key");
  m.breaks = strings("breaks", false);
  std::string expect = r.string_opt("expect").value_or("caught");
  if (expect != "caught" && expect != "missed" && expect != "traced")
    r.fail("expect", "expected \"caught\", \"missed\" or \"traced\", got '" + expect + "'");
  m.expect_caught = expect == "caught";
  m.traced = expect == "traced";
  // A ladder: graded versions of one fault, each a rung with its size (power traces the curve).
  if (auto ladder = r.string_opt("ladder")) {
    check_name(r, "ladder", *ladder);
    m.ladder = *ladder;
    m.rung = r.number("rung", -1e300, 1e300);
  } else if (r.has("rung")) {
    r.fail("rung", "a rung belongs to a ladder: give ladder = \"NAME\" too");
  }
  r.finish();
  return m;
}

void merge(RunKeys& into, const RunKeys& from) {
  for (const auto& [k, v] : from) into[k] = v;
}


// Phase 1: the file, read and checked field by field (nothing expanded yet).
namespace {

// The suite's top-level keys: name, description, device, zoo, golden, seeds, steps, limits, runner.
void info_read(TomlReader& r, const std::string& path, const std::vector<int64_t>& seeds_override, SuiteText& t) {
  SuiteInfo& info = t.info;
  info.path = path;
  std::string stem = std::filesystem::path(path).stem().string();
  info.name = r.string_opt("name").value_or(stem);
  check_name(r, "name", info.name);
  info.description = r.string_opt("description").value_or("");
  info.device = r.string_opt("device").value_or("cpu");
  if (info.device != "cpu" && info.device != "gpu") r.fail("device", "expected \"cpu\" or \"gpu\", got '" + info.device + "'");
  info.zoo = r.boolean_opt("zoo").value_or(false);
  info.golden = r.string_opt("golden").value_or("golden/" + info.name + ".toml");
  auto seeds = r.integers_opt("seeds", 0, kMaxSeed);
  if (!seeds) r.fail("seeds", "missing");
  if (seeds->empty()) r.fail("seeds", "must not be empty");
  info.seeds = seeds_override.empty() ? *seeds : seeds_override;
  info.file_seeds = *seeds;
  t.steps = r.integer("steps", 0, kMaxSteps);
  t.timeout_s = r.number("timeout_s", 1, kMaxTimeout);
  t.ranks = r.integer_opt("ranks", 1, kMaxRanks).value_or(1);
  t.runner = r.string_opt("runner").value_or("");
}

// The cells' axes: [[models]] and [[rewards]], each name once, and the seeds once each.
void axes_read(TomlReader& r, const std::string& path, SuiteText& t) {
  const toml::array* ma = r.array_opt("models");
  if (!ma || ma->empty()) r.fail("models", "missing or empty");
  for (size_t i = 0; i < ma->size(); ++i) t.models.push_back(read_model(*ma->get(i), path, i));
  const toml::array* ra = r.array_opt("rewards");
  if (!ra || ra->empty()) r.fail("rewards", "missing or empty");
  for (size_t i = 0; i < ra->size(); ++i) t.rewards.push_back(read_reward(*ra->get(i), path, i));
  std::set<std::string> seen;
  for (size_t i = 0; i < t.models.size(); ++i) {
    if (!seen.insert(t.models[i].name).second) r.fail("models[" + std::to_string(i) + "].name", "duplicate '" + t.models[i].name + "'");
    t.info.models.push_back(t.models[i].name);
  }
  seen.clear();
  for (size_t i = 0; i < t.rewards.size(); ++i)
    if (!seen.insert(t.rewards[i].label).second) r.fail("rewards[" + std::to_string(i) + "]", "duplicate '" + t.rewards[i].label + "'");
  std::set<int64_t> seed_set(t.info.seeds.begin(), t.info.seeds.end());
  if (seed_set.size() != t.info.seeds.size()) r.fail("seeds", "duplicate seed");
}

// [eval] (dataset is required: compare reads that dataset; other keys are eval.* overrides) and
// [defaults], merged into the keys every cell starts from.
void defaults_read(TomlReader& r, const std::string& path, SuiteText& t) {
  const toml::table* eval = r.table_opt("eval");
  if (!eval) r.fail("eval", "missing (needs at least dataset = \"...\")");
  RunKeys eval_set;
  {
    TomlReader er(*eval, path, "eval.");
    t.dataset = er.string("dataset");
    toml::table rest = *eval;
    rest.erase("dataset");
    toml_flatten_set(rest, path, "", "eval.", eval_set);
  }
  t.defaults = read_set(r.table_opt("defaults"), r, "defaults");
  for (const auto& [k, v] : eval_set)
    if (t.defaults.count(k)) r.fail("defaults." + k, "also given in [eval]");
  merge(t.defaults, eval_set);
}

// [overrides."MODEL/REWARD"] (or MODEL/*, */REWARD): run keys for the cells a pattern names.
void overrides_read(TomlReader& r, const std::string& path, SuiteText& t) {
  const toml::table* ot = r.table_opt("overrides");
  if (!ot) return;
  for (const auto& [k, v] : *ot) {
    std::string pat(k.str());
    std::string field = "overrides." + pat;
    if (!v.is_table()) throw_input(path, field + ": expected a table");
    auto slash = pat.find('/');
    if (slash == std::string::npos || pat.find('/', slash + 1) != std::string::npos)
      throw_input(path, field + ": expected \"MODEL/REWARD\", \"MODEL/*\" or \"*/REWARD\"");
    std::string m = pat.substr(0, slash), w = pat.substr(slash + 1);
    if (m == "*" && w == "*") throw_input(path, field + ": use [defaults] for every cell");
    if (m != "*" && std::find(t.info.models.begin(), t.info.models.end(), m) == t.info.models.end())
      throw_input(path, field + ": no model '" + m + "' in models");
    if (w != "*" && std::none_of(t.rewards.begin(), t.rewards.end(), [&](const RewardSpec& x) { return x.label == w; }))
      throw_input(path, field + ": no reward '" + w + "' in rewards");
    t.overrides[pat] = read_override(*v.as_table(), path, pat);
  }
}

// [power]: the mutants and fresh seeds of the CI power check.
void power_read(TomlReader& r, const std::string& path, SuiteInfo& info) {
  const toml::table* pw = r.table_opt("power");
  if (!pw) return;
  TomlReader pr(*pw, path, "power.");
  if (const toml::array* a = pr.array_opt("ci_mutants"))
    for (size_t i = 0; i < a->size(); ++i) {
      const toml::node* x = a->get(i);
      if (!x->is_string()) pr.fail("ci_mutants", "expected mutant names");
      info.ci_power_mutants.push_back(x->as_string()->get());
    }
  auto ps = pr.integers_opt("ci_seeds", 0, kMaxSeed);
  if (!info.ci_power_mutants.empty() && (!ps || ps->empty())) pr.fail("ci_seeds", "missing: the fresh seeds the CI power check runs on");
  if (ps) info.ci_power_seeds = *ps;
  pr.finish();
}

// [seed_ranges]: one [lo, hi] (inclusive) per SeedRole (golden, control, mutant, confirm), pairwise disjoint.
void seed_ranges_read(TomlReader& r, const std::string& path, SuiteInfo& info) {
  const toml::table* t = r.table_opt("seed_ranges");
  if (!t) return;
  TomlReader sr(*t, path, "seed_ranges.");
  for (const auto& [role, name] : kSeedRoleNames) {
    auto v = sr.integers_opt(std::string(name), 0, kMaxSeed);
    if (!v) continue;
    if (v->size() != 2 || (*v)[0] > (*v)[1]) sr.fail(std::string(name), "expected [lo, hi] with lo <= hi");
    info.seed_ranges[static_cast<size_t>(role)] = {(*v)[0], (*v)[1]};
  }
  for (size_t a = 0; a < info.seed_ranges.size(); ++a)
    for (size_t b = a + 1; b < info.seed_ranges.size(); ++b) {
      const SeedRange &x = info.seed_ranges[a], &y = info.seed_ranges[b];
      if (x.declared() && y.declared() && x.lo <= y.hi && y.lo <= x.hi)
        sr.fail(std::string(kSeedRoleNames[b].name), "overlaps seed_ranges." + std::string(kSeedRoleNames[a].name) +
                                                         ": a seed has one role (golden, control, mutant or confirm)");
    }
  sr.finish();
}

}  // namespace

SuiteText suite_text_read(const std::string& path, const std::vector<int64_t>& seeds_override) {
  toml::table root = toml_parse_file(path);
  TomlReader r(root, path);
  SuiteText t;
  info_read(r, path, seeds_override, t);
  axes_read(r, path, t);
  defaults_read(r, path, t);
  overrides_read(r, path, t);
  if (const toml::array* ca = r.array_opt("contrasts"))
    for (size_t i = 0; i < ca->size(); ++i) {
      const toml::node* x = ca->get(i);
      if (!x->is_string()) r.fail("contrasts[" + std::to_string(i) + "]", "expected \"MODEL/A - B\"");
      t.contrast_text.push_back(x->as_string()->get());
    }
  power_read(r, path, t.info);
  seed_ranges_read(r, path, t.info);
  suite_science_read(r, t.info);
  if (const toml::array* mu = r.array_opt("mutant"))
    for (size_t i = 0; i < mu->size(); ++i) t.mutants.push_back(read_mutant(*mu->get(i), path, i));
  r.finish();
  return t;
}

// Phase 2: the matrix, expanded into one cell per (model, reward, seed) not skipped.
std::vector<SuiteCell> suite_text_expand(const SuiteText& t, const std::vector<int64_t>& seeds_override) {
  const SuiteInfo& info = t.info;
  std::vector<SuiteCell> cells;
  for (const auto& m : t.models) {
    for (const auto& w : t.rewards) {
      // Least to most specific: defaults, model, reward, "*/R", "M/*", "M/R".
      RunKeys set = t.defaults;
      merge(set, m.set);
      merge(set, w.set);
      int64_t cell_steps = t.steps;
      double cell_timeout = t.timeout_s;
      int64_t cell_ranks = t.ranks;
      std::string cell_runner = t.runner;
      std::vector<int64_t> cell_seeds = info.seeds;
      bool skip = false;
      for (const std::string& pat : {"*/" + w.label, m.name + "/*", m.name + "/" + w.label}) {
        auto it = t.overrides.find(pat);
        if (it == t.overrides.end()) continue;
        const Override& o = it->second;
        if (o.steps) cell_steps = *o.steps;
        if (o.timeout_s) cell_timeout = *o.timeout_s;
        if (o.ranks) cell_ranks = *o.ranks;
        if (o.runner) cell_runner = *o.runner;
        if (o.seeds && seeds_override.empty()) cell_seeds = *o.seeds;
        skip = o.skip;
        merge(set, o.set);
      }
      if (skip) continue;
      for (int64_t seed : cell_seeds) {
        SuiteCell c;
        c.suite = info.name;
        c.model = m.name;
        c.reward = w.label;
        c.family = m.family;
        c.cell = m.name + "/" + w.label;
        c.name = info.name + "/" + c.cell + "/" + std::to_string(seed);
        c.seed = seed;
        c.steps = cell_steps;
        c.dataset = t.dataset;
        c.set = set;
        c.set["model.name"] = m.name;
        c.set["reward.name"] = w.fn;
        c.set["train.steps"] = std::to_string(cell_steps);
        c.set["run.seed"] = std::to_string(seed);
        c.set["data.eval_name"] = t.dataset;
        c.labels = {"suite", info.name, m.name, m.family, w.label};
        if (w.fn != w.label) c.labels.push_back(w.fn);
        c.labels.push_back(info.device);
        c.timeout_s = cell_timeout;
        c.gpu = info.device == "gpu";
        c.ranks = cell_ranks;
        c.model_params = m.params;
        c.runner = cell_runner;
        cells.push_back(std::move(c));
      }
    }
  }
  return cells;
}

// Phase 3: what refers to cells (contrasts, mutants, the power check) must name cells that exist.
void suite_text_resolve(Suite& s, SuiteText& t) {
  const std::string& path = s.info.path;
  SuiteInfo& info = s.info;
  std::set<std::string> seen;
  if (s.cells.empty()) throw_input(path, "overrides: every cell is skipped");
  for (size_t i = 0; i < t.contrast_text.size(); ++i) {
    const std::string& text = t.contrast_text[i];
    std::string field = "contrasts[" + std::to_string(i) + "]";
    auto dash = text.find(" - "), slash = text.find('/');
    if (dash == std::string::npos || slash == std::string::npos || slash > dash)
      throw_input(path, field + ": expected \"MODEL/A - B\", got '" + text + "'");
    std::string a = text.substr(0, dash), b = text.substr(dash + 3);
    if (b.find('/') != std::string::npos) {
      if (b.substr(0, b.find('/')) != a.substr(0, slash))
        throw_input(path, field + ": '" + b + "' is a cell of another model than '" + a + "': a contrast compares two cells of one model");
      b = b.substr(b.find('/') + 1);
    }
    b = a.substr(0, slash + 1) + b;
    for (const std::string& x : {a, b})
      if (!suite_has_cell(s, x))
        throw_input(path, field + ": no cell '" + x + "' in the suite");
    if (a == b) throw_input(path, field + ": a cell minus itself");
    info.contrasts.emplace_back(a, b);
  }
  // Mutants: unique names, every pattern matches a cell, every claim named in `breaks` is about a cell it mutates.
  for (size_t i = 0; i < t.mutants.size(); ++i) {
    const SuiteMutant& mu = t.mutants[i];
    std::string field = "mutant[" + std::to_string(i) + "]";
    if (!seen.insert(mu.name).second) throw_input(path, field + ".name: duplicate '" + mu.name + "'");
    for (size_t k = 0; k < mu.cells.size(); ++k)
      if (std::none_of(s.cells.begin(), s.cells.end(), [&](const SuiteCell& c) { return suite_pattern_match(mu.cells[k], c.cell); }))
        throw_input(path, field + ".cells[" + std::to_string(k) + "]: '" + mu.cells[k] + "' matches no cell of the suite");
    for (size_t k = 0; k < mu.breaks.size(); ++k) {
      const std::string& b = mu.breaks[k];
      std::string cell = b.substr(0, b.find(' '));
      bool ok = b.find(' ') != std::string::npos && suite_mutant_applies(mu, cell) && suite_has_cell(s, cell);
      if (!ok) throw_input(path, field + ".breaks[" + std::to_string(k) + "]: '" + b + "' is not \"MODEL/REWARD METRIC\" of a cell this mutant changes");
    }
  }
  s.mutants = std::move(t.mutants);
  for (size_t i = 0; i < info.ci_power_mutants.size(); ++i)
    if (std::none_of(s.mutants.begin(), s.mutants.end(), [&](const SuiteMutant& m) { return m.name == info.ci_power_mutants[i]; }))
      throw_input(path, "power.ci_mutants[" + std::to_string(i) + "]: no [[mutant]] named '" + info.ci_power_mutants[i] + "'");
  suite_science_resolve(s);
}

}  // namespace

Suite suite_load(const std::string& path, const std::vector<int64_t>& seeds_override) {
  SuiteText t = suite_text_read(path, seeds_override);
  Suite s;
  s.info = t.info;
  s.cells = suite_text_expand(t, seeds_override);
  suite_text_resolve(s, t);
  return s;
}


bool suite_pattern_match(const std::string& pattern, const std::string& cell) {
  if (pattern == "*") return true;
  auto ps = pattern.find('/'), cs = cell.find('/');
  if (ps == std::string::npos || cs == std::string::npos) return pattern == cell;
  std::string pm = pattern.substr(0, ps), pr = pattern.substr(ps + 1);
  return (pm == "*" || pm == cell.substr(0, cs)) && (pr == "*" || pr == cell.substr(cs + 1));
}

bool suite_mutant_applies(const SuiteMutant& mutant, const std::string& cell) {
  return std::any_of(mutant.cells.begin(), mutant.cells.end(), [&](const std::string& p) { return suite_pattern_match(p, cell); });
}

bool suite_has_cell(const Suite& suite, const std::string& cell) {
  return std::any_of(suite.cells.begin(), suite.cells.end(), [&](const SuiteCell& c) { return c.cell == cell; });
}

std::vector<SuiteCell> suite_mutant_cells(const Suite& suite, const SuiteMutant& mutant) {
  std::vector<SuiteCell> out;
  for (const auto& c : suite.cells) {
    if (!suite_mutant_applies(mutant, c.cell)) continue;
    SuiteCell m = c;
    merge(m.set, mutant.set);
    m.set["run.mutant"] = mutant.name;
    m.name = c.name + "@" + mutant.name;
    out.push_back(std::move(m));
  }
  return out;
}

const SuiteMutant& suite_mutant_find(const Suite& suite, const std::string& name, const std::string& where) {
  for (const auto& m : suite.mutants)
    if (m.name == name) return m;
  std::string known;
  for (const auto& m : suite.mutants) known += (known.empty() ? "" : ", ") + m.name;
  throw_input(where, "suite " + suite.info.path + " declares no mutant '" + name + "' (declared: " + (known.empty() ? "none" : known) + ")");
}

std::vector<SuiteCell> suite_expand(const std::string& path) { return suite_load(path).cells; }

std::vector<int64_t> suite_seeds_parse(const std::string& where, const std::string& text) {
  std::vector<int64_t> seeds;
  if (text.empty()) return seeds;  // no override
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string part = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    int64_t v = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || p != part.data() + part.size() || v < 0 || v > kMaxSeed)
      throw_input(where, "expected seeds like 1,2,3, got '" + text + "'");
    if (std::find(seeds.begin(), seeds.end(), v) != seeds.end()) throw_input(where, "seed " + part + " given twice");
    seeds.push_back(v);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return seeds;
}

const SuiteCell& suite_cell_find(const Suite& suite, const std::string& name) {
  for (const auto& c : suite.cells)
    if (c.name == name) return c;
  throw_input(suite.info.path, "no cell '" + name + "' (`rlvrbench suite list " + suite.info.path + "` lists them)");
}

void suite_seeds_require(const SuiteInfo& info, SeedRole role, const std::vector<int64_t>& seeds, const std::string& where) {
  const SeedRange& r = info.seed_range(role);
  if (!r.declared()) return;
  for (int64_t s : seeds)
    if (!r.contains(s))
      throw_input(where, "seed " + std::to_string(s) + " is not a " + std::string(enum_name(role)) + " seed of " + info.path +
                             " (seed_ranges." + std::string(enum_name(role)) + " = [" + std::to_string(r.lo) + ", " + std::to_string(r.hi) + "])");
}

std::vector<int64_t> suite_seeds_with_confirm(const SuiteInfo& info) {
  std::vector<int64_t> all = info.seeds;
  for (int64_t s : info.seed_range(SeedRole::confirm).seeds()) all.push_back(s);
  return all;
}

void suite_seeds_one_role(const SuiteInfo& info, const std::vector<int64_t>& seeds, const std::string& where) {
  std::optional<SeedRole> first;
  int64_t first_seed = 0;
  for (int64_t s : seeds)
    for (const auto& [role, name] : kSeedRoleNames) {
      if (!info.seed_range(role).contains(s)) continue;
      if (!first) first = role, first_seed = s;
      else if (*first != role)
        throw_input(where, "seed " + std::to_string(first_seed) + " is a " + std::string(enum_name(*first)) + " seed and seed " +
                               std::to_string(s) + " a " + std::string(name) + " seed of " + info.path + ": judge one kind at a time");
    }
}

}  // namespace rlvr
