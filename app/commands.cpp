#include "app/commands.h"

#include <array>

namespace rlvr::app {

// Keep sorted by name; `rlvrbench --help` prints them in this order.
static constexpr std::array kCommands = {
    Command{"generate", "sample continuations of a prompt from a HF model folder (JSON per sample)", cmd_generate},
    Command{"logits", "print a text's next-token logits as JSON (--all: every position)", cmd_logits},
    Command{"tokenize", "encode JSON strings (one per stdin line) to token ids, or --decode ids to text", cmd_tokenize},
    Command{"world", "the synthetic math world: export problems (MATH-500 JSONL), corpus documents, tokenizers", cmd_world},
    Command{"zoo", "the zoo of tiny pretrained models: build them (cached), inspect their planted priors", cmd_zoo},
};

std::span<const Command> commands() { return kCommands; }

}  // namespace rlvr::app
