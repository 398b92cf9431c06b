#include "rl/labels.h"

#include "rewards/labelers.h"
#include "util/error.h"

namespace rlvr {

namespace {

std::vector<std::vector<std::string>> answers_as_strings(const LabelRequest& r) {
  std::vector<std::vector<std::string>> out;
  for (const auto& per : *r.answers) {
    out.emplace_back();
    for (const auto& a : per) out.back().push_back(a.value_or(""));  // "" = nothing extracted
  }
  return out;
}

std::vector<DatasetItem> relabel(const std::vector<DatasetItem>& train, const std::vector<rewards::LabeledPrompt>& l) {
  std::vector<DatasetItem> out;
  for (const auto& x : l) {
    DatasetItem d = train.at(x.prompt);
    d.answer = x.label;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

LabelFn label_fn_make(const RunConfig& cfg) {
  const LabelSource kind = cfg.labels;
  const std::string one_shot = cfg.one_shot_id;
  return [kind, one_shot](const LabelRequest& r) -> std::vector<DatasetItem> {
    const auto& train = *r.train;
    if (kind == LabelSource::majority) return relabel(train, rewards::label_majority_vote(answers_as_strings(r)));
    if (kind == LabelSource::incorrect) {
      std::vector<std::string> golds;
      for (const auto& d : train) golds.push_back(d.answer);
      return relabel(train, rewards::label_incorrect(answers_as_strings(r), golds, rewards::GradeMode::paper));
    }
    if (kind == LabelSource::one_shot) {
      size_t idx = 0;
      if (!one_shot.empty()) {
        idx = train.size();
        for (size_t i = 0; i < train.size(); ++i)
          if (train[i].id == one_shot) idx = i;
        if (idx == train.size()) throw_input("reward.one_shot_id", "'" + one_shot + "' is not a training problem");
      }
      // One example: the trainer's prompt selection then fills every slot of every rollout with it.
      return relabel(train, rewards::label_one_shot(idx, train[idx].answer, 1));
    }
    throw_input("reward.labels", "no labeler for '" + std::string(enum_name(kind)) + "'");
  };
}

}  // namespace rlvr
