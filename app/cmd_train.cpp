// rlvrbench train: one model x reward cell, end to end, written to the results database.
#include <atomic>
#include <cstdio>
#include <string>
#include <vector>

#include "app/commands.h"
#include "runner/external_run.h"
#include "runner/suite_run.h"
#include "runner/stop_signal.h"
#include "runner/train_hooks.h"
#include "runner/train_launch.h"
#include "results/metric.h"
#include "results/store.h"
#include "rl/dist.h"
#include "rl/run_config.h"
#include "rl/trainer.h"
#include "util/cli.h"
#include "util/error.h"

namespace rlvr::app {

namespace {

// What `train` prints when the run ends: rank 0 (rank -1 here) a JSON summary on stdout (and CTest
// measurements for a suite cell) and a failure line; another rank only its failure. Returns the
// exit status.
int train_result_report(const TrainResult& r, int64_t rank, bool ctest, const char* prog) {
  if (rank >= 0) {  // rank 0 reports the run; the others only say when they failed
    if (r.status != RunStatus::finished)
      std::fprintf(stderr, "%s: rank %lld %s at step %lld%s%s\n", prog, static_cast<long long>(rank),
                   std::string(enum_name(r.status)).c_str(), static_cast<long long>(r.last_step), r.fail_reason.empty() ? "" : ": ",
                   r.fail_reason.c_str());
    return train_exit_status(r);
  }

  auto get = train_result_metric;
  const char* acc = metric_cstr(Metric::accuracy);
  const char* code = metric_cstr(Metric::code_frequency);
  std::printf("{\"run\": %lld, \"status\": \"%s\", \"last_step\": %lld, \"accuracy_step0\": %.6g, \"accuracy\": %.6g, "
              "\"code_frequency_step0\": %.6g, \"code_frequency\": %.6g, \"seconds\": %.1f}\n",
              static_cast<long long>(r.run), std::string(enum_name(r.status)).c_str(), static_cast<long long>(r.last_step),
              get(r.first_eval, acc), get(r.final_eval, acc), get(r.first_eval, code), get(r.final_eval, code), r.seconds);
  if (ctest) {
    for (const char* k : {acc, code})
      std::printf("<CTestMeasurement type=\"numeric/double\" name=\"%s\">%.6g</CTestMeasurement>\n", k, get(r.final_eval, k));
    std::printf("<CTestMeasurement type=\"numeric/double\" name=\"gain\">%.6g</CTestMeasurement>\n",
                get(r.final_eval, acc) - get(r.first_eval, acc));
  }
  if (r.status != RunStatus::finished) {
    std::fprintf(stderr, "%s: run %lld %s at step %lld%s%s%s\n", prog, static_cast<long long>(r.run), std::string(enum_name(r.status)).c_str(),
                 static_cast<long long>(r.last_step), r.fail_reason.empty() ? "" : ": ", r.fail_reason.c_str(),
                 r.environment_failed ? kEnvironmentBrokeMark : "");
  }
  return train_exit_status(r);
}

}  // namespace

int cmd_train(int argc, char** argv) {
  std::string run_path, db, suite_path, cell_name;
  std::vector<std::string> sets;
  bool resume = false, quiet = false, ctest = false;
  int64_t nproc = 1;
  Cli cli(argv[0],
          "Trains one model x reward cell with GRPO for a fixed number of steps, evaluating as it goes,\n"
          "and writes every number to the results database (rl/README.md lists the run keys).");
  cli.positional("RUN.toml", "the run configuration (or --suite and --cell)", &run_path, /*required=*/false)
      .option("--suite", "SUITE.toml", "take the run configuration from a suite cell (with --cell)", &suite_path)
      .option("--cell", "NAME", "the cell, suite/model/reward/seed (see rlvrbench suite list)", &cell_name)
      .multi("--set", "KEY=VALUE", "override a run key, e.g. --set train.lr=1e-6 --set reward.name=random0.5", &sets)
      .option("--db", "PATH", "results database (default: $RLVRBENCH_DB, else results/rlvrbench.db)", &db)
      .flag("--resume", "continue from the newest checkpoint of this run (bit-identical on CPU)", &resume)
      .flag("--quiet", "no progress lines", &quiet)
      .flag("--ctest-measurements", "print the final accuracy and code frequency as <CTestMeasurement> tags", &ctest)
      .option("--nproc", "N", "data parallel: launch N local ranks of this command over c10d (Gloo on CPU); default 1", &nproc)
      .epilog("Data parallel: a rank reads RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT (torchrun's and\n"
              "srun's convention; --nproc sets them for N local ranks). Each rank samples its share of a step's prompts;\n"
              "gradients are summed over ranks before the norm clip; rank 0 writes the database, evaluates and\n"
              "checkpoints. A dead rank fails the others at once, a hung one after train.dist_timeout_s (default 300 s).\n"
              "exit status: 0 finished, 1 the run failed (e.g. the loss turned NaN) or was interrupted, 2 bad input,\n"
              "4 the environment broke under it (I/O error, disk full, a rank died)");
  if (!cli.parse(argc, argv)) return kExitOk;

  RunConfig cfg;
  if (!suite_path.empty() || !cell_name.empty()) {
    if (suite_path.empty() || cell_name.empty()) throw_input(argv[0], "--suite and --cell go together");
    if (!run_path.empty()) throw_input(argv[0], "give RUN.toml or --suite/--cell, not both");
    Suite suite = suite_load(suite_path);
    const SuiteCell& cell = suite_cell_find(suite, cell_name);
    cfg = suite_cell_config(suite, cell, sets);
    if (!cell.runner.empty()) {  // another framework trains this cell; its run file is ingested
      if (nproc > 1) throw_input("--nproc", "cell " + cell_name + " has a runner: it launches its own ranks");
      Store store(store_default_path(db));
      return external_cell_run(suite, cell, cfg, store, quiet, /*summary=*/true);
    }
    run_path = suite_path;
    ctest = true;  // a suite cell runs under CTest: report its measurements
  } else {
    if (run_path.empty()) throw_input(argv[0], "missing argument RUN.toml (or --suite and --cell; see --help)");
    cfg = run_config_load(run_path, sets);
  }
  if (nproc < 1 || nproc > 256) throw_input("--nproc", "must be in [1, 256], got " + std::to_string(nproc));
  if (nproc > 1) return train_launch_nproc(cfg, nproc, argc, argv, quiet);
  const DistEnv env = dist_env_read();
  rank_device_bind(cfg, env);
  train_world_check(cfg, env.world, "WORLD_SIZE");  // before the rendezvous: bad input waits for no one
  const Dist dist = Dist::init(env, cfg.backend, cfg.dist_timeout_s, cfg.device.rfind("cuda", 0) == 0);
  const bool lead = dist.lead();
  TrainHooks hooks = train_hooks_make(cfg, run_path, quiet || !lead, "", &stop_flag());
  hooks.dist = &dist;
  stop_on_signals();

  Store store(store_default_path(db));
  store.runs_reap_stale();
  if (!quiet && lead)
    std::fprintf(stderr, "train %s: model %s, reward %s, seed %lld, %lld steps%s -> %s\n", cfg.name.c_str(), cfg.model_path.c_str(),
                 cfg.reward.c_str(), static_cast<long long>(cfg.seed), static_cast<long long>(cfg.steps),
                 dist.active() ? (", " + std::to_string(dist.world()) + " ranks (" + dist.backend() + ")").c_str() : "",
                 store.path().c_str());
  return train_result_report(train_run(cfg, store, hooks, resume), lead ? -1 : dist.rank(), ctest, argv[0]);
}

}  // namespace rlvr::app
