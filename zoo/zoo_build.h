// zoo_build.h: `rlvrbench zoo build`: tokenizer, shared base, per-member fine-tune, HF folders.
//
//   ZooBuildOptions o{.out_dir = "results/zoo"};
//   std::vector<ZooBuilt> r = zoo_build(zoo_specs_load("models/zoo"), o);
//
// Layout under out_dir:
//   NAME/        config.json generation_config.json model.safetensors tokenizer.json
//                tokenizer_config.json train.jsonl eval.jsonl zoo_spec.toml zoo.json
//   .bases/HASH/ the shared base (HF folder + both templates' tokenizer configs + base.json)
// Cached: a member whose NAME/zoo.json names the same hash (zoo_plan.h) is skipped; a base whose
// .bases/HASH/base.json exists is loaded instead of trained.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "zoo/zoo_plan.h"

namespace rlvr::zoo {

struct ZooBuildOptions {
  std::string out_dir;
  std::string only;              // build only this member (and its base); empty: all
  int64_t tokenizer_docs = 2000;  // corpus documents per member to train the shared BPE on
  int64_t train_problems = 4096;  // rows of NAME/train.jsonl (RL training prompts)
  int64_t eval_problems = 500;    // rows of NAME/eval.jsonl (held-out split, MATH-500 size)
  int64_t jobs = 1;               // bases / fine-tunes trained side by side, one thread each
  bool quiet = false;             // no progress bar
};

struct ZooBuilt {
  std::string name, dir;
  bool cached = false;       // the folder was already up to date
  double seconds = 0;        // this member's fine-tune + writing (0 when cached)
  double base_seconds = 0;   // the base's training when this run trained it (0 when cached)
  double final_loss = 0;
};

// Sets LibTorch to one intra-op thread for the process (see zoo_build.cpp).
std::vector<ZooBuilt> zoo_build(const std::vector<ZooSpec>& specs, const ZooBuildOptions& o);

}  // namespace rlvr::zoo
