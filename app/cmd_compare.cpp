// rlvrbench compare: judge a golden's claims against the results database (golden/README.md).
#include <cstdio>
#include <optional>
#include <string>

#include "app/commands.h"
#include "golden/baseline.h"
#include "golden/compare.h"
#include "util/cli.h"
#include "util/error.h"

namespace rlvr::app {

int cmd_compare(int argc, char** argv) {
  std::string suite_path, golden_path, db, format = "table", seeds_text, paper_version, baseline_suite;
  bool confirm = false;
  Cli cli(argv[0],
          "Compares the real (unmutated) runs of a suite in the results database with its golden claims\n"
          "and prints the verdict of each claim: PASS, REGRESSION (significantly below the claim),\n"
          "IMPROVED (above it: fails too, until `rlvrbench golden update` records it on purpose),\n"
          "MISSING, FAILED RUN, and the suite's family-wise false-alarm rate.");
  cli.option("--suite", "SUITE.toml", "the suite the runs came from", &suite_path, /*required=*/true)
      .option("--golden", "GOLDEN.toml", "the claims to check (golden/SUITE.toml)", &golden_path, /*required=*/true)
      .option("--db", "PATH", "results database (default: $RLVRBENCH_DB, else results/rlvrbench.db)", &db)
      .option("--seeds", "1,2,3", "use these seeds instead of the suite's (a golden measured with more seeds)", &seeds_text)
      .option("--format", "table|json", "output format", &format)
      .option("--baseline-suite", "S.toml", "an eval-only suite (suites/baseline.toml): flag gains smaller than a model's step-0 spread over its cells", &baseline_suite)
      .flag("--confirm", "when a statistical claim is flagged, judge again on the seeds and the suite's confirm\n"
                         "seeds together (seed_ranges.confirm; their runs must be in the database: `run` trains them)", &confirm)
      .option("--paper-version", "V", "a paper golden's version to judge (default: its latest; golden/paper.toml lists them)", &paper_version)
      .epilog("exit status: 0 every claim PASS, 1 any other verdict, 2 bad input.\n"
              "method (golden/README.md): goldens of 19+ seeds, the judged seeds' deviation from the golden's\n"
              "other seeds calibrated over every relabeling of the pooled seeds (seed permutation, max over\n"
              "claims); a suite's [science] claims form their own family when the judged seeds allow it;\n"
              "smaller goldens, a t-test per claim with Holm's correction.");
  if (!cli.parse(argc, argv)) return kExitOk;
  if (format != "table" && format != "json") throw_input("--format", "expected table or json, got '" + format + "'");
  Suite suite = suite_load(suite_path, suite_seeds_parse("--seeds", seeds_text));
  suite_seeds_one_role(suite.info, suite.info.seeds, "--seeds");
  Golden golden = golden_load(golden_path);
  if (!golden.versions.empty() || !paper_version.empty()) golden_select_version(golden, paper_version);
  compare_check_inputs(suite, golden);
  std::optional<Suite> baseline;
  if (!baseline_suite.empty()) baseline = suite_load(baseline_suite);
  // Arguments are checked before the database is opened: a bad file is named even when there are no runs yet.
  Store st(store_default_path(db), StoreOpen::read);  // judging never writes (results/store.h)
  Comparison c = compare_golden(st, suite, golden);
  if (confirm && comparison_flags_statistical(c)) {
    if (!suite.info.seed_range(SeedRole::confirm).declared()) throw_input("--confirm", suite.info.path + " declares no seed_ranges.confirm");
    c = compare_golden(st, suite_load(suite_path, suite_seeds_with_confirm(suite.info)), golden);
  }
  if (baseline) comparison_flag_baselines(c, baseline_spreads(st, *baseline));
  std::string out = format == "json" ? comparison_json(c) : comparison_table(c);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return c.exit_status();
}

}  // namespace rlvr::app
