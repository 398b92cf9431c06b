// zoo_train.h: next-token pretraining of a decoder on corpus documents (fp32, CPU, deterministic).
//
//   TrainSchedule s{.steps = 1200, .batch = 64, .lr = 3e-3};
//   TrainStats st = zoo_train(model, [&](int64_t step, int64_t row) { return doc_for(step, row); }, s, &bar);
//
// AdamW (betas 0.9/0.95, weight decay on matrices only), linear warmup then cosine decay to
// final_lr_frac * lr, gradient clipping. Documents come from a pure function of (step, row), so
// a run's bytes depend only on the model's initial weights, the documents and the schedule
// (and on LibTorch's CPU kernels: same build, same thread count).
#pragma once
#include <cstdint>
#include <functional>

#include "models/model.h"
#include "zoo/zoo_data.h"
#include "zoo/zoo_progress.h"

namespace rlvr::zoo {

struct TrainSchedule {
  int64_t steps = 0;
  int64_t batch = 64;
  double lr = 3e-3;
  double warmup_frac = 0.05;    // share of steps with a linear warmup
  double final_lr_frac = 0.1;   // the cosine ends at lr * final_lr_frac
  double weight_decay = 0.1;
  double clip = 1.0;            // gradient norm clip
  int64_t max_len = 512;        // longer documents are cut (the model's max_seq)
};

struct TrainStats {
  double final_loss = 0;  // mean loss per response token over the last 10% of steps
  double seconds = 0;
  int64_t tokens = 0;     // tokens fed (prompt + response, no padding)
  int64_t steps = 0;
};

using DocSource = std::function<ZooDoc(int64_t step, int64_t row)>;

// Trains m's weights in place (they are left with requires_grad false).
TrainStats zoo_train(Model& m, const DocSource& docs, const TrainSchedule& s, ProgressBar* progress);

// The learning rate at `step` (0-based) of the schedule.
double zoo_lr_at(const TrainSchedule& s, int64_t step);

}  // namespace rlvr::zoo
