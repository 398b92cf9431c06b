#include "app/commands.h"

#include <array>

namespace rlvr::app {

// Keep sorted by name; `rlvrbench --help` prints them in this order.
static constexpr std::array kCommands = {
    Command{"compare", "judge a suite's runs against its golden claims: verdict table, exit 1 unless all PASS", cmd_compare},
    Command{"golden", "golden update: write a golden that claims what the database measured", cmd_golden},
    Command{"suite", "list a suite's cells, print a cell's run config, set up its database", cmd_suite},
    Command{"tokenize", "encode JSON strings (one per stdin line) to token ids, or --decode ids to text", cmd_tokenize},
};

std::span<const Command> commands() { return kCommands; }

}  // namespace rlvr::app
