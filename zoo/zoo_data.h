// zoo_data.h: corpus documents as token rows and padded training batches.
//
//   ZooDoc d = zoo_doc_tokens(tok, corpus.doc(i), ChatTemplate::chatml);
//   ZooBatch b = zoo_batch({d, ...});       // left padded, like the sampler's prompts
//   loss = cross_entropy(model_forward(m, b.x) (B,T,V), b.target (B,T), ignore -100)
//
// A document is tokenized exactly as evaluation feeds it: the prompt encoded on its own (what
// eval::prompt_render gives the sampler), then the response and stop token encoded on their own
// (what the sampler emits token by token). Only response tokens are predicted: the prompt is
// context, so the model spends no capacity on the constant system prompt or on the question.
#pragma once
#include <cstdint>
#include <vector>

#include "models/model.h"
#include "models/tokenizer.h"
#include "synth/corpus_sample.h"

namespace rlvr::zoo {

struct ZooDoc {
  std::vector<int32_t> ids;  // prompt tokens, then response tokens ending with the stop token
  int64_t prompt_len = 0;    // ids[0, prompt_len) are the prompt
};

ZooDoc zoo_doc_tokens(const Tokenizer& tok, const synth::CorpusDoc& d, synth::ChatTemplate t);

inline constexpr int64_t kIgnore = -100;  // target of a position that is not trained

struct ZooBatch {
  TokenBatch x;           // (B, T) ids / pos / valid, left padded
  torch::Tensor target;   // (B, T) int64: the next token where it is a response token, else kIgnore
  int64_t tokens = 0;     // real tokens in the batch (prompt + response)
  int64_t targets = 0;    // positions that carry a loss
};

// Rows longer than max_len keep their first max_len tokens (the model's context).
ZooBatch zoo_batch(const std::vector<ZooDoc>& docs, int64_t max_len);

}  // namespace rlvr::zoo
