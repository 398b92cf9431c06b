// rlvrbench data check: validate a math dataset file and say what was found in it (eval/dataset.h).
#include <array>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/subcommands.h"
#include "eval/dataset.h"
#include "util/cli.h"
#include "util/error.h"

namespace rlvr::app {

namespace {

std::string fields(const std::map<std::string, int64_t>& m) {
  std::string s;
  for (const auto& [k, n] : m) s += (s.empty() ? "" : ", ") + std::string("'") + k + "' " + std::to_string(n);
  return s;
}

int data_check(int argc, char** argv) {
  std::string path, format = "text";
  Cli cli(argv[0],
          "Reads a dataset file the way `train` and `run` read data.train and data.eval (JSONL in the MATH-500\n"
          "schema, or the forms AMC / AIME / GSM8K sets and the paper scripts' test.json come in) and says what\n"
          "it found: how many problems, which field gave the problem, the answer and the id.");
  cli.positional("FILE", "the dataset (JSONL, or one JSON array of objects)", &path)
      .option("--format", "text|json", "output format", &format)
      .epilog("exit status: 0 the file is usable, 2 it is not (one line naming the file, line and field)");
  if (!cli.parse(argc, argv)) return kExitOk;
  if (format != "text" && format != "json") throw_input("--format", "expected text or json, got '" + format + "'");
  DatasetReport r = dataset_load_report(path);
  int64_t levels = 0, solutions = 0;
  for (const auto& it : r.items) levels += it.level > 0, solutions += !it.solution.empty();
  if (format == "json") {
    nlohmann::json j = {{"path", r.path},           {"format", r.format},           {"problems", r.items.size()},
                        {"problem_from", r.problem_from}, {"answer_from", r.answer_from}, {"id_from", r.id_from},
                        {"numeric_answers", r.numeric_answers}, {"with_solution", solutions}, {"with_level", levels}};
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("%s: %zu problems (%s)\n  problem from %s\n  answer from %s%s\n  id from %s\n  %lld with a solution, %lld with a level\n",
              r.path.c_str(), r.items.size(), r.format.c_str(), fields(r.problem_from).c_str(), fields(r.answer_from).c_str(),
              r.numeric_answers ? (" (" + std::to_string(r.numeric_answers) + " given as numbers)").c_str() : "",
              fields(r.id_from).c_str(), static_cast<long long>(solutions), static_cast<long long>(levels));
  return kExitOk;
}

constexpr std::array kSubs = {Subcommand{"check", "validate a dataset file and say which fields it uses", data_check}};

}  // namespace

int cmd_data(int argc, char** argv) { return subcommand_dispatch(argc, argv, kSubs, "Math dataset files (eval/dataset.h)."); }

}  // namespace rlvr::app
