// evaluate.h: greedy pass@1 and avg@k of a model on a dataset, graded, with per-problem records.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "eval/dataset.h"
#include "eval/grading.h"
#include "eval/prompt_template.h"
#include "models/model.h"
#include "models/sampler.h"
#include "models/tokenizer.h"
#include "results/store.h"

namespace rlvr {

struct EvalOptions {
  int64_t max_new_tokens = 256;
  bool greedy = true;              // greedy pass@1 (the paper's MATH-500 metric)
  int64_t avg_k = 0;               // > 0: also avg@k at avg_temperature (the paper's AMC/AIME metric)
  double avg_temperature = 0.6;
  double top_p = 1.0;
  uint64_t seed = 0;               // random streams of avg@k
  int64_t limit = 0;               // first `limit` problems only; 0: all
  int64_t max_batch = 64;
  // Forced start of every response: encoded on its own and appended to the prompt's ids (as a
  // response is tokenized apart from its prompt), and graded as the response's opening. "" = none.
  std::string prefix;
};

struct EvalSet {
  std::map<std::string, double> metrics;  // accuracy, code_frequency, code_frequency_strict,
                                          // accuracy_code, accuracy_language, boxed_rate,
                                          // response_tokens, truncated_rate, unsure
  std::vector<EvalItem> items;            // one per (problem, sample)
  // Parallel to items (not stored): the sampled tokens and the sum of their -log p at
  // temperature 1, for Monte-Carlo token entropies (zoo inspect: per strategy).
  struct Tokens {
    int64_t tokens = 0;
    double neg_logp = 0;
  };
  std::vector<Tokens> item_tokens;
};

struct EvalOutput {
  EvalSet greedy;  // empty when !greedy
  EvalSet avg;     // empty when avg_k == 0
};

EvalOutput evaluate(const Model& m, const Tokenizer& tok, PromptTemplate tmpl, const std::vector<DatasetItem>& data,
                    const EvalOptions& opt, const GradeFn& grade);

// The metrics of a set of graded responses (exposed for the trainer's per-step training metrics).
std::map<std::string, double> eval_metrics(const std::vector<Graded>& g, const std::vector<int64_t>& lengths,
                                           const std::vector<bool>& truncated);

// How a response ends under a template, the one home for eval, rollouts, labeling and the probe:
// the model's EOS ids plus the template's stop token (if the vocabulary has it), and the
// template's stop string (spurious-r1's "</answer>"; prompt_stop_string).
struct EvalStops {
  std::vector<int32_t> ids;
  std::vector<std::string> strings;
  void apply(SamplingParams& sp) const {
    sp.eos_ids = ids;
    sp.stop = strings;
  }
};
EvalStops eval_stops(const Model& m, const Tokenizer& tok, PromptTemplate tmpl);

}  // namespace rlvr
