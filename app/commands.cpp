#include "app/commands.h"

#include <array>

namespace rlvr::app {

// Keep sorted by name; `rlvrbench --help` prints them in this order.
static constexpr std::array kCommands = {
    Command{"generate", "sample continuations of a prompt from a HF model folder (JSON per sample)", cmd_generate},
    Command{"logits", "print a text's next-token logits as JSON (--all: every position)", cmd_logits},
    Command{"query", "answer named questions (cells, runs, gains, curves, verdicts) or read-only SQL on the results database", cmd_query},
    Command{"report", "draw the results database as an HTML page with SVG figures (curves, gains, switches, provenance)", cmd_report},
    Command{"tokenize", "encode JSON strings (one per stdin line) to token ids, or --decode ids to text", cmd_tokenize},
    Command{"train", "train one model x reward cell with GRPO, evaluating as it goes, into the results database", cmd_train},
    Command{"world", "the synthetic math world: export problems (MATH-500 JSONL), corpus documents, tokenizers", cmd_world},
};

std::span<const Command> commands() { return kCommands; }

}  // namespace rlvr::app
