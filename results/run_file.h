// run_file.h: one training run as a JSONL file, the way runs made by other trainers (verl, TRL,
// OpenRLHF) come into the results database (`rlvrbench ingest`) and rlvrbench's own go out
// (`rlvrbench export`). The format is documented in docs/run-format.md:
//
//   line 1   {"format": "rlvrbench-run", "version": 1, "suite": ..., "cell": "MODEL/REWARD", "model": ...,
//             "reward": ..., "seed": 1, "config": {free key-values}, "trainer": {"name": ..., "version": ...}, ...}
//   then     {"type": "sample", "step": 0, "dataset": ..., "problem_id": ..., "sample": 0, "response": ...,
//             "extracted": ..., "correct": true, "has_code": false}            one per graded eval response
//            {"type": "metrics", "step": 1, "values": {"reward_mean": 0.5, ...}}  optional, one per step
//            {"type": "eval", "step": 0, "dataset": ..., "values": {...}}         optional: the means as recorded
//
// Lines are in step order; a (step, dataset, problem, sample), a metrics step or an eval (step,
// dataset) appears once. Reading checks every line before anything is written: a malformed file is
// InputError "FILE:LINE: FIELD: what" (exit 2), and nothing of it reaches the database.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "results/store.h"

namespace rlvr {

inline constexpr int64_t kRunFileVersion = 1;

struct RunFileEval {  // one (step, dataset)
  int64_t step = 0;
  std::string dataset;
  std::vector<EvalItem> items;              // sorted by (problem_id, sample)
  std::vector<int64_t> response_tokens;     // per item, when every item gives it
  std::optional<std::map<std::string, double>> values;  // an eval line's means (NaN for null)
};

struct RunFile {
  std::string path;
  RunInfo info;                                   // suite, cell, model, reward, seed, mutant, config_toml, ...
  std::map<std::string, std::string> params;      // config key-values, trainer.name, trainer.version, ingest.*
  RunStatus status = RunStatus::finished;
  std::optional<int64_t> fail_step;
  std::string fail_reason;
  std::map<int64_t, std::map<std::string, double>> metrics;  // step -> key -> value
  std::vector<RunFileEval> evals;                 // by (step, dataset)
  std::string fingerprint;                        // FNV-1a 64 of the file's bytes (hex): re-ingest is a no-op
};

// The fingerprint of a run file's bytes (16 hex digits) that ingest stores and looks up: the same
// for a file as when it was first ingested (results/run_file_test.cpp pins it).
std::string run_file_fingerprint(std::string_view bytes);

// Reads and validates a run file. `problem_ids` (when given) holds the ids of the eval dataset:
// a sample naming another problem is an error.
// `name` (default: the path) is how errors name the file (a runner's output lives in a temporary file).
RunFile run_file_read(const std::string& path, const std::set<std::string>* problem_ids, const std::string& name = "");

// The metrics rlvrbench's evaluator records, from graded items (accuracy, code_frequency,
// accuracy_code, accuracy_language, and, where every item says, code_frequency_strict, boxed_rate,
// response_tokens): what an ingested run without eval lines is judged on.
std::map<std::string, double> run_file_eval_means(const RunFileEval& e);

// Stores the run in one transaction (all of it or nothing). Returns the run id, or nullopt when a
// run with the same fingerprint is already there (ingesting a file twice adds nothing).
std::optional<int64_t> run_file_store(Store& store, const RunFile& f);

// The run as a run file (rlvrbench's database keeps no responses: "response" is null).
std::string run_file_export(Store& store, int64_t run);

}  // namespace rlvr
