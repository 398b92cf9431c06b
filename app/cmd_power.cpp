// rlvrbench power: the suite's detection power. Runs every declared mutant (run-key overrides on
// the cells it names, tagged in the database) and the unmutated suite as a control, on seeds the
// golden never saw, judges each against the golden, and prints CAUGHT / MISSED per mutant and the
// control's false alarms. Finished runs with the same config are reused, so an interrupted
// measurement resumes where it stopped.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/suite_run.h"
#include "app/train_hooks.h"
#include "golden/power.h"
#include "results/provenance.h"
#include "results/store.h"
#include "util/cli.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr::app {

namespace {

std::atomic<bool> g_power_stop{false};
extern "C" void on_power_signal(int sig) {
  g_power_stop.store(true);
  std::signal(sig, SIG_DFL);
}

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
    TrainResult r = train_run(cfg, store, train_hooks_make(cfg, suite_path, quiet, prefix, &g_power_stop), false);
    ++trained;
    double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "%s%s in %.0f s: accuracy %.3f -> %.3f (power: %lld trained, %lld reused, elapsed %.0f s)\n", prefix.c_str(),
                 std::string(enum_name(r.status)).c_str(), r.seconds, train_result_metric(r.first_eval, "accuracy"), train_result_metric(r.final_eval, "accuracy"),
                 static_cast<long long>(trained), static_cast<long long>(reused), el);
    return !g_power_stop.load();
  }
};

}  // namespace

