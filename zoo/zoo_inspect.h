// zoo_inspect.h: `rlvrbench zoo inspect`: the planted prior of a built zoo model, measured on its
// held-out eval split with the real sampler (models/sampler.h) and grader (eval/grade_fn.h).
//
//   ZooInspection r = zoo_inspect("results/zoo/synth-qwen-math-7b", {.n = 500, .k = 4}, grade_fn_make("paper"));
//   r.pass, r.json
//
// Targets are the spec's planted rates (code share, 1 - code error, 1 - language error, box rate).
// They are checked on samples at temperature 1 (k per problem), like the paper's Table 1 and like
// the corpus the prior was planted in; greedy metrics are measured and reported beside them.
// An accuracy is checked only when its strategy has enough responses for the sampling error to fit
// in the tolerance (2.5 standard errors of the target rate <= tolerance); otherwise it is reported
// with "checked": false (e.g. code accuracy of a model that never writes code).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eval/grading.h"

namespace rlvr::zoo {

struct ZooInspectOptions {
  int64_t n = 500;        // eval problems (first n of DIR/eval.jsonl)
  int64_t k = 4;          // samples per problem at temperature 1
  uint64_t seed = 0;      // sampling streams
  int64_t max_batch = 64;
};

struct ZooCheck {
  std::string metric;     // code_share | code_accuracy | language_accuracy | box_rate
  double target = 0, measured = 0, tolerance = 0;
  int64_t responses = 0;  // responses the measured rate is over
  bool checked = false;   // enough responses to judge (see above)
  bool pass = true;       // !checked or |measured - target| <= tolerance
};

struct ZooInspection {
  std::vector<ZooCheck> checks;
  bool pass = true;
  nlohmann::ordered_json json;  // targets, greedy and sampled metrics, checks, pass
};

// dir: a built zoo member (zoo.json, zoo_spec.toml, eval.jsonl, HF files). InputError on a folder
// that is not one.
ZooInspection zoo_inspect(const std::string& dir, const ZooInspectOptions& o, const GradeFn& grade);

// The rule above, exposed for tests: is `responses` enough to judge a rate of `target` within `tol`?
bool zoo_check_judgeable(double target, double tol, int64_t responses);

}  // namespace rlvr::zoo
