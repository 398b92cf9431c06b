// scheduler.h: a suite's cells as child processes (`rlvrbench-torch train CONFIG.toml`), `jobs` at a
// time, each with its cell's resolved config, so a cell trains exactly as it would in one process.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "rl/run_config.h"
#include "suites/suite.h"

namespace rlvr {

// rlvrbench-torch's path: the file of that name beside this executable (argv0's folder when
// /proc/self/exe cannot be read). Both binaries are built and installed into one folder.
std::string torch_binary_path(const char* argv0);
// The torch-free front `rlvrbench` beside it (what an external runner calls to grade, reward, prompt).
std::string front_binary_path(const char* argv0);

// Runs `cells` (with their `configs`) `jobs` at a time into database `db`; progress lines on stderr.
// Returns the number of cells that did not finish; `broken` counts those whose process said the
// environment broke (exit 4) or was killed by a signal this process did not send. Stops starting
// cells once stop_requested() (runner/stop_signal.h).
int run_parallel(const std::vector<const SuiteCell*>& cells, const std::vector<RunConfig>& configs, const std::string& db,
                 int64_t jobs, bool quiet, const char* prog, int& broken);

}  // namespace rlvr
