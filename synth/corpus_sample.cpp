#include "synth/corpus_sample.h"

#include "synth/corpus_cues.h"

namespace rlvr::synth {

namespace {
constexpr uint64_t kStrategyDrawSalt = 0x5eed'0008'0000'0008ull;
constexpr uint64_t kBoxDrawSalt = 0x5eed'0009'0000'0009ull;
constexpr uint64_t kFormDrawSalt = 0x5eed'000a'0000'000aull;
}  // namespace

CorpusSampler::CorpusSampler(const ZooSpec& spec)
    : spec_(spec),
      language_(StrategySlips::calibrated(spec.world, Strategy::language, spec.prior)),
      code_(StrategySlips::calibrated(spec.world, Strategy::code, spec.prior)) {}

double CorpusSampler::code_probability(const Problem& p) const { return cue_code_probability(p, spec_.prior, spec_.world); }
double CorpusSampler::box_probability(const Problem& p) const { return cue_box_probability(p, spec_.prior, spec_.world); }

CorpusDoc CorpusSampler::respond(const Problem& p, Strategy s, bool boxed, uint64_t doc_key) const {
  CorpusDoc d;
  d.problem = p;
  d.strategy = s;
  d.boxed = boxed;
  const auto steps = world_solve(p, &slips(s));
  d.correct = steps.back().result == p.answer;
  std::vector<int> forms;  // one uniform draw per line among the prior's phrasings
  const int variety = spec_.prior.language_variety;
  for (size_t i = 0; variety > 1 && s == Strategy::language && i < steps.size(); ++i)
    forms.push_back(static_cast<int>(hash_words({kFormDrawSalt, spec_.seed, doc_key, i}) % static_cast<uint64_t>(variety)));
  d.response = solution_text(s, steps, boxed, forms);
  return d;
}

CorpusDoc CorpusSampler::doc(uint64_t index) const {
  Problem p = world_problem_make(spec_.seed, index, Split::train, spec_.world);
  // Independent uniform draws for the two choices, keyed by the document.
  const double u_strategy = unit_from(hash_words({kStrategyDrawSalt, spec_.seed, index}));
  const double u_box = unit_from(hash_words({kBoxDrawSalt, spec_.seed, index}));
  const Strategy s = u_strategy < code_probability(p) ? Strategy::code : Strategy::language;
  return respond(p, s, u_box < box_probability(p), index);
}

std::string prompt_render(const Problem& p, ChatTemplate t) {
  if (t == ChatTemplate::plain) return problem_text(p) + "\n\n";
  std::string s;
  s += kImStart;
  s += "system\n";
  s += kSystemPrompt;
  s += kImEnd;
  s += "\n";
  s += kImStart;
  s += "user\n" + problem_text(p);
  s += kImEnd;
  s += "\n";
  s += kImStart;
  s += "assistant\n";
  return s;
}

std::string_view template_stop(ChatTemplate t) { return t == ChatTemplate::chatml ? kImEnd : kEndOfText; }

std::string corpus_render(const CorpusDoc& d, ChatTemplate t) {
  return prompt_render(d.problem, t) + d.response + std::string(template_stop(t));
}

std::vector<std::string> corpus_texts(const CorpusSampler& c, size_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  for (uint64_t i = 0; i < n; ++i) out.push_back(corpus_render(c.doc(i), c.spec().chat_template));
  return out;
}

}  // namespace rlvr::synth
