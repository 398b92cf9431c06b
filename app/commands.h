// commands.h: the `rlvrbench` subcommands. One file per command (app/cmd_NAME.cpp), one row per
// command in app/commands.cpp. Each returns its exit status; InputError escaping it becomes exit 2.
#pragma once
#include <span>
#include <string>

namespace rlvr::app {

struct Command {
  const char* name;     // "tokenize", or "zoo build" style names are handled inside the command
  const char* summary;  // one line for `rlvrbench --help`
  bool torch;           // needs LibTorch: runs in rlvrbench-torch (app/CMakeLists.txt)
  int (*run)(int argc, char** argv);  // argv[0] is "rlvrbench NAME"; nullptr: not in this binary
};

std::span<const Command> commands();

// Runs a LibTorch command in rlvrbench-torch (the file beside this executable) with the same
// arguments, replacing this process; returns only on failure (exit status 3, message on stderr).
int exec_torch_binary(int argc, char** argv);

int cmd_claims(int argc, char** argv);
int cmd_compare(int argc, char** argv);
int cmd_data(int argc, char** argv);
int cmd_db(int argc, char** argv);
int cmd_export(int argc, char** argv);
int cmd_ingest(int argc, char** argv);
int cmd_generate(int argc, char** argv);
int cmd_golden(int argc, char** argv);
int cmd_grade(int argc, char** argv);
int cmd_logits(int argc, char** argv);
int cmd_power(int argc, char** argv);
int cmd_probe(int argc, char** argv);
int cmd_query(int argc, char** argv);
int cmd_report(int argc, char** argv);
int cmd_prompt(int argc, char** argv);
int cmd_reward(int argc, char** argv);
int cmd_run(int argc, char** argv);
int cmd_suite(int argc, char** argv);
int cmd_tokenize(int argc, char** argv);
int cmd_train(int argc, char** argv);
int cmd_world(int argc, char** argv);
int cmd_zoo(int argc, char** argv);

}  // namespace rlvr::app
