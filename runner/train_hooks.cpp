#include "runner/train_hooks.h"

#include <cstdio>
#include <limits>
#include <torch/version.h>

#include "eval/grade_fn.h"
#include "rewards/reward.h"
#include "rl/labels.h"

namespace rlvr {

TrainHooks train_hooks_make(const RunConfig& cfg, const std::string& where, bool quiet, const std::string& prefix,
                            const std::atomic<bool>* stop) {
  TrainHooks h;
  // reward.r1_style: the reward's _r1_style form (grade only inside <answer>), as the scripts' --verify_task "${REWARD}_r1_style".
  const std::string reward = cfg.reward_r1_style && cfg.reward.find("_r1_style") == std::string::npos ? cfg.reward + "_r1_style" : cfg.reward;
  h.reward = rewards::reward_make(reward, static_cast<uint64_t>(cfg.reward_seed), where + ": reward.name").fn;
  h.grade_truth = grade_fn_make(rewards::GradeMode::paper);  // training accuracy: always the paper grader
  h.grade_eval = grade_fn_make(cfg.grader, cfg.eval_r1_style);
  if (cfg.labels != LabelSource::gold) h.label = label_fn_make(cfg);
  if (!quiet) h.progress = [prefix](const std::string& line) { std::fprintf(stderr, "%s%s\n", prefix.c_str(), line.c_str()); };
  h.stop = stop;
  h.libtorch_version = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                       std::to_string(TORCH_VERSION_PATCH);
  return h;
}

double train_result_metric(const std::map<std::string, double>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
}

}  // namespace rlvr
