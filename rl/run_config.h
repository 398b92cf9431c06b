// run_config.h: one training run (one cell of a suite), read from a run TOML plus --set overrides.
// Every key is validated: unknown keys and wrong types are InputErrors naming the file and key,
// so a typo in a suite never silently trains with a default. Keys and defaults: rl/README.md.
// Presets (train.preset): `standard` (default: the member initializers below) is the paper's
// hyperparameters with the loss averaged per sequence, then over the batch; `paper` is the
// paper's scripts' recipe on top of it (OpenRLHF's packed loss: a token mean over micro-batches of
// 4 sequences). docs/paper.md, "Training recipe". Torch-free.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/dtype.h"
#include "rewards/grade_mode.h"
#include "rl/loss_options.h"
#include "util/enum_names.h"

namespace rlvr {

// Where the training labels come from (run key reward.labels).
enum class LabelSource : uint8_t { gold, majority, incorrect, one_shot };
constexpr EnumName<LabelSource> kLabelSourceNames[] = {
    {LabelSource::gold, "gold"}, {LabelSource::majority, "majority"},
    {LabelSource::incorrect, "incorrect"}, {LabelSource::one_shot, "one-shot"}};
constexpr std::span<const EnumName<LabelSource>> enum_names(LabelSource) { return kLabelSourceNames; }

struct RunConfig {
  // [run]
  std::string name = "run";          // the cell name in the database
  std::string suite;                 // suite name, "" for a stand-alone run
  std::string mutant;                // the suite mutant this run belongs to ("" = an unmutated run; set by power/run --mutant)
  int64_t seed = 0;
  std::string device = "cpu";
  Dtype dtype = Dtype::automatic;    // float32 on CPU, bfloat16 on CUDA
  int64_t threads = 0;               // 0: LibTorch's default
  std::string checkpoint_dir;        // "" -> results/runs/<name>-seed<seed> next to the database
  int64_t checkpoint_every = 0;      // steps; 0: only at the end when checkpoint_dir is set

  // [model]
  std::string model_path;            // HF folder (config.json, model.safetensors, tokenizer.json)
  std::string model_dir;             // a folder of model folders: model.path defaults to model.dir/model.name
  std::string model_name;            // "" -> the folder's name
  std::string prompt_template = "qwen-math";

  // [data]
  std::string train_path, eval_path;  // MATH-500 schema JSONL
  std::string eval_name;              // the eval dataset's name in the database ("" -> eval file's stem)
  // More eval sets, each at every eval step: "PATH[@K],PATH[@K]..." (K > 0: avg@K at eval.temperature,
  // stored as STEM@K; no K: greedy, stored as STEM). The paper: AMC, AIME24, AIME25 avg@8 at 0.6.
  std::string extra_evals;
  int64_t train_limit = 0, eval_limit = 0;

  // [reward]
  std::string reward = "math";       // a name of the rewards registry (rewards/README.md)
  int64_t reward_seed = -1;          // -1: run.seed
  bool reward_r1_style = false;      // use the reward's _r1_style form (the scripts' Llama / OLMo runs)
  LabelSource labels = LabelSource::gold;
  int64_t label_samples = 64;        // k samples per prompt for majority / incorrect labels
  double label_temperature = 1.0;
  std::string one_shot_id;           // the example of the one-shot labeler ("" -> the first train problem)

