#include "runner/power_run.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>

#include "golden/compare.h"
#include "results/metric.h"
#include "runner/external_run.h"
#include "runner/stop_signal.h"
#include "runner/suite_run.h"
#include "runner/train_hooks.h"
#include "util/error.h"

namespace rlvr {

namespace {

std::vector<std::string> split_names(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string x; std::getline(ss, x, ',');)
    if (!x.empty()) out.push_back(x);
  return out;
}

struct Runner {
  Store& store;
  const std::string& suite_path;
  bool quiet, no_train;
  int64_t trained = 0, reused = 0;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();

  // Trains the cell unless a finished run with this very config exists. false: interrupted.
  bool ensure(const Suite& suite, const SuiteCell& cell) {
    RunConfig cfg = suite_cell_config(suite, cell, {});
    if (suite_cell_finished(store, suite, cell, cfg)) {
      ++reused;
      return true;
    }
    if (no_train) return true;
    std::string prefix = "[" + cell.name + "] ";
    if (!cell.runner.empty()) return ensure_external(suite, cell, cfg, prefix);
    TrainResult r = train_run(cfg, store, train_hooks_make(cfg, suite_path, quiet, prefix, &stop_flag()), false);
    char what[128];
    std::snprintf(what, sizeof what, "%s in %.0f s: accuracy %.3f -> %.3f", std::string(enum_name(r.status)).c_str(), r.seconds,
                  train_result_metric(r.first_eval, metric_cstr(Metric::accuracy)), train_result_metric(r.final_eval, metric_cstr(Metric::accuracy)));
    return trained_one(prefix, what);
  }

  // A cell another framework trains (the suite's `runner`): its run file, ingested, is the run.
  bool ensure_external(const Suite& suite, const SuiteCell& cell, const RunConfig& cfg, const std::string& prefix) {
    std::fprintf(stderr, "%sexternal runner\n", prefix.c_str());
    const int rc = external_cell_run(suite, cell, cfg, store, quiet, /*summary=*/false);
    if (rc == kExitBadInput) throw_input(cell.name, "its runner refused the cell's config (exit 2, above)");
    return trained_one(prefix, rc == kExitOk ? "finished" : "failed");
  }

  // Counts a trained cell and prints its progress line. false: interrupted.
  bool trained_one(const std::string& prefix, const char* what) {
    ++trained;
    const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "%s%s (power: %lld trained, %lld reused, elapsed %.0f s)\n", prefix.c_str(), what,
                 static_cast<long long>(trained), static_cast<long long>(reused), el);
    return !stop_requested();
  }
};

// The report's frame: the suite, golden, seeds and each mutant's description and cells.
PowerReport report_begin(const Suite& suite, const Golden& golden, const PowerPlan& plan, const std::string& db_path) {
  PowerReport rep;
  rep.suite = suite.info.name;
  rep.suite_path = plan.suite_path;
  rep.golden_path = plan.golden_path;
  rep.db_path = db_path;
  rep.alpha = golden.alpha;
  rep.statistic = golden.provenance.statistic;
  rep.seeds = plan.seeds;
  rep.golden_seeds = golden.provenance.seeds;
  for (const auto* m : plan.mutants) {
    MutantPower mp;
    mp.name = m->name;
    mp.description = m->description;
    mp.expect_caught = m->expect_caught;
    mp.traced = m->traced;
    mp.ladder = m->ladder;
    mp.rung = m->rung;
    mp.breaks = m->breaks;
    for (const auto& c : suite_mutant_cells(suite, *m))
      if (std::find(mp.cells.begin(), mp.cells.end(), c.cell) == mp.cells.end()) mp.cells.push_back(c.cell);
    rep.mutants.push_back(std::move(mp));
  }
  rep.control_seeds = plan.no_control ? std::vector<int64_t>{} : plan.control_seeds;
  return rep;
}

