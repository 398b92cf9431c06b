#include "rewards/labelers.h"

#include <algorithm>
#include <unordered_map>

#include "util/error.h"

namespace rlvr::rewards {

std::optional<std::string> label_majority(const std::vector<std::string>& answers) {
  std::unordered_map<std::string_view, size_t> count;
  size_t top = 0;
  for (const auto& a : answers)
    if (!a.empty()) top = std::max(top, ++count[a]);
  // The first answer (in sample order) that reaches the top count: ties go to the first seen.
  for (const auto& a : answers)
    if (!a.empty() && count[a] == top) return a;
  return std::nullopt;
}

std::vector<LabeledPrompt> label_majority_vote(const std::vector<std::vector<std::string>>& answers) {
  std::vector<LabeledPrompt> out;
  for (size_t i = 0; i < answers.size(); ++i)
    if (auto m = label_majority(answers[i])) out.push_back({i, *m});
  return out;
}

std::vector<LabeledPrompt> label_incorrect(const std::vector<std::vector<std::string>>& answers,
                                           const std::vector<std::string>& golds, GradeMode mode) {
  if (answers.size() != golds.size())
    throw_input("label_incorrect", "answers for " + std::to_string(answers.size()) + " prompts but " +
                                       std::to_string(golds.size()) + " labels");
  std::vector<LabeledPrompt> out;
  for (size_t i = 0; i < answers.size(); ++i) {
    auto m = label_majority(answers[i]);
    if (m && grade_answer(*m, golds[i], mode) != StrictVerdict::correct) out.push_back({i, *m});
  }
  return out;
}

std::vector<LabeledPrompt> label_one_shot(size_t prompt, const std::string& label, size_t batch) {
  return std::vector<LabeledPrompt>(batch, LabeledPrompt{prompt, label});
}

}  // namespace rlvr::rewards
