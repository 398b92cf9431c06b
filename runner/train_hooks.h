// train_hooks.h: the trainer's hooks (reward, graders, labeler, progress, libtorch version) for a
// run config, shared by `rlvrbench train` and `rlvrbench run`.
#pragma once
#include <atomic>
#include <string>

#include "rl/trainer.h"

namespace rlvr {

// `where` names the config in errors (unknown reward or grader). Progress lines go to stderr
// prefixed with `prefix` unless quiet.
TrainHooks train_hooks_make(const RunConfig& cfg, const std::string& where, bool quiet, const std::string& prefix,
                            const std::atomic<bool>* stop);

// The final metric `key` of a run's result (NaN when absent).
double train_result_metric(const std::map<std::string, double>& m, const char* key);

}  // namespace rlvr
