#include "app/commands.h"

#include <array>

namespace rlvr::app {

// Keep sorted by name; `rlvrbench --help` prints them in this order.
static constexpr std::array kCommands = {
    Command{"generate", "sample continuations of a prompt from a HF model folder (JSON per sample)", cmd_generate},
    Command{"grade", "grade JSONL {response, gold} -> {extracted, correct} (--mode paper|strict)", cmd_grade},
    Command{"logits", "print a text's next-token logits as JSON (--all: every position)", cmd_logits},
    Command{"reward", "score JSONL responses with a named reward of the paper (--name math, random0.5, ...)", cmd_reward},
    Command{"tokenize", "encode JSON strings (one per stdin line) to token ids, or --decode ids to text", cmd_tokenize},
    Command{"train", "train one model x reward cell with GRPO, evaluating as it goes, into the results database", cmd_train},
    Command{"world", "the synthetic math world: export problems (MATH-500 JSONL), corpus documents, tokenizers", cmd_world},
    Command{"zoo", "the zoo of tiny pretrained models: build them (cached), inspect their planted priors", cmd_zoo},
};

std::span<const Command> commands() { return kCommands; }

}  // namespace rlvr::app
