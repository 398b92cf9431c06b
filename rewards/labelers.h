// labelers.h: turn a dataset plus samples of a model into a training set, as the paper's
// majority-vote, incorrect-label and one-shot runs do. They take the extracted answers as input
// (any sampler can produce them: extract with paper_extract or strict_extract first).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "rewards/grader.h"

namespace rlvr::rewards {

// The most common non-empty answer among one prompt's samples; ties go to the one seen first
// (Python's Counter.most_common order). nullopt when every answer is empty.
std::optional<std::string> label_majority(const std::vector<std::string>& answers);

struct LabeledPrompt {
  size_t prompt = 0;  // index into the dataset
  std::string label;
};

// Majority vote: every prompt with at least one answer, labelled with its majority answer.
std::vector<LabeledPrompt> label_majority_vote(const std::vector<std::vector<std::string>>& answers);

// Incorrect labels: the prompts whose majority answer the grader (in `mode`) judges wrong against
// the true label, labelled with that wrong answer. Prompts without any answer are left out (the
// paper's script kept them with the label "", which rewards nothing but empty answers).
// answers.size() must equal golds.size(): InputError otherwise.
std::vector<LabeledPrompt> label_incorrect(const std::vector<std::vector<std::string>>& answers,
                                           const std::vector<std::string>& golds, GradeMode mode);

// One-shot: the single example `prompt` repeated to fill a batch of `batch` prompts.
std::vector<LabeledPrompt> label_one_shot(size_t prompt, const std::string& label, size_t batch);

}  // namespace rlvr::rewards
