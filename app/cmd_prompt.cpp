// rlvrbench prompt: stdin JSONL {"problem"} -> {"prompt"}, the text a template makes of a problem.
// Other trainers driven by a suite (tools/trl_runner.py) prompt the model with exactly the text
// rlvrbench's trainer and evaluator give it, from this one home (eval/prompt_template.h).
#include <cstdio>
#include <iostream>
#include <string>

#include "app/commands.h"
#include "eval/prompt_template.h"
#include "util/cli.h"
#include "util/jsonl_fields.h"

namespace rlvr::app {

int cmd_prompt(int argc, char** argv) {
  std::string name;
  Cli cli(argv[0],
          "Renders one JSON object {\"problem\": str} per stdin line (a dataset line: other fields are\n"
          "ignored) with a prompt template and writes {\"prompt\": str} per line, in the same order.");
  cli.option("--template", "NAME", "prompt template as a run's model.template names it (" +
                                       enum_list<PromptTemplate>() + "; chatml = qwen-math)",
             &name, true)
      .epilog("example:\n"
              "  echo '{\"problem\": \"What is 2 + 3?\"}' | rlvrbench prompt --template plain\n"
              "  {\"prompt\":\"What is 2 + 3?\\n\\n\"}\n"
              "A malformed line exits 2 naming the line and field.");
  if (!cli.parse(argc, argv)) return kExitOk;
  const PromptTemplate t = prompt_template_parse(name, "--template");

  std::ios::sync_with_stdio(false);
  std::string line;
  size_t lineno = 0;
  while (std::getline(std::cin, line)) {
    ++lineno;
    const std::string where = "stdin:" + std::to_string(lineno);
    nlohmann::json in = jsonl_object(line, where);
    std::string s = jsonl_dump(nlohmann::json{{"prompt", prompt_render(t, jsonl_string(in, "problem", where))}});
    s.push_back('\n');
    std::fwrite(s.data(), 1, s.size(), stdout);
  }
  return kExitOk;
}

}  // namespace rlvr::app
