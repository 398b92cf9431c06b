#include "app/subcommands.h"

#include <cstdio>
#include <cstring>
#include <string>

#include "util/error.h"

namespace rlvr::app {

int subcommand_dispatch(int argc, char** argv, std::span<const Subcommand> subs, const char* about) {
  std::string names;
  for (const Subcommand& s : subs) names += (names.empty() ? "" : ", ") + std::string(s.name);
  if (argc < 2) throw_input(argv[0], "missing SUBCOMMAND (" + names + "; see --help)");
  if (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::printf("usage: %s SUBCOMMAND [ARGS...]\n\n%s\n\nsubcommands:\n", argv[0], about);
    for (const Subcommand& s : subs) std::printf("  %-10s %s\n", s.name, s.summary);
    std::printf("\n`%s SUBCOMMAND --help` describes each.\n", argv[0]);
    return kExitOk;
  }
  for (const Subcommand& s : subs) {
    if (std::strcmp(argv[1], s.name) != 0) continue;
    std::string prog = std::string(argv[0]) + " " + s.name;
    argv[1] = prog.data();
    return s.run(argc - 1, argv + 1);
  }
  throw_input(argv[0], std::string("unknown subcommand '") + argv[1] + "' (" + names + ")");
}

}  // namespace rlvr::app
