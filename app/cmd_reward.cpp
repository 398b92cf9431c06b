// rlvrbench reward: stdin JSONL {"response", "gold", "prompt_id", "sample", "step"} -> {"reward"}.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

#include "app/commands.h"
#include "util/jsonl_fields.h"
#include "rewards/reward.h"
#include "util/cli.h"

namespace rlvr::app {

int cmd_reward(int argc, char** argv) {
  std::string name;
  int64_t seed = 0;
  std::string known;
  for (const rewards::RewardKind& k : rewards::reward_kinds()) {
    std::string label = rewards::reward_kind_label(k);
    label.resize(std::max<size_t>(label.size() + 1, 30), ' ');
    known += "  " + label + std::string(k.description) + "\n";
  }
  Cli cli(argv[0],
          "Scores one JSON object {\"response\": str, \"gold\": str, \"prompt_id\": str, \"sample\": int,\n"
          "\"step\": int} per stdin line with the named reward and writes {\"reward\": number} per line.");
  cli.option("--name", "NAME", "reward name as a suite writes it (math, random0.5, inverse_math, ...)", &name, true)
      .option("--seed", "S", "seed of the random reward (draws depend on seed, step, prompt_id, sample)", &seed)
      .epilog("rewards:\n" + known +
              "modifiers: inverse_X (1 - X), A_AND_B (1 only if both), X_r1_style (only the <answer> text)\n"
              "\"response\" and \"gold\" are required; \"prompt_id\", \"sample\" and \"step\" too for random rewards\n"
              "(elsewhere they default to \"\", 0, 0). A malformed line exits 2 naming the line and field.");
  if (!cli.parse(argc, argv)) return kExitOk;
  rewards::Reward reward = rewards::reward_make(name, static_cast<uint64_t>(seed));
  bool needs_keys = name.find("random") != std::string::npos;

  std::ios::sync_with_stdio(false);
  std::string line;
  size_t lineno = 0;
  while (std::getline(std::cin, line)) {
    ++lineno;
    std::string where = "stdin:" + std::to_string(lineno);
    nlohmann::json in = jsonl_object(line, where);
    RewardInput ri;
    ri.response = jsonl_string(in, "response", where);
    ri.gold = jsonl_string(in, "gold", where);
    static const std::string kNone;
    ri.prompt_id = needs_keys || in.contains("prompt_id") ? jsonl_string(in, "prompt_id", where) : kNone;
    ri.sample = needs_keys || in.contains("sample") ? jsonl_int(in, "sample", where) : 0;
    ri.step = needs_keys || in.contains("step") ? jsonl_int(in, "step", where) : 0;
    std::string s = jsonl_dump(nlohmann::json{{"reward", reward(ri)}});
    s.push_back('\n');
    std::fwrite(s.data(), 1, s.size(), stdout);
  }
  return kExitOk;
}

}  // namespace rlvr::app
