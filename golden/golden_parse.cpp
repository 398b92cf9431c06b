// golden_parse.cpp: golden/*.toml -> Golden, strictly (unknown fields and duplicates are errors).
#include <set>
#include <tuple>

#include "golden/golden.h"
#include "suites/toml_reader.h"
#include "util/error.h"

namespace rlvr {

Golden golden_load(const std::string& path) {
  toml::table root = toml_parse_file(path);
  TomlReader r(root, path);
  Golden g;
  g.path = path;
  g.suite = r.string("suite");
  std::optional<std::string> dataset = r.string_opt("dataset");
  g.dataset = dataset.value_or("");

  const toml::table* pt = r.table_opt("provenance");
  if (!pt) r.fail("provenance", "missing");
  {
    TomlReader p(*pt, path, "provenance.");
    GoldenProvenance& pv = g.provenance;
    pv.source = p.string("source");
    if (pv.source != "measured" && pv.source != "paper") p.fail("source", "expected \"measured\" or \"paper\", got '" + pv.source + "'");
    pv.date = p.string("date");
    pv.platform = p.string("platform");
    pv.commit = p.string("commit");
    auto seeds = p.integers_opt("seeds", 0, int64_t{1} << 53);
    if (!seeds) p.fail("seeds", "missing");
    if (seeds->empty() && pv.source == "measured") p.fail("seeds", "a measured golden names its seeds");
    pv.seeds = *seeds;
    pv.statistic = p.string("statistic");
    pv.statistic_version = p.integer("statistic_version", 1, 1'000'000);
    pv.note = p.string_opt("note").value_or("");
    p.finish();
  }

  const toml::array* cells = r.array_opt("cell");
  if (!cells || cells->empty()) r.fail("cell", "missing: a golden needs at least one [[cell]]");
  std::set<std::tuple<std::string, std::string, std::string, std::string, int64_t>> seen;
  for (size_t i = 0; i < cells->size(); ++i) {
    std::string field = "cell[" + std::to_string(i) + "]";
    const toml::node* n = cells->get(i);
    if (!n->is_table()) r.fail(field, "expected a table");
    TomlReader c(*n->as_table(), path, field + ".");
    GoldenEntry e;
    e.model = c.string("model");
    e.reward = c.string("reward");
    e.metric = c.string("metric");
    bool known = false;
    for (const char* m : kGoldenMetrics) known |= e.metric == m;
    if (!known) c.fail("metric", "unknown '" + e.metric + "' (known: accuracy, code_frequency)");
    e.dataset = c.string_opt("dataset").value_or(g.dataset);
    if (e.dataset.empty()) c.fail("dataset", "missing (here or at the top of the file)");
    e.step = c.integer("step", 1, 1'000'000);
    e.baseline = c.number("baseline", 0, 1);
    e.gain = c.number("gain", -1, 1);
    if (e.baseline + e.gain < -1e-9 || e.baseline + e.gain > 1 + 1e-9)
      c.fail("gain", "baseline + gain must lie in [0, 1]");
    e.band = c.number("band", 0, 1);
    if (e.band <= 0) c.fail("band", "must be > 0");
    e.note = c.string_opt("note").value_or("");
    if (const toml::table* m = c.table_opt("measured")) {
      for (const auto& [k, v] : *m) {
        if (!v.is_number()) c.fail("measured." + std::string(k.str()), "expected a number");
        e.measured[std::string(k.str())] = v.is_integer() ? static_cast<double>(v.as_integer()->get()) : v.as_floating_point()->get();
      }
    }
    c.finish();
    if (!seen.insert({e.model, e.reward, e.metric, e.dataset, e.step}).second)
      c.fail("model", "duplicate claim for " + e.cell() + " " + e.metric + " at step " + std::to_string(e.step));
    g.entries.push_back(std::move(e));
  }
  r.finish();
  return g;
}

}  // namespace rlvr
