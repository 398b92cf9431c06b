// rlvrbench query: named questions to the results database, or read-only SQL, as an aligned
// table, CSV or JSON.
#include <cstdio>
#include <optional>
#include <string>

#include "app/commands.h"
#include "report/query_named.h"
#include "report/query_table.h"
#include "report/report_db.h"
#include "report/report_golden.h"
#include "suites/suite.h"
#include "util/cli.h"
#include "util/error.h"

namespace rlvr::app {

int cmd_query(int argc, char** argv) {
  std::string db, name, sql, format = "table", golden, suite, seeds_text;
  report::QueryArgs args;
  std::string epilog = "named queries:\n";
  for (const auto& q : report::named_queries()) epilog += "  " + std::string(q.name) + std::string(10 - std::string(q.name).size(), ' ') + q.help + "\n";
  epilog +=
      "\nexamples:\n  rlvrbench query gains --format csv\n  rlvrbench query curves --cell synth-qwen-math-7b/random0.5 --metric clip_frac_high\n"
      "  rlvrbench query --sql \"SELECT cell, seed, accuracy FROM cell_final_accuracy ORDER BY cell\"\n"
      "\nexit status: 0 answered, 2 bad input (unknown query, cell or metric; SQL that is not one read-only statement;\n"
      "missing, foreign or empty database)";
  Cli cli(argv[0], "Answers questions about the results database (views and tables: results/README.md).");
  cli.positional("NAME", "a named query (below), or none with --sql", &name, /*required=*/false)
      .option("--db", "PATH", "results database (default: $RLVRBENCH_DB, else results/rlvrbench.db)", &db)
      .option("--sql", "SQL", "one read-only SQL statement instead of a named query", &sql)
      .option("--format", "FMT", "table (aligned), csv (RFC 4180) or json (array of objects)", &format)
      .option("--cell", "NAME", "curves: the cell (runs.cell, e.g. MODEL/REWARD); decompose: only this cell", &args.cell)
      .option("--metric", "KEY", "curves: an eval metric or a step metric key", &args.metric)
      .option("--seeds", "1,2,3", "decompose: only runs of these seeds (a golden's), so the summary speaks of one seed set", &seeds_text)
      .option("--golden", "G.toml", "verdicts: the golden to judge (with --suite)", &golden)
      .option("--suite", "S.toml", "verdicts: the suite the golden is for", &suite)
      .epilog(epilog);
  if (!cli.parse(argc, argv)) return kExitOk;
  args.seeds = suite_seeds_parse("--seeds", seeds_text);
  if (!args.seeds.empty() && name != "decompose") throw_input("--seeds", "is only used with the decompose query");
  report::Format fmt = report::format_parse("--format", format);
  if (name.empty() == sql.empty()) throw_input("query", "give a named query NAME or --sql SQL (one of the two; see --help)");
  if (!golden.empty() && suite.empty()) throw_input("--suite", "needed with --golden (the suite file the golden is for)");
  if (golden.empty() && !suite.empty()) throw_input("--golden", "--suite is only used with --golden");

  auto store = report::store_open_existing(store_default_path(db));
  report::Table t;
  if (!sql.empty()) {
    report::ReadOnlyDb ro(*store);
    t = ro.query(sql, {}, "--sql");
  } else {
    report::require_runs(*store, "query");
    std::optional<report::GoldenView> gv;
    if (!golden.empty()) gv = report::golden_view_load(*store, golden, suite);
    args.golden = gv ? &*gv : nullptr;
    report::ReadOnlyDb ro(*store);
    t = report::query_named(ro, name, args);
  }
  std::fputs(report::table_render(t, fmt).c_str(), stdout);
  return kExitOk;
}

}  // namespace rlvr::app
