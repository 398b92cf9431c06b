// rlvrbench train: one model x reward cell, end to end, written to the results database.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <torch/version.h>

#include "app/commands.h"
#include "eval/grade_fn.h"
#include "results/store.h"
#include "rewards/reward.h"
#include "rl/labels.h"
#include "rl/run_config.h"
#include "rl/trainer.h"
#include "util/cli.h"
#include "util/error.h"

namespace rlvr::app {

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_signal(int sig) {
  g_stop.store(true);
  std::signal(sig, SIG_DFL);  // a second signal ends the process at once
}

}  // namespace

int cmd_train(int argc, char** argv) {
  std::string run_path, db, measure;
  std::vector<std::string> sets;
  bool resume = false, quiet = false, ctest = false;
  Cli cli(argv[0],
          "Trains one model x reward cell with GRPO for a fixed number of steps, evaluating as it goes,\n"
          "and writes every number to the results database (rl/README.md lists the run keys).");
  cli.positional("RUN.toml", "the run configuration", &run_path)
      .multi("--set", "KEY=VALUE", "override a run key, e.g. --set train.lr=1e-6 --set reward.name=random0.5", &sets)
      .option("--db", "PATH", "results database (default: $RLVRBENCH_DB, else results/rlvrbench.db)", &db)
      .flag("--resume", "continue from the newest checkpoint of this run (bit-identical on CPU)", &resume)
      .flag("--quiet", "no progress lines", &quiet)
      .flag("--ctest-measurements", "print the final accuracy and code frequency as <CTestMeasurement> tags", &ctest)
      .epilog("exit status: 0 finished, 1 the run failed (e.g. the loss turned NaN) or was interrupted, 2 bad input");
  if (!cli.parse(argc, argv)) return kExitOk;

  RunConfig cfg = run_config_load(run_path, sets);
  TrainHooks hooks;
  rewards::Reward reward = rewards::reward_make(cfg.reward, static_cast<uint64_t>(cfg.reward_seed), run_path + ": reward.name");
  hooks.reward = [reward](const RewardInput& in) {
    return reward(rewards::RewardInput{in.response, in.gold, in.prompt_id, in.sample, in.step});
  };
  hooks.grade_truth = grade_fn_make("paper");
  hooks.grade_eval = grade_fn_make(cfg.grader, run_path + ": eval.grader");
  if (cfg.labels != "gold") hooks.label = label_fn_make(cfg);
  if (!quiet) hooks.progress = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  hooks.stop = &g_stop;
  hooks.libtorch_version = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                           std::to_string(TORCH_VERSION_PATCH);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  Store store(store_default_path(db));
  store.runs_reap_stale();
  if (!quiet) std::fprintf(stderr, "train %s: model %s, reward %s, seed %lld, %lld steps -> %s\n", cfg.name.c_str(),
                           cfg.model_path.c_str(), cfg.reward.c_str(), static_cast<long long>(cfg.seed),
                           static_cast<long long>(cfg.steps), store.path().c_str());
  TrainResult r = train_run(cfg, store, hooks, resume);

  auto get = [](const std::map<std::string, double>& m, const char* k) {
    auto it = m.find(k);
    return it == m.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
  };
  std::printf("{\"run\": %lld, \"status\": \"%s\", \"last_step\": %lld, \"accuracy_step0\": %.6g, \"accuracy\": %.6g, "
              "\"code_frequency_step0\": %.6g, \"code_frequency\": %.6g, \"seconds\": %.1f}\n",
              static_cast<long long>(r.run), r.status.c_str(), static_cast<long long>(r.last_step),
              get(r.first_eval, "accuracy"), get(r.final_eval, "accuracy"), get(r.first_eval, "code_frequency"),
              get(r.final_eval, "code_frequency"), r.seconds);
  if (ctest) {
    for (const char* k : {"accuracy", "code_frequency"})
      std::printf("<CTestMeasurement type=\"numeric/double\" name=\"%s\">%.6g</CTestMeasurement>\n", k, get(r.final_eval, k));
    std::printf("<CTestMeasurement type=\"numeric/double\" name=\"gain\">%.6g</CTestMeasurement>\n",
                get(r.final_eval, "accuracy") - get(r.first_eval, "accuracy"));
  }
  if (r.status != "finished") {
    std::fprintf(stderr, "%s: run %lld %s at step %lld%s%s\n", argv[0], static_cast<long long>(r.run), r.status.c_str(),
                 static_cast<long long>(r.last_step), r.fail_reason.empty() ? "" : ": ", r.fail_reason.c_str());
    return kExitVerdict;
  }
  return kExitOk;
}

}  // namespace rlvr::app
