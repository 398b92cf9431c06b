// labels.h: the trainer's LabelFn for reward.labels = majority | incorrect | one-shot, backed by
// the rewards/ labelers (docs/paper.md, "Rewards").
#pragma once
#include "rl/run_config.h"
#include "rl/trainer.h"

namespace rlvr {

// InputError naming reward.one_shot_id when the one-shot example is not in the training set.
LabelFn label_fn_make(const RunConfig& cfg);

}  // namespace rlvr
