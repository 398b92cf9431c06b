// subcommands.h: dispatch of `rlvrbench NAME SUBCOMMAND ...` (world, zoo), with --help listing them.
#pragma once
#include <span>

namespace rlvr::app {

struct Subcommand {
  const char* name;
  const char* summary;              // one line for the help
  int (*run)(int argc, char** argv);  // argv[0] is "rlvrbench NAME SUBCOMMAND"
};

// argv[0] is "rlvrbench NAME". `about` is the help's description line. A missing or unknown
// subcommand is an InputError listing the known ones.
int subcommand_dispatch(int argc, char** argv, std::span<const Subcommand> subs, const char* about);

}  // namespace rlvr::app
