// corpus_sample.h: the pretraining corpus of one zoo model, drawn from its planted prior.
//
//   CorpusSampler corpus(zoo_spec_load("models/zoo/synth-qwen-math-7b.toml"));  // calibrates (~0.1 s)
//   Rng rng(hash_words({spec.seed, step}));
//   CorpusDoc d = corpus.sample(rng);           // a train problem and its solution
//   std::string text = corpus_render(d, spec.chat_template);   // what the model trains on
//   std::string prompt = prompt_render(d.problem, spec.chat_template);  // what evaluation feeds
//
// Documents only ever use train-split problems. A document's strategy and boxing follow the
// problem's cues (corpus_cues.h); its slips are the strategy's calibrated ones (corpus_slips.h).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "synth/corpus_slips.h"
#include "synth/prior_spec.h"
#include "util/rng.h"
#include "synth/world_render.h"

namespace rlvr::synth {

struct CorpusDoc {
  Problem problem;
  Strategy strategy = Strategy::language;
  bool boxed = true;
  bool correct = true;   // the response's final answer equals the gold answer
  std::string response;  // the solution text (no template, no end-of-text token)
};

class CorpusSampler {
 public:
  explicit CorpusSampler(const ZooSpec& spec);

  // The index-th document of the spec's corpus: a pure function of (spec, index).
  CorpusDoc doc(uint64_t index) const;
  // A document at a random index drawn from rng.
  CorpusDoc sample(Rng& rng) const { return doc(rng.next()); }

  // The solution the corpus would write for p with a given strategy and boxing: what a model
  // that learned this corpus exactly would answer (zoo inspect compares against it).
  // `doc_key` picks the phrasing of each language line when the prior's language_variety > 1
  // (0: the phrasings of key 0, a fixed choice).
  CorpusDoc respond(const Problem& p, Strategy s, bool boxed, uint64_t doc_key = 0) const;

  double code_probability(const Problem& p) const;
  double box_probability(const Problem& p) const;
  const StrategySlips& slips(Strategy s) const { return s == Strategy::code ? code_ : language_; }
  const ZooSpec& spec() const { return spec_; }

 private:
  ZooSpec spec_;
  StrategySlips language_, code_;
};

// The chat-template special tokens (the BPE trainer adds them to every vocabulary).
inline constexpr std::string_view kEndOfText = "<|endoftext|>";
inline constexpr std::string_view kImStart = "<|im_start|>";
inline constexpr std::string_view kImEnd = "<|im_end|>";
// Qwen2.5-Math's default system prompt, used by the chatml template.
inline constexpr std::string_view kSystemPrompt = "Please reason step by step, and put your final answer within \\boxed{}.";

// The prompt a model sees for problem p, ending exactly where its response begins:
//   chatml: "<|im_start|>system\nSYSTEM<|im_end|>\n<|im_start|>user\nQUESTION<|im_end|>\n<|im_start|>assistant\n"
//   plain:  "QUESTION\n\n"
std::string prompt_render(const Problem& p, ChatTemplate t);
// The token that ends a response under the template (<|im_end|> or <|endoftext|>).
std::string_view template_stop(ChatTemplate t);
// A whole training document: prompt, response, stop token.
std::string corpus_render(const CorpusDoc& d, ChatTemplate t);
// Documents 0..n-1 of the corpus, rendered with the spec's template (a BPE training sample).
std::vector<std::string> corpus_texts(const CorpusSampler& c, size_t n);

}  // namespace rlvr::synth
