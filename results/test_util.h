// test_util.h: helpers shared by the results tests: a fresh database path per test, and running a
// function in a child process (a separate process with its own SQLite connection, as ctest -j has).
#pragma once
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

#include "results/store.h"

namespace rlvr::test {

// A second connection to the store's file, for tests that read the schema, count rows or hold a
// transaction open on purpose (a Store exposes no raw connection: every product read and write
// goes through its methods).
inline Db db_of(const Store& st) { return Db(st.path()); }

// A database path no other test (or concurrent ctest process) uses; removed with its WAL files.
class TempDb {
 public:
  TempDb() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("rlvr_results_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempDb() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string path(const std::string& name = "results.db") const { return (dir_ / name).string(); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

// The RunInfo of seed `seed` of a suite cell "model/reward", on the CPU: what the trainer records.
inline RunInfo cell_run_info(const std::string& suite, const std::string& cell, int64_t seed) {
  RunInfo i;
  i.suite = suite;
  i.cell = cell;
  i.model = cell.substr(0, cell.find('/'));
  i.reward = cell.substr(cell.find('/') + 1);
  i.seed = seed;
  i.device = "cpu";
  i.git_commit = "0000000";  // not the build's stamp: a test must not depend on the tree being clean
  return i;
}

// "p17": built by append, because GCC 12's -Wrestrict misfires on `"p" + std::to_string(i)`.
inline std::string numbered(const char* prefix, int64_t i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

// Forks; the child runs fn() and _exits 0, or 1 when fn throws (the message goes to stderr).
// _exit, not exit: the child must not run gtest's or the parent's atexit handlers.
template <class F>
pid_t child_start(F fn) {
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int rc = 0;
    try {
      fn();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "child %d: %s\n", getpid(), e.what());
      rc = 1;
    } catch (...) {
      rc = 1;
    }
    _exit(rc);
  }
  return pid;
}

// Waits for a child; its exit status, or 128 + signal when a signal ended it.
inline int child_wait(pid_t pid) {
  int st = 0;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return -1;
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  return 128 + WTERMSIG(st);
}

}  // namespace rlvr::test
