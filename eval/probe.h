// probe.h: the contamination probe of Wu et al. (arXiv 2507.10532, "Reasoning or Memorization?"):
// give the model the first `fraction` of each problem's text, decode greedily, and compare what it
// writes with the true rest of the problem (exact match, ROUGE-L), and grade the answer it reaches
// from the partial problem. A model that saw the problems in training completes them; a clean one
// cannot (the rest holds operands it has no way to guess). Qwen2.5-Math-7B on MATH-500: 54.6%
// exact match, 53.6% accuracy; Llama3.1-8B: 3.8% and 2.4%.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "eval/dataset.h"
#include "eval/grading.h"
#include "eval/prompt_template.h"
#include "models/model.h"
#include "models/tokenizer.h"
#include "results/probe_item.h"
#include "results/store.h"

namespace rlvr {

struct ProbeOptions {
  double fraction = 0.6;          // of the problem's tokens given; in (0, 1)
  int64_t max_new_tokens = 256;   // for the answer reached from the partial problem
  int64_t limit = 0;              // first `limit` problems; 0: all
  int64_t max_batch = 64;
};

struct ProbeResult {
  std::vector<ProbeItem> items;
  double exact_match = 0, rouge_l = 0, accuracy = 0;  // means over the items
  // The means under their metric names (results/probe_item.h), as the store's evals rows hold them.
  std::map<std::string, double> metrics() const;
};

// The prompt is the template rendered around the partial problem (the text before the problem,
// then its first round(fraction * n) tokens, at least 1 and at most n - 1); problems of fewer than
// 2 tokens are skipped. InputError when `fraction` is outside (0, 1) or no problem is probed.
ProbeResult probe_run(const Model& m, const Tokenizer& tok, PromptTemplate tmpl, const std::vector<DatasetItem>& data,
                      const ProbeOptions& opt, const GradeFn& grade);

// ROUGE-L F1 of two texts over whitespace-separated words (the LCS of the word sequences):
// 2 P R / (P + R) with P = LCS / |candidate|, R = LCS / |reference|; 0 when either is empty.
double rouge_l_f1(const std::string& candidate, const std::string& reference);

// The probe as a run of its own in `st` (suite `suite`, cell "MODEL/probe", reward "probe", seed 0):
// its options as the run's params and config, its means in evals at step 0, its problems in
// probe_items; a failed write marks the run failed. Returns the run id.
int64_t probe_store(Store& st, const std::string& suite, const std::string& model, const std::string& dataset,
                    const std::map<std::string, std::string>& params, const ProbeResult& r, const torch::Device& device);

}  // namespace rlvr