  // [train]
  std::string preset = "standard";  // standard | paper (run_config.cpp, kPresets)
  int64_t steps = 100;
  int64_t prompts_per_rollout = 64;  // P
  int64_t samples_per_prompt = 16;   // G
  int64_t train_batch = 128;         // responses per optimizer update (P*G / train_batch updates per rollout)
  int64_t updates_per_rollout_set = 0;  // train.updates_per_rollout: > 0 sets train_batch = P*G / it
  int64_t grad_accum = 1;            // micro-batches per update
  int64_t micro_batch = 0;           // train.micro_batch: > 0 sets grad_accum = train_batch / it (the scripts: 4)
  double lr = 5e-7;
  int64_t warmup_steps = 0;          // linear warmup over optimizer updates
  double beta1 = 0.9, beta2 = 0.95, adam_eps = 1e-8, weight_decay = 0.0;
  double grad_clip = 1.0;            // max global grad norm; 0: off
  bool clip = true;
  double clip_low = 0.2, clip_high = 0.2, dual_clip = 0.0;
  LossAgg loss_agg = LossAgg::seq_mean_token_mean;
  bool group_mean = true;            // subtract the group mean (GRPO's baseline); false: the raw reward
  bool std_normalize = true, batch_whiten = true;
  double kl_coef = 0.0;
  KlEstimator kl_estimator = KlEstimator::k3;
  double entropy_coef = 0.0;
  double temperature = 1.0, top_p = 1.0;
  int64_t max_response_len = 256;
  // The isolation arm: the policy loss counts only each response's first N tokens, where the zoo's
  // responses choose their strategy ("First, ..." vs the code opening), so an update moves the
  // strategy choice and nothing within a strategy; a gain that survives it is a strategy shift, not
  // learning within a strategy. 0: every token (the default).
  int64_t loss_first_tokens = 0;
  // The isolation arm by name: the policy loss counts each response's tokens through the first one
  // that is one of these texts ("|"-separated, each exactly one token of the model's tokenizer: the
  // strategy tokens, e.g. " solve| compute" in the zoo), and none of a response that has none of
  // them. "" off. Exclusive with loss_first_tokens.
  std::string loss_through_tokens;
  // A deliberate bug for measuring the suite's detection power (a testing aid, rl/README.md).
  LossBug bug = LossBug::none;
  UnclippedForm unclipped = UnclippedForm::ratio;  // train.unclipped: the loss when train.clip = false
  // Data parallel (rl/dist.h), used when WORLD_SIZE > 1 (`train --nproc N`, torchrun, srun):
  std::string backend = "auto";  // auto (gloo on CPU, nccl on CUDA where LibTorch has it) | gloo | nccl
  double dist_timeout_s = 300;   // a collective that waits longer (a hung rank) fails the run

  // [eval]
  int64_t eval_every = 10;           // steps; step 0 and the last step are always evaluated
  bool eval_greedy = true;
  int64_t eval_avg_k = 0;
  double eval_temperature = 0.6;
  int64_t eval_max_new_tokens = 256;
  // Forced start of every eval response (the paper's Table 3: "Let's solve this using Python."):
  // appended to the prompt, and graded as part of the response. "" = none.
  std::string eval_prefix;
  bool eval_r1_style = false;         // grade only after the last "<answer>" (the scripts' math_r1_style eval)
  // The contamination probe (eval/probe.h) on the eval set at step 0: the share of each problem's
  // tokens given, in (0, 1) (Wu et al.: 0.6); 0 = off.
  double eval_probe = 0;
  rewards::GradeMode grader = rewards::GradeMode::paper;

  int64_t updates_per_rollout() const { return prompts_per_rollout * samples_per_prompt / train_batch; }
};

// Reads `path` and applies overrides ("train.lr=1e-6"); InputError naming the file/override and key.
RunConfig run_config_load(const std::string& path, const std::vector<std::string>& overrides);
// The same from TOML text (`source` names it in messages).
RunConfig run_config_parse(const std::string& toml_text, const std::string& source, const std::vector<std::string>& overrides);
// Whether `key` ("train.clip") is a run key: suites check their mutants' overrides with it.
bool run_config_key_known(const std::string& key);
// Canonical TOML of every key (what the database stores as config_toml), and the flat key -> value map.
std::string run_config_toml(const RunConfig& c);
std::map<std::string, std::string> run_config_flat(const RunConfig& c);

}  // namespace rlvr
