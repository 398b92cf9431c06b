// rlvrbench: command-line entry point. Dispatches to app/cmd_*.cpp and owns the exit-status contract:
// 0 success, 1 a verdict failed, 2 bad input or usage (one line on stderr), 3 internal error.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "app/commands.h"
#include "util/error.h"

namespace {

void print_help() {
  std::printf("usage: rlvrbench COMMAND [ARGS...]\n\n"
              "A reproducibility benchmark suite for RLVR claims (see README.md).\n\ncommands:\n");
  for (const auto& c : rlvr::app::commands()) std::printf("  %-12s %s\n", c.name, c.summary);
  std::printf("\n`rlvrbench COMMAND --help` describes each command.\n"
              "exit status: 0 success, 1 a verdict failed, 2 bad input or usage, 3 internal error\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "rlvrbench: missing COMMAND (see rlvrbench --help)\n");
    return rlvr::kExitBadInput;
  }
  if (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
    print_help();
    return rlvr::kExitOk;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::printf("rlvrbench %s\n", RLVR_VERSION);
    return rlvr::kExitOk;
  }
  for (const auto& c : rlvr::app::commands()) {
    if (std::strcmp(argv[1], c.name) != 0) continue;
    std::string prog = std::string("rlvrbench ") + c.name;
    argv[1] = prog.data();
    try {
      return c.run(argc - 1, argv + 1);
    } catch (const rlvr::InputError& e) {
      std::fprintf(stderr, "%s: %s\n", prog.c_str(), e.what());
      return rlvr::kExitBadInput;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: internal error: %s\n", prog.c_str(), rlvr::one_line("", e.what()).c_str());
      return rlvr::kExitInternal;
    }
  }
  std::fprintf(stderr, "rlvrbench: unknown command '%s' (see rlvrbench --help)\n", argv[1]);
  return rlvr::kExitBadInput;
}
