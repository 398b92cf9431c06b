#include "eval/evaluate.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/sampler.h"
#include "results/eval_means.h"
#include "results/metric.h"

namespace rlvr {

std::map<std::string, double> eval_metrics(const std::vector<Graded>& g, const std::vector<int64_t>& lengths,
                                           const std::vector<bool>& truncated) {
  // The per-problem means are the same function ingest uses (results/eval_means.h).
  std::vector<EvalItem> items(g.size());
  double unsure = 0, trunc = 0;
  for (size_t i = 0; i < g.size(); ++i) {
    items[i].correct = g[i].correct;
    items[i].has_code = g[i].has_code;
    items[i].has_code_strict = g[i].has_code_strict;
    items[i].boxed = g[i].boxed;
    unsure += g[i].unsure;
  }
  for (bool t : truncated) trunc += t;
  std::map<std::string, double> m = eval_item_means(items);
  auto key = [](Metric k) { return std::string(metric_key(k)); };
  m[key(Metric::unsure)] = unsure;
  m[key(Metric::response_tokens)] = eval_mean_tokens(lengths);
  m[key(Metric::truncated_rate)] = truncated.empty() ? std::numeric_limits<double>::quiet_NaN() : trunc / static_cast<double>(truncated.size());
  return m;
}

EvalStops eval_stops(const Model& m, const Tokenizer& tok, PromptTemplate tmpl) {
  EvalStops s;
  s.ids = m.config.eos_token_ids;
  std::string_view stop = prompt_stop(tmpl);
  if (!stop.empty())
    if (auto id = tok.token_to_id(stop); id && std::find(s.ids.begin(), s.ids.end(), *id) == s.ids.end()) s.ids.push_back(*id);
  if (auto str = prompt_stop_string(tmpl); !str.empty()) s.strings = {std::string(str)};
  return s;
}

namespace {

EvalSet eval_run(const Model& m, const Tokenizer& tok, PromptTemplate tmpl, const std::vector<DatasetItem>& data,
                 const SamplingParams& sp, const GradeFn& grade, const std::string& prefix) {
  std::vector<SamplePrompt> prompts;
  prompts.reserve(data.size());
  // The prefix is encoded on its own and appended, as responses are (a response is tokenized apart
  // from its prompt in training and in rollouts), so no BPE merge crosses the boundary.
  const std::vector<int32_t> prefix_ids = prefix.empty() ? std::vector<int32_t>{} : tok.encode(prefix);
  for (const auto& d : data) {
    std::vector<int32_t> ids = tok.encode(prompt_render(tmpl, d.problem));
    ids.insert(ids.end(), prefix_ids.begin(), prefix_ids.end());
    prompts.push_back({d.id, std::move(ids)});
  }
  DecodeFn decode = [&](std::span<const int32_t> ids) { return tok.decode(ids, /*skip_special_tokens=*/true); };
  std::vector<Sample> samples = sample(m, prompts, sp, decode);
  EvalSet out;
  std::vector<Graded> graded;
  std::vector<int64_t> lengths;
  std::vector<bool> truncated;
  for (const auto& s : samples) {
    const DatasetItem& d = data[static_cast<size_t>(s.prompt_index)];
    std::string text = prefix + (s.text.empty() && !s.ids.empty() ? decode(s.ids) : s.text);
    Graded g = grade(text, d.answer);
    out.items.push_back(EvalItem{d.id, s.sample_index, g.correct, g.has_code, g.has_code_strict, g.extracted, g.boxed});
    EvalSet::Tokens tk;
    tk.tokens = static_cast<int64_t>(s.ids.size());
    for (float lp : s.logprobs) tk.neg_logp -= lp;
    out.item_tokens.push_back(tk);
    graded.push_back(std::move(g));
    lengths.push_back(static_cast<int64_t>(s.ids.size()));
    truncated.push_back(s.finish == FinishReason::length);
  }
  out.metrics = eval_metrics(graded, lengths, truncated);
  return out;
}

}  // namespace

EvalOutput evaluate(const Model& m, const Tokenizer& tok, PromptTemplate tmpl, const std::vector<DatasetItem>& all,
                    const EvalOptions& opt, const GradeFn& grade) {
  std::vector<DatasetItem> data = all;
  if (opt.limit > 0 && static_cast<int64_t>(data.size()) > opt.limit) data.resize(static_cast<size_t>(opt.limit));
  EvalOutput out;
  SamplingParams sp;
  sp.max_new_tokens = opt.max_new_tokens;
  eval_stops(m, tok, tmpl).apply(sp);
  sp.max_batch = opt.max_batch;
  sp.seed = opt.seed;
  if (opt.greedy) {
    sp.n = 1;
    sp.temperature = 0.0;
    out.greedy = eval_run(m, tok, tmpl, data, sp, grade, opt.prefix);
  }
  if (opt.avg_k > 0) {
    sp.n = opt.avg_k;
    sp.temperature = opt.avg_temperature;
    sp.top_p = opt.top_p;
    out.avg = eval_run(m, tok, tmpl, data, sp, grade, opt.prefix);
  }
  return out;
}

}  // namespace rlvr
