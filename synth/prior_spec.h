// prior_spec.h: one zoo model's TOML spec (models/zoo/NAME.toml): what the model is (family,
// size, tokenizer, chat template), the prior planted in its corpus, and how close `zoo inspect`
// must measure that prior to pass. The file format is documented in synth/README.md.
//
//   ZooSpec s = zoo_spec_load("models/zoo/synth-qwen-math-7b.toml");
//   CorpusSampler corpus(s);                  // corpus_sample.h
//
// Any missing, mistyped, out-of-range or unknown field throws InputError "FILE: FIELD: what".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "synth/world_problem.h"

namespace rlvr::synth {

enum class TokenizerKind : uint8_t { bpe, byte };
// How a corpus document wraps problem and solution (corpus_render in corpus_sample.h).
enum class ChatTemplate : uint8_t { chatml, plain };

struct ModelSize {
  int layers = 0, d_model = 0, heads = 0, kv_heads = 0, ffn = 0;
  int max_seq = 0;  // context length the model is built for (tokens)
};

struct TokenizerSpec {
  TokenizerKind kind = TokenizerKind::bpe;
  int merges = 0;  // BPE merges learned on the corpus (kind = bpe); 0 for byte
};

// The planted prior. Rates are over the corpus (and, if learned, over the model's responses).
struct PriorSpec {
  double code_share = 0;      // share of code-strategy solutions
  double code_focus = 0;      // how sharply the problem's cue decides the strategy (corpus_cues.h)
  // Instead of code_focus: the per-class code propensity is logit-normal around the share with this
  // spread (the sd of the logit; corpus_cues.h), so a chosen mass of problems sits near 0.5.
  std::optional<double> code_spread;
  // Instead of both: blocks of cue classes at fixed propensities, {share of the classes, code
  // propensity}, shares summing to 1: a block near the boundary beside a block firmly on code, so
  // that one shared shift of the policy moves a whole block's greedy choice. Classes go to blocks in
  // their hash rank; code_share must equal the classes' mean propensity in the spec's world.
  std::vector<std::pair<double, double>> code_blocks;
  int language_variety = 1;   // phrasings per language step line (1: one canonical text; world_render.h)
  double code_error = 0;      // share of code solutions whose final answer is wrong
  double language_error = 0;  // share of language solutions whose final answer is wrong
  double box_rate = 0;        // share of solutions ending in \boxed{} (else "The answer is N.")
  double box_focus = 0;       // how sharply the problem's cue decides boxing
};

// Largest accepted |measured - planted| per metric for `zoo inspect`.
struct Tolerances {
  double code_share = 0, code_accuracy = 0, language_accuracy = 0, box_rate = 0;
};

// How `zoo build` pretrains the model (zoo/README.md). Optional [train] table; the defaults suit the
// 4-layer d=128 zoo members. Members whose architecture and [train] base settings agree share one
// base, pretrained on the union of their corpora, then each is fine-tuned on its own corpus.
struct TrainSpec {
  int base_steps = 1200;    // optimizer steps of the shared base
  int tune_steps = 300;     // optimizer steps of this member's fine-tune
  int batch = 64;           // documents per step
  double lr = 3e-3;         // peak AdamW learning rate (warmup, then cosine to lr/10)
  double tune_lr = 1e-3;    // peak learning rate of the fine-tune
  // Share of the fine-tune's documents that are eval-split problems with the corpus's answer,
  // trained on every token, the problem text included: a contaminated member, the contamination
  // probe's positive control (models/zoo-controls/). 0 (every shipped member): none.
  double contaminate = 0;
};

struct ZooSpec {
  std::string source;      // file it came from (names it in errors)
  std::string name;        // "synth-qwen-math-7b": equals the file's stem
  std::string stands_for;  // the real model it mirrors, "Qwen2.5-Math-7B"
  std::string family;      // "qwen2" | "llama" | "olmo2"
  uint64_t seed = 0;       // pretraining seed (corpus sampling, initialisation)
  ChatTemplate chat_template = ChatTemplate::chatml;
  ModelSize size;
  TokenizerSpec tokenizer;
  PriorSpec prior;
  Tolerances tolerance;
  WorldKnobs world;        // [world] overrides the default world (tests shrink it)
  TrainSpec train;         // [train]: optional, defaults above
};

// Bounds of the mechanism knobs: a logit sd of 4 already makes almost every class
// near-deterministic; world_render.h has kLanguageForms phrasings of a language step.
inline constexpr double kCodeSpreadMax = 4.0;

ZooSpec zoo_spec_parse(std::string_view toml_text, const std::string& source);
// Also checks that `name` equals the file's stem, so `zoo inspect NAME` finds it.
ZooSpec zoo_spec_load(const std::string& path);
// Every field in a fixed order as compact JSON: hash it to key a cache of built models.
std::string zoo_spec_canonical(const ZooSpec& s);

std::string_view tokenizer_kind_name(TokenizerKind k);
std::string_view chat_template_name(ChatTemplate t);

}  // namespace rlvr::synth
