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
          "direction only, refuted, or not testable here. The paper's own number stands beside it.");
  cli.option("--claims", "CLAIMS.toml", "the claims and their analogues (default golden/claims.toml)", &path)
      .option("--format", "table|markdown|json", "output format (markdown: the README's table)", &format)
      .epilog("exit status: 0 the table was written, 2 bad input (a claims file or golden that does not parse,\n"
              "a claim whose golden has no such cell). A refuted claim is a result, not an error.\n"
              "rules: reproduced = the 95% interval is on the paper's side of 0 (or of the bar); direction only =\n"
              "the mean is but the interval is not; refuted = the mean is not; see golden/README.md.");
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
