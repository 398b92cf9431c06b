// error.h: the project's error convention.
//
// Bad input (a malformed file, field, line or argument) throws InputError; every command turns it
// into exit status 2 and ONE line on stderr that starts with where the problem is
// ("tokenizer.json: model.type: unsupported 'Unigram' (supported: BPE)").
// Anything else that escapes a command is a bug or an environment failure and exits 3.
#pragma once
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rlvr {

// Exit statuses shared by every command (docs/design.md, "Exit status"). A nightly job acts on them:
// 1 is a regression to look at, 4 a runner to repair (rerun once it is fixed), 2 and 3 a bug to file.
inline constexpr int kExitOk = 0;
inline constexpr int kExitVerdict = 1;      // a verdict failed (a claim, a mutant, a run that failed on its own)
inline constexpr int kExitBadInput = 2;     // bad input or usage
inline constexpr int kExitInternal = 3;     // internal error (a bug)
inline constexpr int kExitEnvironment = 4;  // a broken environment: I/O error, disk full, a dead rank

// What `train` appends to its failure line when it exits 4, for a person reading the log (the nightly
// reads each cell's exit status from CTest's own record, ci/nightly/suites.sh, not this text).
inline constexpr const char* kEnvironmentBrokeMark = " (exit 4: the environment broke)";

// The line every --help ends with (util/cli.cpp prints it after a command's own epilog).
inline constexpr const char* kExitStatusHelp =
    "exit status, every command: 0 success, 1 a verdict failed, 2 bad input or usage, 3 internal error,\n"
    "4 broken environment (I/O error, disk full, a dead rank: repair the runner and rerun)";

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& msg) : std::runtime_error(msg) {}
};

// "where: what", with newlines in `what` flattened so the message stays one line.
std::string one_line(std::string_view where, std::string_view what);

[[noreturn]] void throw_input(std::string_view where, std::string_view what);

// The machine failed a write or read the command had to make: the disk is full, an I/O error, a
// file that cannot be replaced. Exit status 4 (kExitEnvironment) and ONE line naming the file
// ("results/rlvrbench.db: commit: database or disk is full"); what was written before stays
// consistent (files are replaced by rename, the database by transactions). Not InputError: the
// input was fine, and a run that hits it is marked failed, not "bad input".
class IoError : public std::runtime_error {
 public:
  explicit IoError(const std::string& msg) : std::runtime_error(msg) {}
};

[[noreturn]] void throw_io(std::string_view where, std::string_view what);

// A command's or tool's body, with what escapes it turned into the shared exit statuses and ONE
// line on stderr: InputError "PROG: what" (2), IoError "PROG: what" (4), anything else
// "PROG: internal error: what" (3). The one place that maps exceptions to statuses.
int run_guarded(const char* prog, const std::function<int()>& body);

}  // namespace rlvr
