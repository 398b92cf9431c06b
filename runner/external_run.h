// external_run.h: suite cells trained by another framework. A cell's `runner` (suites/README.md)
// is a command template; `rlvrbench train --suite S --cell C` (so CTest) and `rlvrbench run` fill it
// in, run it with /bin/sh, and ingest the run file it writes (results/run_file.h), so the cell is
// judged like one of rlvrbench's own. Placeholders:
//   {config}  the cell's resolved run TOML, written to a temporary file
//   {out}     where the runner must write its run file (docs/run-format.md)
//   {suite} {cell} {name} {model} {reward} {seed} {steps}   the cell's names and numbers
//   {source}  the rlvrbench source tree (scripts next to the suite)
// The runner's stdout and stderr go to this command's stderr.
#pragma once
#include <string>

#include "results/store.h"
#include "rl/run_config.h"
#include "suites/suite.h"

namespace rlvr {

struct RunFile;

// A run file against the suite: its suite and cell exist (and, for `cell`, are that cell, seed
// included), it has samples on the suite's eval dataset, and its problems are that dataset's when
// the cell's data.eval file is at hand (skipped when `ids_checked`). InputError naming the file.
void run_file_check_suite(const Suite& suite, const RunFile& f, bool ids_checked, const SuiteCell* cell = nullptr);

// The runner's command line for `cell` (placeholders filled in; InputError on an unknown one).
std::string external_command(const SuiteCell& cell, const std::string& config_path, const std::string& out_path);

// Runs the cell's runner and stores its run. Returns kExitOk, or kExitVerdict (1) when the runner
// failed or wrote nothing (one line on stderr); a malformed run file is InputError (exit 2).
// `summary`: print train's one-line JSON summary on stdout (`train`; `run` prints verdicts instead).
int external_cell_run(const Suite& suite, const SuiteCell& cell, const RunConfig& cfg, Store& store, bool quiet, bool summary);

}  // namespace rlvr
