// rlvrbench run: every cell of a suite (or a selection) in this process, then the comparison with
// its golden: what CTest does cell by cell, for users without CTest.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "app/commands.h"
#include "runner/cell_select.h"
#include "runner/cells_run.h"
#include "runner/stop_signal.h"
#include "runner/suite_run.h"
#include "golden/compare.h"
#include "golden/golden.h"
#include "results/store.h"
#include "util/cli.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr::app {

namespace {

// Sequential confirmation (suites/README.md, `confirm` seeds): a run whose verdict a statistical
// claim flagged trains every cell of the suite's confirm seeds (afresh: a run of an older build
// must not count) and is judged again on its seeds and those together. The combined judgement
// is a level-alpha test, and the procedure fails only when it fails, so its false-alarm rate is
// at most alpha; a regression is judged on more seeds, with a smaller MDE.
Comparison confirm_judge(const std::string& suite_path, const Suite& suite, const CellFilter& filter, Store& store,
                         const CellsRunOptions& opt, const Golden& golden, int& status) {
  const std::vector<int64_t> extra = suite.info.seed_range(SeedRole::confirm).seeds();
  std::fprintf(stderr, "run %s: a claim was flagged; confirming on seeds %lld-%lld\n", suite.info.name.c_str(),
               static_cast<long long>(extra.front()), static_cast<long long>(extra.back()));
  Suite more = suite_load(suite_path, extra);
  CellSelection sel = cells_select(more, filter);
  const CellsRun r = cells_run(more, sel, store, opt);
  status = std::max(status, cells_run_status(r));
  return compare_golden(store, suite_load(suite_path, suite_seeds_with_confirm(suite.info)), golden);
}

}  // namespace


int cmd_run(int argc, char** argv) {
  std::string suite_path, db, only_text, golden_path, seeds_text, mutant_name, shard_text;
  std::vector<std::string> sets;
  bool quiet = false, no_compare = false, resume = false, check = false, no_confirm = false;
  int64_t jobs = 1;
  Cli cli(argv[0],
          "Runs the cells of a suite one after another in this process (what `ctest -L SUITE` does with one\n"
          "test per cell), or --jobs N at a time in child processes, then compares the results with the\n"
          "suite's golden and prints the verdict table. A cell's results do not depend on --jobs: each keeps\n"
          "its own config (run.threads included).");
  cli.positional("SUITE.toml", "the suite", &suite_path)
      .option("--only", "model=M,reward=R", "run only the matching cells (any of model=, reward=, seed=)", &only_text)
      .multi("--set", "KEY=VALUE", "override a run key in every cell", &sets)
      .option("--db", "PATH", "results database (default: $RLVRBENCH_DB, else results/rlvrbench.db)", &db)
      .option("--seeds", "1,2,3", "use these seeds instead of the suite's (a golden measured with more seeds)", &seeds_text)
      .option("--golden", "GOLDEN.toml", "claims to compare with (default: the suite's golden)", &golden_path)
      .option("--mutant", "NAME", "run the cells of the suite's mutant NAME instead (tagged with it; implies --no-compare)", &mutant_name)
      .option("--jobs", "N", "train N cells side by side, each in its own process (as ctest -j does); default 1", &jobs)
      .option("--shard", "I/N", "only shard I of N (0-based): a deterministic split of the cells balanced by their\n"
                                "estimated cost (`rlvrbench suite shards S --shards N` shows it); implies --no-compare\n"
                                "(judge the merged databases: `rlvrbench db merge`, then `compare`)", &shard_text)
      .flag("--resume", "skip the cells the database already holds a finished run of, with the same config\n"
                        "(a long sweep picks up where it stopped)", &resume)
      .flag("--no-compare", "train only", &no_compare)
      .flag("--no-confirm", "judge the run's seeds only, even when the suite declares confirm seeds\n"
                            "(seed_ranges.confirm: a run a statistical claim flagged trains them and is judged again)", &no_confirm)
      .flag("--check", "validate every selected cell's run config (keys and ranges) and exit: 0 when all are valid", &check)
      .flag("--quiet", "no per-step progress lines", &quiet)
      .epilog("Zoo suites need the zoo: run `rlvrbench zoo build` first (CTest does it as a fixture).\n"
              "exit status: 0 every cell finished and every claim PASS, 1 otherwise, 2 bad input, 4 a cell's\n"
              "environment broke (I/O error, disk full, a dead rank, a cell killed by a signal it was not sent)");
  if (!cli.parse(argc, argv)) return kExitOk;
  if (jobs < 1) throw_input("--jobs", "must be >= 1, got " + std::to_string(jobs));
  Suite suite = suite_load(suite_path, suite_seeds_parse("--seeds", seeds_text));
  suite_mutants_check(suite);
  CellSelection sel = cells_select(suite, {only_text, mutant_name, shard_text, sets});
  if (sel.empty_shard) {
    std::fprintf(stderr, "run %s --shard %s: no cell in this shard (more shards than cells)\n", suite.info.name.c_str(), shard_text.c_str());
    return kExitOk;
  }
  if (check) {
    std::printf("%s: %zu cells, every run config valid\n", suite_path.c_str(), sel.cells.size());
    return kExitOk;
  }
  stop_on_signals();
  Store store(store_default_path(db));
  store.runs_reap_stale();
  if (resume) {
    const size_t skipped = cells_drop_finished(sel, store, suite);
    std::fprintf(stderr, "run %s --resume: %zu cells finished already, %zu to train\n", suite.info.name.c_str(), skipped, sel.cells.size());
  }
  std::fprintf(stderr, "run %s: %zu cells -> %s\n", suite.info.name.c_str(), sel.cells.size(), store.path().c_str());
  const CellsRunOptions opt{suite_path, jobs, quiet, argv[0]};
  const CellsRun r = cells_run(suite, sel, store, opt);
  int status = cells_run_status(r);
  if (r.stopped || no_compare || !sel.judge) return status;
  if (golden_path.empty() && !suite.info.golden.empty()) golden_path = suite_golden_path(suite);
  if (golden_path.empty() || !file_exists(golden_path)) {
    std::fprintf(stderr, "%s: no golden for suite %s (%s): nothing to compare\n", argv[0], suite.info.name.c_str(), golden_path.c_str());
    return status;
  }
  const Golden golden = golden_load(golden_path);
  Comparison c = compare_golden(store, suite, golden);
  if (!no_confirm && suite.info.seed_range(SeedRole::confirm).declared() && comparison_flags_statistical(c)) {
    std::string first = comparison_table(c);
    std::printf("first judgement, on the run's seeds (flagged; confirmed below):\n%s\n", first.c_str());
    c = confirm_judge(suite_path, suite, {only_text, "", "", sets}, store, opt, golden, status);
  }
  std::string table = comparison_table(c);
  std::fwrite(table.data(), 1, table.size(), stdout);
  std::printf("database: %s\n", store.path().c_str());
  return std::max(status, c.exit_status());
}

}  // namespace rlvr::app