int cmd_power(int argc, char** argv) {
  std::string suite_path, golden_path, db, mutants_text, seeds_text, control_text, format = "table";
  bool quiet = false, no_control = false, no_train = false;
  Cli cli(argv[0],
          "Measures the suite's detection power: for each declared mutant (suites/README.md, [[mutant]])\n"
          "and seed, trains the cells it changes under its overrides (runs tagged with the mutant; they\n"
          "never count toward a golden), judges the golden's claims on those cells (the other cells read\n"
          "the control), and says CAUGHT when some claim fired, MISSED when none did. The unmutated suite\n"
          "on the same seeds is the control: its false alarms are counted. Finished runs with the same\n"
          "config are reused, so an interrupted measurement resumes.");
  cli.positional("SUITE.toml", "the suite (its [[mutant]] tables)", &suite_path)
      .option("--golden", "GOLDEN.toml", "claims to judge with (default: the suite's golden)", &golden_path)
      .option("--mutants", "A,B", "only these mutants (default: every declared one)", &mutants_text)
      .option("--seeds", "4,5,6", "seeds to measure on (default: the first seed after the golden's)", &seeds_text)
      .option("--control-seeds", "4,...,8", "seeds of the control (default: --seeds); more seeds measure the false-alarm rate better", &control_text)
      .option("--db", "PATH", "results database (default: $RLVRBENCH_DB, else results/rlvrbench.db)", &db)
      .option("--format", "table|json", "output format", &format)
      .flag("--no-control", "skip the unmutated control runs (mutant cells still read them where a claim needs them)", &no_control)
      .flag("--no-train", "judge only the runs already in the database (missing ones read MISSING)", &no_train)
      .flag("--quiet", "no per-step progress lines", &quiet)
      .epilog("Seeds inside the golden's own seeds measure nothing about power; they are refused.\n"
              "exit status: 0 every mutant expected to be caught was caught on every seed and the control\n"
              "had no false alarm, 1 otherwise, 2 bad input.");
  if (!cli.parse(argc, argv)) return kExitOk;
  if (format != "table" && format != "json") throw_input("--format", "expected table or json, got '" + format + "'");
  Suite suite = suite_load(suite_path);
  suite_mutants_check(suite);
  if (suite.mutants.empty()) throw_input(suite_path, "mutant: the suite declares no [[mutant]]");
  if (golden_path.empty()) golden_path = suite_golden_path(suite);
  if (!file_exists(golden_path)) throw_input("--golden", "no golden at " + golden_path);
  Golden golden = golden_load(golden_path);
  std::vector<const SuiteMutant*> mutants;
  if (mutants_text.empty())
    for (const auto& m : suite.mutants) mutants.push_back(&m);
  else
    for (const auto& n : split_names(mutants_text)) mutants.push_back(&suite_mutant_find(suite, n, "--mutants"));
  std::vector<int64_t> seeds = suite_seeds_parse("--seeds", seeds_text);
  const auto& gs = golden.provenance.seeds;
  if (seeds.empty()) seeds = {gs.empty() ? int64_t{1} : *std::max_element(gs.begin(), gs.end()) + 1};
  std::vector<int64_t> control_seeds = suite_seeds_parse("--control-seeds", control_text);
  if (control_seeds.empty()) control_seeds = seeds;
  for (const auto& [flag, list] : {std::pair<const char*, const std::vector<int64_t>*>{"--seeds", &seeds}, {"--control-seeds", &control_seeds}})
    for (int64_t s : *list)
      if (std::find(gs.begin(), gs.end(), s) != gs.end())
        throw_input(flag, "seed " + std::to_string(s) + " is one of the golden's seeds: power must be measured on fresh seeds");

  std::signal(SIGINT, on_power_signal);
  std::signal(SIGTERM, on_power_signal);
  // --no-train only judges: the database is opened read-only and never changed.
  Store store(store_default_path(db), no_train ? StoreOpen::read : StoreOpen::write);
  if (!no_train) store.runs_reap_stale();
  Runner run{store, suite_path, quiet, no_train};
  PowerReport rep;
  rep.suite = suite.info.name;
  rep.suite_path = suite_path;
  rep.golden_path = golden_path;
  rep.db_path = store.path();
  rep.alpha = golden.alpha;
  rep.seeds = seeds;
  rep.golden_seeds = gs;
  for (const auto* m : mutants) {
    MutantPower mp;
    mp.name = m->name;
    mp.description = m->description;
    mp.expect_caught = m->expect_caught;
    mp.breaks = m->breaks;
    for (const auto& c : suite_mutant_cells(suite, *m))
      if (std::find(mp.cells.begin(), mp.cells.end(), c.cell) == mp.cells.end()) mp.cells.push_back(c.cell);
    rep.mutants.push_back(std::move(mp));
  }
  std::fprintf(stderr, "power %s: %zu mutants x %zu seeds%s -> %s\n", suite.info.name.c_str(), mutants.size(), seeds.size(),
               no_control ? "" : " + control", store.path().c_str());
  rep.control_seeds = no_control ? std::vector<int64_t>{} : control_seeds;
  std::vector<int64_t> all = control_seeds;
  for (int64_t s : seeds)
    if (std::find(all.begin(), all.end(), s) == all.end()) all.push_back(s);
  for (int64_t seed : all) {
    Suite s1 = suite_load(suite_path, {seed});
    // The control: every cell, unmutated; on a mutant's seed too, since a contrast of a changed
    // cell reads the unchanged one. Its false alarms count on the control seeds only.
    for (const auto& c : s1.cells)
      if (!no_control && !run.ensure(s1, c)) return kExitVerdict;
    if (!no_control && std::find(control_seeds.begin(), control_seeds.end(), seed) != control_seeds.end())
      rep.control.push_back(power_control(compare_golden(store, s1, golden), seed));
    if (std::find(seeds.begin(), seeds.end(), seed) == seeds.end()) continue;
    for (size_t i = 0; i < mutants.size(); ++i) {
      MutantByCell by_cell;
      for (const auto& c : suite_mutant_cells(s1, *mutants[i])) {
        if (!run.ensure(s1, c)) return kExitVerdict;
        by_cell[c.cell] = mutants[i]->name;
      }
      power_mutant_add(rep.mutants[i], compare_golden(store, s1, golden, by_cell), seed);
    }
  }
  rep.holm_m = golden_statistical_claims(golden);
  for (auto& mp : rep.mutants) power_predict(mp, golden);
  rep.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - run.t0).count();
  std::string out = format == "json" ? power_json(rep) : power_table(rep);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return rep.exit_status();
}

}  // namespace rlvr::app
