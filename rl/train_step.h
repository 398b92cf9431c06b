// train_step.h: the stages of one GRPO step, each a function with a one-line contract. train_run
// (trainer.cpp) and bench/step_bench.cpp call them in this order:
//
//   chosen  = step_prompts(order, step, P)          which training prompts fill the step's P slots
//   rollout = step_rollout(m, prompts, chosen, ...)  G samples per slot, no grad
//   scored  = step_score(rollout, ...)               rewards, ground-truth grades, advantages
//   micros  = step_minibatches(m, ref, ...)          the shuffled update batches, old (and ref) log-probs
//   stats   = step_update(m, opt, micros, ...)       U optimizer updates over the micro-batches
//   row     = step_metrics_row(...)                  the step_metrics row the store gets
//
// Every random choice is keyed by (run seed, salt, step) through util/hash.h, so a step's prompts,
// samples and minibatches follow from the seed and the step alone (what makes --resume exact).
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "eval/dataset.h"
#include "eval/evaluate.h"
#include "eval/grading.h"
#include "models/model.h"
#include "models/sampler.h"
#include "models/tokenizer.h"
#include "rewards/reward_input.h"
#include "rl/advantage.h"
#include "rl/dist.h"
#include "rl/policy_loss.h"
#include "rl/run_config.h"

namespace rlvr {

// Salts of the trainer's random streams (util/hash.h stream_seed).
inline constexpr uint64_t kSaltEpoch = 0x45504F43;      // "EPOC": data order per epoch
inline constexpr uint64_t kSaltRollout = 0x524F4C4C;    // "ROLL": sampler seed per step
inline constexpr uint64_t kSaltMinibatch = 0x4D494E49;  // "MINI": minibatch shuffle per step
inline constexpr uint64_t kSaltLabels = 0x4C41424C;     // "LABL": label sampling

// A training prompt: the problem, the label the reward compares with, the prompt's token ids.
struct TrainPrompt {
  const DatasetItem* item;
  std::string label;
  std::vector<int32_t> ids;
};

// A Fisher-Yates permutation of 0..n-1 with a hashed counter per position.
std::vector<int64_t> permutation(int64_t n, uint64_t seed);

// The epoch-wise data order: global slot g is position g % n of epoch g / n's permutation, keyed
// by (seed, epoch). Keeps the current epoch's permutation instead of rebuilding it per slot.
class EpochOrder {
 public:
  EpochOrder(int64_t n, uint64_t seed) : n_(n), seed_(seed) {}
  size_t at(int64_t g);

