// rlvrbench claims: one verdict per claim of the paper, from what the goldens measured
// (golden/claims.toml; rules in golden/README.md, "Claims").
#include <cstdio>
#include <string>

#include "app/commands.h"
#include "golden/claims.h"
#include "util/cli.h"
#include "util/error.h"

namespace rlvr::app {

int cmd_claims(int argc, char** argv) {
  std::string path = "golden/claims.toml", format = "table";
  Cli cli(argv[0],
          "Judges every claim of the paper on its zoo analogue: the measured gain (or contrast, or final\n"
          "value) of a golden claim, its 95% interval over the golden's seeds, and a verdict: reproduced,\n"
          "direction only, not reproduced on the stand-in, inconclusive, or not testable here. The paper's\n"
          "own number stands beside it.");
  cli.option("--claims", "CLAIMS.toml", "the claims and their analogues (default golden/claims.toml)", &path)
      .option("--format", "table|markdown|json", "output format (markdown: the README's table)", &format)
      .epilog("exit status: 0 the table was written, 2 bad input (a claims file or golden that does not parse,\n"
              "a claim whose golden has no such cell, a claim without a margin). A claim not reproduced is a result,\n"
              "not an error. rules (m: the claim's margin): reproduced = the 95% interval excludes 0 and the mean\n"
              "reaches m; not reproduced = the interval excludes an effect of m (equivalence); direction only = the\n"
              "mean reaches m, the interval also 0; not testable = a claim it needs is not reproduced, or a code\n"
              "reward on a stand-in that writes no code; see golden/README.md, \"Claims\".");
  if (!cli.parse(argc, argv)) return kExitOk;
  if (format != "table" && format != "markdown" && format != "json")
    throw_input("--format", "expected table, markdown or json, got '" + format + "'");
  ClaimsFile f = claims_load(path);
  std::vector<ClaimRow> rows = claims_judge(f);
  std::string out = format == "json" ? claims_json(rows) : format == "markdown" ? claims_markdown(rows) : claims_table(rows);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace rlvr::app
