// scheduler.cpp: suite cells as child processes, `jobs` at a time.
#include "runner/scheduler.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "runner/stop_signal.h"
#include "util/error.h"
#include "util/file.h"

extern char** environ;

namespace rlvr {

namespace {
// The folder this binary runs from, with its trailing '/' ("" when neither /proc/self/exe nor argv0
// names one): the two binaries are built and installed into one folder.
std::string binary_dir(const char* argv0) {
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  std::string dir = n > 0 ? std::string(self, static_cast<size_t>(n)) : std::string(argv0 ? argv0 : "");
  return dir.substr(0, dir.find_last_of('/') == std::string::npos ? 0 : dir.find_last_of('/') + 1);
}
}  // namespace

std::string torch_binary_path(const char* argv0) { return binary_dir(argv0) + "rlvrbench-torch"; }
std::string front_binary_path(const char* argv0) { return binary_dir(argv0) + "rlvrbench"; }

// Runs the cells `jobs` at a time, each as its own `rlvrbench-torch train CONFIG.toml [--nproc N]` process
// with the cell's resolved config (so a cell trains exactly as it would in this process: same
// config, same run.threads, same bytes). Returns the number of cells that did not finish; `broken`
// counts those whose process said the environment broke (exit 4) or was killed by a signal we did
// not send (the OOM killer, a dead machine).
int run_parallel(const std::vector<const SuiteCell*>& cells, const std::vector<RunConfig>& configs, const std::string& db,
                 int64_t jobs, bool quiet, const char* prog, int& broken) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "rlvrbench-run-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary folder under " + tmpl);
  const std::string torch_bin = torch_binary_path(prog);
  struct Job {
    pid_t pid;
    size_t cell;
    std::chrono::steady_clock::time_point t0;
  };
  std::vector<Job> running;
  auto t0 = std::chrono::steady_clock::now();
  int failed = 0;
  size_t next = 0, done = 0;
  while (done < cells.size()) {
    while (!stop_requested() && next < cells.size() && static_cast<int64_t>(running.size()) < jobs) {
      const std::string file = tmpl + "/cell-" + std::to_string(next) + ".toml";
      file_write_atomic(file, run_config_toml(configs[next]));
      std::vector<std::string> args = {torch_bin, "train", file, "--db", db};
      if (quiet) args.push_back("--quiet");
      if (cells[next]->ranks > 1) args.insert(args.end(), {"--nproc", std::to_string(cells[next]->ranks)});
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      // The child's stdout (train's JSON summary) is dropped: this command's stdout is the verdict
      // table; its stderr (progress, errors) goes through.
      posix_spawn_file_actions_t fa;
      posix_spawn_file_actions_init(&fa);
      posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
      pid_t pid = 0;
      const int rc = posix_spawn(&pid, torch_bin.c_str(), &fa, nullptr, argv.data(), environ);
      posix_spawn_file_actions_destroy(&fa);
      if (rc != 0) throw std::runtime_error("cannot start " + torch_bin + ": " + std::strerror(rc));
      std::fprintf(stderr, "[%zu/%zu %s] started (pid %d)\n", next + 1, cells.size(), cells[next]->name.c_str(), static_cast<int>(pid));
      running.push_back({pid, next++, std::chrono::steady_clock::now()});
    }
    if (running.empty()) break;  // interrupted before the rest started
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    }
    auto it = std::find_if(running.begin(), running.end(), [&](const Job& j) { return j.pid == pid; });
    if (it == running.end()) continue;
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == kExitOk;
    failed += !ok;
    broken += (WIFEXITED(status) && WEXITSTATUS(status) == kExitEnvironment) || (WIFSIGNALED(status) && !stop_requested());
    ++done;
    const double cell_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - it->t0).count();
    const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "[%zu/%zu %s] %s in %.0f s (elapsed %.0f s)\n", it->cell + 1, cells.size(), cells[it->cell]->name.c_str(),
                 ok ? "finished" : (WIFEXITED(status) ? ("exit " + std::to_string(WEXITSTATUS(status))).c_str() : "killed by a signal"),
                 cell_s, el);
    running.erase(it);
  }
  std::filesystem::remove_all(tmpl);
  if (stop_requested() && done < cells.size()) {
    std::fprintf(stderr, "%s: interrupted after %zu of %zu cells\n", prog, done, cells.size());
    failed += static_cast<int>(cells.size() - done);
  }
  return failed;
}

}  // namespace rlvr