bool contains(const std::vector<int64_t>& v, int64_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// Which cells of `s` read the mutant's runs instead of the real ones.
MutantByCell mutant_by_cell(const Suite& s, const SuiteMutant& m) {
  MutantByCell by_cell;
  for (const auto& c : suite_mutant_cells(s, m)) by_cell[c.cell] = m.name;
  return by_cell;
}

// One seed: the control (every cell, unmutated; on a mutant's seed too, since a contrast of a
// changed cell reads the unchanged one; its false alarms count on the control seeds only), then
// each mutant's cells. false: interrupted.
bool power_seed(int64_t seed, const Golden& golden, const PowerPlan& plan, Store& store, Runner& run, PowerReport& rep) {
  Suite s1 = suite_load(plan.suite_path, {seed});
  const bool judge = plan.group == 1;  // in groups, judged once every seed of the group is trained
  for (const auto& c : s1.cells)
    if (!plan.no_control && !run.ensure(s1, c)) return false;
  if (judge && !plan.no_control && contains(plan.control_seeds, seed)) rep.control.push_back(power_control(compare_golden(store, s1, golden), seed));
  if (!contains(plan.seeds, seed)) return true;
  for (size_t i = 0; i < plan.mutants.size(); ++i) {
    for (const auto& c : suite_mutant_cells(s1, *plan.mutants[i]))
      if (!run.ensure(s1, c)) return false;
    if (judge) power_mutant_add(rep.mutants[i], compare_golden(store, s1, golden, mutant_by_cell(s1, *plan.mutants[i])), seed);
  }
  return true;
}

// --group K: the control and each mutant judged on K seeds at a time; a group is reported under
// its first seed.
void power_judge_groups(const Golden& golden, const PowerPlan& plan, Store& store, PowerReport& rep) {
  const auto k = static_cast<size_t>(plan.group);
  for (size_t g = 0; !plan.no_control && g < plan.control_seeds.size(); g += k) {
    Suite sg = suite_load(plan.suite_path, {plan.control_seeds.begin() + g, plan.control_seeds.begin() + g + k});
    rep.control.push_back(power_control(compare_golden(store, sg, golden), sg.info.seeds.front()));
  }
  for (size_t g = 0; g < plan.seeds.size(); g += k) {
    Suite sg = suite_load(plan.suite_path, {plan.seeds.begin() + g, plan.seeds.begin() + g + k});
    for (size_t i = 0; i < plan.mutants.size(); ++i)
      power_mutant_add(rep.mutants[i], compare_golden(store, sg, golden, mutant_by_cell(sg, *plan.mutants[i])), sg.info.seeds.front());
  }
}

}  // namespace

PowerPlan power_plan(const Suite& suite, const Golden& golden, const std::string& mutants_text, const std::string& seeds_text,
                     const std::string& control_text, int64_t group) {
  PowerPlan plan;
  plan.group = group;
  if (mutants_text.empty())
    for (const auto& m : suite.mutants) plan.mutants.push_back(&m);
  else
    for (const auto& n : split_names(mutants_text)) plan.mutants.push_back(&suite_mutant_find(suite, n, "--mutants"));
  plan.seeds = suite_seeds_parse("--seeds", seeds_text);
  const auto& gs = golden.provenance.seeds;
  if (plan.seeds.empty()) plan.seeds = {gs.empty() ? int64_t{1} : *std::max_element(gs.begin(), gs.end()) + 1};
  plan.control_seeds = suite_seeds_parse("--control-seeds", control_text);
  // A suite that declares held-out control seeds judges false alarms on them only (named with
  // --control-seeds); otherwise the mutants' seeds double as the control's.
  if (plan.control_seeds.empty() && !suite.info.seed_range(SeedRole::control).declared()) plan.control_seeds = plan.seeds;
  suite_seeds_require(suite.info, SeedRole::mutant, plan.seeds, "--seeds");
  suite_seeds_require(suite.info, SeedRole::control, plan.control_seeds, "--control-seeds");
  if (group < 1) throw_input("--group", "expected a positive number of seeds, got " + std::to_string(group));
  for (const auto& [flag, list] : {std::pair<const char*, const std::vector<int64_t>*>{"--seeds", &plan.seeds}, {"--control-seeds", &plan.control_seeds}}) {
    for (int64_t s : *list)
      if (contains(gs, s)) throw_input(flag, "seed " + std::to_string(s) + " is one of the golden's seeds: power must be measured on fresh seeds");
    if (list->size() % static_cast<size_t>(group) != 0)
      throw_input(flag, std::to_string(list->size()) + " seeds do not split into groups of " + std::to_string(group) + " (--group)");
  }
  return plan;
}

bool power_run(const Suite& suite, const Golden& golden, const PowerPlan& plan, Store& store, PowerReport& rep) {
  Runner run{store, plan.suite_path, plan.quiet, plan.no_train};
  rep = report_begin(suite, golden, plan, store.path());
  std::fprintf(stderr, "power %s: %zu mutants x %zu seeds%s -> %s\n", suite.info.name.c_str(), plan.mutants.size(), plan.seeds.size(),
               plan.no_control ? "" : " + control", store.path().c_str());
  std::vector<int64_t> all = plan.control_seeds;
  for (int64_t s : plan.seeds)
    if (!contains(all, s)) all.push_back(s);
  for (int64_t seed : all)
    if (!power_seed(seed, golden, plan, store, run, rep)) return false;
  if (plan.group > 1) power_judge_groups(golden, plan, store, rep);
  power_mde_fill(rep, compare_golden(store, suite_load(plan.suite_path, {all.front()}), golden));
  rep.holm_m = golden_statistical_claims(golden);
  rep.group = plan.group;
  // The predicted power rests on the one-seed threshold: not what a group of seeds is judged by.
  if (plan.group == 1)
    for (auto& mp : rep.mutants) power_predict(mp, golden);
  rep.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - run.t0).count();
  return true;
}

}  // namespace rlvr
