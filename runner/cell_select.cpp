#include "runner/cell_select.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "runner/suite_run.h"
#include "runner/suite_shard.h"
#include "util/error.h"

namespace rlvr {

namespace {

// "model=M,reward=R,seed=S" -> a cell filter; InputError naming --only on anything else.
struct Only {
  std::string model, reward, seed;
  bool match(const SuiteCell& c) const {
    return (model.empty() || c.model == model) && (reward.empty() || c.reward == reward) &&
           (seed.empty() || std::to_string(c.seed) == seed);
  }
};

Only only_parse(const std::string& s) {
  Only o;
  std::stringstream ss(s);
  for (std::string part; std::getline(ss, part, ',');) {
    auto eq = part.find('=');
    std::string k = eq == std::string::npos ? "" : part.substr(0, eq), v = eq == std::string::npos ? "" : part.substr(eq + 1);
    if (k == "model") o.model = v;
    else if (k == "reward") o.reward = v;
    else if (k == "seed") o.seed = v;
    else throw_input("--only", "expected model=M,reward=R,seed=S (any of them), got '" + part + "'");
  }
  return o;
}

}  // namespace

CellSelection cells_select(const Suite& suite, const CellFilter& filter) {
  CellSelection sel;
  const Only only = only_parse(filter.only);
  if (!filter.mutant.empty()) {
    sel.mutated = suite_mutant_cells(suite, suite_mutant_find(suite, filter.mutant, "--mutant"));
    sel.judge = false;  // mutant runs are judged by `rlvrbench power`, never by the suite's own verdicts
  }
  for (const auto& c : filter.mutant.empty() ? suite.cells : sel.mutated) sel.cells.push_back(&c);
  if (!filter.shard.empty()) {  // over the whole suite, before --only: every task splits alike
    const ShardSel sh = shard_parse("--shard", filter.shard);
    std::vector<const SuiteCell*> mine;
    for (size_t i : shard_select(suite_cells_costs(suite, sel.cells), sh)) mine.push_back(sel.cells[i]);
    std::fprintf(stderr, "run %s --shard %lld/%lld: %zu of %zu cells\n", suite.info.name.c_str(), static_cast<long long>(sh.index),
                 static_cast<long long>(sh.count), mine.size(), sel.cells.size());
    sel.cells = std::move(mine);
    sel.judge = false;  // a shard's verdicts would judge the cells it lacks as missing
  }
  auto& cs = sel.cells;
  cs.erase(std::remove_if(cs.begin(), cs.end(), [&](const SuiteCell* c) { return !only.match(*c); }), cs.end());
  if (cs.empty() && !filter.shard.empty() && filter.only.empty()) {
    sel.empty_shard = true;
    return sel;
  }
  if (cs.empty()) throw_input("--only", "no cell of " + suite.info.path + " matches '" + filter.only + "'");
  for (const auto* c : cs) sel.configs.push_back(suite_cell_config(suite, *c, filter.sets));
  return sel;
}

size_t cells_drop_finished(CellSelection& sel, Store& store, const Suite& suite) {
  size_t kept = 0, skipped = 0;
  for (size_t i = 0; i < sel.cells.size(); ++i) {
    if (suite_cell_finished(store, suite, *sel.cells[i], sel.configs[i])) {
      ++skipped;
      continue;
    }
    sel.cells[kept] = sel.cells[i];
    sel.configs[kept++] = sel.configs[i];
  }
  sel.cells.resize(kept);
  sel.configs.resize(kept);
  return skipped;
}

}  // namespace rlvr