 private:
  int64_t n_;
  uint64_t seed_;
  int64_t epoch_ = -1;
  std::vector<int64_t> perm_;
};

// The prompt index of each of step's P slots: the next P of the epoch order (steps count from 1).
std::vector<size_t> step_prompts(EpochOrder& order, int64_t step, int64_t P);

struct Rollout {
  std::vector<std::string> slot_ids;  // per slot: "<problem id>#<slot>", the sample stream's key
  std::vector<Sample> samples;        // (P*G) ordered by (slot, sample)
  double seconds = 0;
};

// G samples per slot at train.temperature / top_p, each slot its own stream (also when a prompt
// fills several slots: one-shot, or an epoch boundary inside a step). Data parallel: only slots
// [slot_lo, slot_hi) are sampled (the rank's share; the samples' prompt_index stays the global
// slot, and each slot's stream is the one a single process would use); -1: all of them.
Rollout step_rollout(const Model& m, const std::vector<TrainPrompt>& prompts, const std::vector<size_t>& chosen,
                     const RunConfig& cfg, int64_t step, const EvalStops& stops, const DecodeFn& decode,
                     int64_t slot_lo = 0, int64_t slot_hi = -1);

struct Scored {
  std::vector<double> rewards, adv;  // (P*G)
  std::vector<int64_t> lengths;      // response tokens, at least 1 (the whitening's weights)
  std::vector<Graded> graded;        // ground truth in the paper's grader, whatever the reward
  std::vector<bool> truncated;       // hit train.max_response_len
  double gen_tokens = 0;             // sampled tokens
  double neg_logp = 0;               // sum of -log p of the sampled tokens (the entropy estimate)
  double adv_zero = 0;               // responses whose final advantage is exactly 0
  double seconds = 0;
};

// Rewards (the configured reward against the prompt's label), ground-truth grades and GRPO
// advantages of a rollout.
Scored step_score(const Rollout& r, const std::vector<TrainPrompt>& prompts, const std::vector<size_t>& chosen,
                  const RewardFn& reward, const GradeFn& grade_truth, int64_t step, int64_t G, const AdvantageOptions& aopt);

// Data parallel: every rank's samples and scores, on every rank, in the global (slot, sample)
// order, and the advantages recomputed over the whole rollout (group normalization and the batch
// whitening see every response, exactly as in one process). Gathered samples carry ids, slot,
// finish reason and grades; their text stays on the rank that sampled and scored them.
void step_gather(const Dist& dist, Rollout& r, Scored& s, int64_t G, const AdvantageOptions& aopt);

struct MicroBatch {
  std::vector<std::vector<int32_t>> prompt, resp;
  torch::Tensor adv;       // (B) float32
  torch::Tensor old_logp;  // (B, R) the policy's log-probs before the first update (the first update's: set by step_update)
  torch::Tensor ref_logp;  // (B, R) the frozen reference's, when kl_coef != 0
  // (B) int64: the isolation arm by name (train.loss_through_tokens): how many leading response
  // tokens carry the policy loss (loss_through_lengths). Undefined: train.loss_first_tokens decides.
  torch::Tensor loss_len;
  double tokens = 0;       // prompt + response tokens
  // Data parallel: this rank's share of the whole micro-batch's loss normalizer (sequences or
  // response tokens, by train.loss_agg) and of its response tokens. 1 in one process.
  double loss_share = 1, token_share = 1;
  // The response tokens of this micro-batch (this rank's share of it) over those of its whole
  // update, all ranks': the weight of its loss under train.loss_agg = token-mean.
  double update_token_share = 1;
};

// Per response, the count of its leading tokens through the first one in `through` (the strategy
// tokens train.loss_through_tokens names), or 0 when it has none of them: (B) int64.
torch::Tensor loss_through_lengths(const std::vector<std::vector<int32_t>>& resp, const std::vector<int32_t>& through);

// The ids of train.loss_through_tokens' texts ("|"-separated) in `tok`: each must be exactly one
// token, else an InputError naming the key, the text and what it encodes to. Empty when off.
std::vector<int32_t> loss_through_ids(const std::string& texts, const Tokenizer& tok, const std::string& model_path);

// A micro-batch's term in its update's loss, what step_update backpropagates: its policy loss
// over grad_accum (times loss_share when data parallel), so the update's loss is the mean of its
// micro-batches' losses; under train.loss_agg = token-mean, times update_token_share instead, so
// the update's loss is the token mean over all of its responses (DAPO; verl's token-mean, TRL's
// dapo), where micro-token-mean is the mean of the micro-batches' token means.
torch::Tensor micro_loss_term(const torch::Tensor& loss, const MicroBatch& mb, const RunConfig& cfg, bool parallel);

// The order step_minibatches takes a rollout's n responses in: a permutation keyed by (seed, step).
std::vector<int64_t> minibatch_order(const RunConfig& cfg, int64_t step, int64_t n);

// The rollout shuffled by (seed, step) and cut into train_batch / grad_accum sized micro-batches,
// with old log-probs computed in exactly the layout of the update (so the first ratio is 1); on
// the CPU the first update's micro-batches get theirs from that update's forward (step_update),
// the same bits.
// Data parallel (world > 1): every rank holds the whole rollout and takes its contiguous
// 1/world of each micro-batch, whose loss it weights by its share (loss_share).
std::vector<MicroBatch> step_minibatches(const Model& m, const Model* ref, const Rollout& r, const Scored& s,
                                         const std::vector<TrainPrompt>& prompts, const std::vector<size_t>& chosen,
                                         const RunConfig& cfg, int64_t step, const std::vector<int32_t>& stop_ids,
                                         int64_t rank = 0, int64_t world = 1);

struct UpdateStats {
  double clip_lo = 0, clip_hi = 0, approx_kl = 0, kl_ref = 0, loss_sum = 0;  // sums over micro-batches
  double gnorm_sum = 0;     // sum over updates
  double train_tokens = 0;  // prompt + response tokens through forward + backward
  double lr = 0;            // the learning rate of the step's last update (warmup included)
  double seconds = 0;
  double optimizer_seconds = 0;  // of `seconds`: gradient clipping and Adam steps
  double comm_seconds = 0;       // of `seconds`: the gradient and metric all-reduces (data parallel)
};

// train.updates_per_rollout optimizer updates, each over grad_accum micro-batches, each an AdamW
// step: the matrices (not norms or biases) scaled by 1 - lr x train.weight_decay, then Adam; a
// micro-batch of the first update without old log-probs gets its forward's, detached. Throws
// std::runtime_error when the loss or the gradient norm is not finite. `updates_done` counts
// updates over the run (the warmup's clock). Data parallel (`dist` active): each update's
// gradient is summed over ranks before the norm is clipped, so every rank takes the same Adam step.
UpdateStats step_update(std::vector<MicroBatch>& micros, const Model& m, torch::optim::Adam& opt,
                        std::vector<torch::Tensor>& params, const RunConfig& cfg, const PolicyLossOptions& lopt,
                        int64_t& updates_done, const Dist* dist = nullptr);

// The step_metrics row of a step (every key of rl/README.md's table).
std::map<std::string, double> step_metrics_row(const Scored& s, const UpdateStats& u, const Rollout& r,
                                               const RunConfig& cfg, double step_seconds);

// The run's optimizer over `params`: Adam with train.lr, beta1, beta2 and adam_eps (step_update
// sets the learning rate of each update, warmup included, and applies train.weight_decay the way
// AdamW does: decoupled, to the matrices only).
std::unique_ptr<torch::optim::Adam> train_optimizer(const std::vector<torch::Tensor>& params, const RunConfig& cfg);

// The loss options and advantage options a run config asks for.
PolicyLossOptions policy_loss_options(const RunConfig& cfg);
AdvantageOptions advantage_options(const RunConfig& cfg);

}  // namespace rlvr
