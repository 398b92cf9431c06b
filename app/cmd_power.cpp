// rlvrbench power: the suite's detection power. Runs every declared mutant (run-key overrides on
// the cells it names, tagged in the database) and the unmutated suite as a control, on seeds the
// golden never saw, judges each against the golden, and prints CAUGHT / MISSED per mutant and the
// control's false alarms. Finished runs with the same config are reused, so an interrupted
// measurement resumes where it stopped.
#include <cstdio>
#include <string>
#include <vector>

#include "app/commands.h"
#include "runner/power_run.h"
#include "runner/stop_signal.h"
#include "runner/suite_run.h"
#include "golden/power.h"
#include "results/store.h"
#include "util/cli.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr::app {

int cmd_power(int argc, char** argv) {
  std::string suite_path, golden_path, db, mutants_text, seeds_text, control_text, format = "table";
  bool quiet = false, no_control = false, no_train = false;
  int64_t group = 1;
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
      .option("--group", "K", "judge the seeds K at a time, as one run of K seeds (default 1; a suite that runs K seeds\n"
                               "is judged as such: its science family splits off when K allows, suites/README.md)", &group)
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
  PowerPlan plan = power_plan(suite, golden, mutants_text, seeds_text, control_text, group);
  plan.suite_path = suite_path;
  plan.golden_path = golden_path;
  plan.no_control = no_control;
  plan.no_train = no_train;
  plan.quiet = quiet;
  stop_on_signals();
  // --no-train only judges: the database is opened read-only and never changed.
  Store store(store_default_path(db), no_train ? StoreOpen::read : StoreOpen::write);
  if (!no_train) store.runs_reap_stale();
  PowerReport rep;
  if (!power_run(suite, golden, plan, store, rep)) return kExitVerdict;
  std::string out = format == "json" ? power_json(rep) : power_table(rep);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return rep.exit_status();
}

}  // namespace rlvr::app
