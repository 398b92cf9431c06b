// rlvrbench report: the results database drawn as one self-contained HTML page plus one SVG per
// figure (report/README.md).
#include <cstdio>
#include <optional>
#include <string>

#include "app/commands.h"
#include "golden/claims.h"
#include "report/report_data.h"
#include "report/report_db.h"
#include "report/report_figures.h"
#include "report/report_golden.h"
#include "report/report_html.h"
#include "report/report_ladder.h"
#include "util/cli.h"
#include "util/error.h"

namespace rlvr::app {

int cmd_report(int argc, char** argv) {
  std::string db, out, golden, suite, claims, baseline_suite, power;
  Cli cli(argv[0],
          "Draws the results database: eval accuracy and code frequency vs step per model x reward cell (seeds thin,\n"
          "mean bold), gain per cell, strategy switch, clip fractions and run provenance, as DIR/index.html (inline\n"
          "SVG, no script, no network) plus DIR/fig-*.svg.");
  cli.option("--db", "PATH", "results database (default: $RLVRBENCH_DB, else results/rlvrbench.db)", &db)
      .option("--out", "DIR", "output folder (created; old fig-*.svg in it are removed)", &out, /*required=*/true)
      .option("--golden", "G.toml", "golden to judge and draw as bands (needs --suite)", &golden)
      .option("--suite", "S.toml", "the suite the golden is for", &suite)
      .option("--baseline-suite", "S.toml", "with --golden: flag gains smaller than the step-0 spread of this eval-only suite", &baseline_suite)
      .option("--claims", "CLAIMS.toml", "add the paper's claims judged on their zoo analogues (golden/claims.toml)", &claims)
      .option("--power", "POWER.json", "draw the mutant ladders' power curves from `rlvrbench power --format json`", &power)
      .epilog("exit status: 0 report written, 2 bad input (missing, foreign or empty database, no eval rows at all)");
  if (!cli.parse(argc, argv)) return kExitOk;
  if (!golden.empty() && suite.empty()) throw_input("--suite", "needed with --golden (the suite file the golden is for)");
  if (golden.empty() && !suite.empty()) throw_input("--golden", "--suite is only used with --golden");

  auto store = report::store_open_existing(store_default_path(db));
  report::ReportData data = report::report_data_load(*store);
  std::optional<report::GoldenView> gv;
  if (!baseline_suite.empty() && golden.empty()) throw_input("--baseline-suite", "is only used with --golden");
  if (!golden.empty()) gv = report::golden_view_load(*store, golden, suite, baseline_suite);
  std::optional<std::vector<ClaimRow>> rows;
  if (!claims.empty()) rows = claims_judge(claims_load(claims));
  std::optional<report::LadderView> ladders;
  if (!power.empty()) ladders = report::ladder_view_load(power);
  auto figures = report::report_figures(data, gv ? &*gv : nullptr);
  if (ladders) figures.push_back(report::ladder_figure(*ladders));
  report::report_write(out, report::report_html(data, figures, gv ? &*gv : nullptr, rows ? &*rows : nullptr, ladders ? &*ladders : nullptr),
                       figures);
  std::printf("report: %zu runs, %zu cells, %zu figures -> %s/index.html\n", data.all_runs.size(),
               data.cells.size(), figures.size(), out.c_str());
  return kExitOk;
}

}  // namespace rlvr::app
