// rlvrbench: command-line entry point. Dispatches to app/cmd_*.cpp and owns the exit-status contract:
// 0 success, 1 a verdict failed, 2 bad input or usage (one line on stderr), 3 internal error,
// 4 a broken environment (util/error.h).
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "app/commands.h"
#include "runner/scheduler.h"
#include "util/cpu_kernels.h"
#include "util/malloc_tune.h"
#include "util/error.h"

namespace {

void print_help() {
  std::printf("usage: rlvrbench COMMAND [ARGS...]\n\n"
              "A reproducibility benchmark suite for RLVR claims (see README.md).\n\ncommands:\n");
  for (const auto& c : rlvr::app::commands()) std::printf("  %-12s %s\n", c.name, c.summary);
  std::printf("\n`rlvrbench COMMAND --help` describes each command.\n"
              "%s\n", rlvr::kExitStatusHelp);
}

}  // namespace

namespace rlvr::app {

int exec_torch_binary(int /*argc*/, char** argv) {
  const std::string torch_bin = torch_binary_path(argv[0]);
  cpu_pins_env();  // before LibTorch starts in the child (util/cpu_kernels.h)
  // LibTorch's c10d logs through glog to stderr (a failed bind is 3 lines before ours); rlvrbench
  // reports every such failure in its own one line. GLOG_minloglevel=0 shows c10d's log again.
  setenv("GLOG_minloglevel", "3", /*overwrite=*/0);
  argv[0] = const_cast<char*>(torch_bin.c_str());
  execv(torch_bin.c_str(), argv);
  std::fprintf(stderr, "rlvrbench: internal error: cannot run %s: %s\n", torch_bin.c_str(), std::strerror(errno));
  return kExitInternal;
}

}  // namespace rlvr::app

int main(int argc, char** argv) {
#if RLVR_WITH_TORCH
  rlvr::cpu_pins_or_reexec(argv);  // one kernel set on every AVX2 machine (util/cpu_kernels.h)
  rlvr::malloc_tune();                  // big tensors reuse the heap instead of fresh pages (util/malloc_tune.h)
#endif
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
    if (!c.run) return rlvr::app::exec_torch_binary(argc, argv);  // argv untouched: it dispatches again
    std::string prog = std::string("rlvrbench ") + c.name;
    argv[1] = prog.data();
    return rlvr::run_guarded(prog.c_str(), [&] { return c.run(argc - 1, argv + 1); });
  }
  std::fprintf(stderr, "rlvrbench: unknown command '%s' (see rlvrbench --help)\n", argv[1]);
  return rlvr::kExitBadInput;
}
