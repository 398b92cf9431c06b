// trainer.h: one cell of the matrix, end to end: rollouts -> rewards -> GRPO updates -> periodic
// evaluation, every number written to the results store as the run goes.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "eval/dataset.h"
#include "eval/grading.h"
#include "results/store.h"
#include "rewards/reward_input.h"
#include "rl/dist.h"
#include "rl/run_config.h"
#include "util/error.h"

namespace rlvr {


// Turns the training set into labelled prompts for reward.labels = majority | incorrect | one-shot.
// `answers[i]` are the extracted answers (nullopt: none) of k samples of problem i.
struct LabelRequest {
  const std::vector<DatasetItem>* train;
  const std::vector<std::vector<std::optional<std::string>>>* answers;  // empty for one-shot
};
using LabelFn = std::function<std::vector<DatasetItem>(const LabelRequest&)>;

struct TrainHooks {
  RewardFn reward;          // the configured reward (reward.name)
  GradeFn grade_truth;      // ground truth in the paper's grader: training accuracy, whatever the reward
  GradeFn grade_eval;       // the evaluation grader (eval.grader)
  LabelFn label;            // needed unless reward.labels = gold
  std::function<void(const std::string&)> progress;  // one progress line per step (stderr)
  const std::atomic<bool>* stop = nullptr;           // set by SIGINT/SIGTERM: stop, mark killed
  std::string libtorch_version;
  // Data parallel (rl/dist.h): this rank's process group; nullptr = one process. Rank 0 writes
  // the database, evaluates and checkpoints; every rank samples its share of the prompts.
  const Dist* dist = nullptr;
};

struct TrainResult {
  int64_t run = 0;
  int64_t last_step = 0;
  RunStatus status = RunStatus::failed;        // finished | failed | killed
  std::string fail_reason;
  bool environment_failed = false;             // failed on an I/O error, a full disk or a dead rank (exit 4)
  std::map<std::string, double> final_eval;    // greedy metrics at the last evaluated step
  std::map<std::string, double> first_eval;    // at step 0
  double seconds = 0;
};

// The exit status of a command that ran one training: 0 finished, 4 (kExitEnvironment) when the
// machine or a peer rank broke under it, 1 when the run itself failed or was interrupted.
inline int train_exit_status(const TrainResult& r) {
  if (r.status == RunStatus::finished) return kExitOk;
  return r.environment_failed ? kExitEnvironment : kExitVerdict;
}

// Trains `cfg` writing to `store`. resume: continue from the newest checkpoint in cfg's
// checkpoint dir (bit-identical on CPU to an uninterrupted run).
TrainResult train_run(const RunConfig& cfg, Store& store, const TrainHooks& hooks, bool resume);

// Data parallel: `world` ranks must divide the step's prompts and each micro-batch (each rank takes
// an equal share of both). InputError naming `where` otherwise.
void train_world_check(const RunConfig& cfg, int64_t world, const std::string& where);

// The checkpoint folder of a run (run.checkpoint_dir, else results/runs/<name>-seed<seed> beside the database).
std::string train_checkpoint_dir(const RunConfig& cfg, const std::string& db_path);

}  // namespace rlvr
