// rlvrbench grade: stdin JSONL {"response", "gold"} -> stdout JSONL {"extracted", "correct"}.
#include <cstdio>
#include <iostream>
#include <string>

#include "app/commands.h"
#include "util/jsonl_fields.h"
#include "rewards/grader.h"
#include "util/cli.h"

namespace rlvr::app {

int cmd_grade(int argc, char** argv) {
  std::string mode_name = "paper";
  bool verdicts = false;
  Cli cli(argv[0],
          "Grades one JSON object {\"response\": str, \"gold\": str} per stdin line and writes\n"
          "{\"extracted\": str or null, \"correct\": bool} per line, in the same order.");
  cli.option("--mode", "paper|strict",
             "paper: the paper's grader (Qwen2.5-Math extraction + PRM800K-style equivalence);\n"
             "strict: boxed answers only, this project's LaTeX evaluator (unsure counts as wrong)",
             &mode_name)
      .flag("--verdict", "also write \"verdict\": correct|wrong|unsure", &verdicts)
      .epilog("example:\n  echo '{\"response\": \"so \\\\boxed{\\\\frac12}\", \"gold\": \"0.5\"}' | rlvrbench grade --mode strict\n"
              "  {\"correct\":true,\"extracted\":\"\\\\frac12\"}\n"
              "A malformed line exits 2 naming the line and field. In strict mode the number of unsure\n"
              "gradings is printed to stderr at the end. See rewards/README.md.");
  if (!cli.parse(argc, argv)) return kExitOk;
  auto mode = rewards::grade_mode_parse("--mode", mode_name);

  std::ios::sync_with_stdio(false);
  std::string line;
  size_t lineno = 0, correct = 0, unsure = 0;
  while (std::getline(std::cin, line)) {
    ++lineno;
    std::string where = "stdin:" + std::to_string(lineno);
    nlohmann::json in = jsonl_object(line, where);
    const std::string& response = jsonl_string(in, "response", where);
    const std::string& gold = jsonl_string(in, "gold", where);
    rewards::Grade g = rewards::grade_response(response, gold, mode);
    correct += g.correct();
    unsure += g.verdict == rewards::StrictVerdict::unsure;
    nlohmann::json out;
    out["extracted"] = g.extracted ? nlohmann::json(*g.extracted) : nlohmann::json(nullptr);
    out["correct"] = g.correct();
    if (verdicts) out["verdict"] = rewards::strict_verdict_name(g.verdict);
    std::string s = jsonl_dump(out);
    s.push_back('\n');
    std::fwrite(s.data(), 1, s.size(), stdout);
  }
  if (mode == rewards::GradeMode::strict)
    std::fprintf(stderr, "grade: %zu lines, %zu correct, %zu unsure (counted as wrong)\n", lineno, correct, unsure);
  return kExitOk;
}

}  // namespace rlvr::app
