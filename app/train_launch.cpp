// train_launch.cpp: the local launcher of train_launch.h (fork + exec, like torchrun's).
#include "app/train_launch.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "util/error.h"

namespace rlvr::app {

namespace {

// A TCP port that is free on 127.0.0.1 now (the kernel's pick for port 0). MASTER_PORT, when set,
// wins: then a port in use is the user's to fix (rank 0 reports it, exit 2).
int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw_input("--nproc", std::string("cannot open a socket: ") + std::strerror(errno));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    close(fd);
    throw_input("--nproc", std::string("cannot find a free port: ") + std::strerror(errno));
  }
  close(fd);
  return ntohs(a.sin_port);
}

std::vector<pid_t> g_children;

extern "C" void forward_signal(int sig) {
  for (pid_t p : g_children)
    if (p > 0) kill(p, sig);
}

std::string status_text(int st) {
  if (WIFEXITED(st)) return "exited with status " + std::to_string(WEXITSTATUS(st));
  if (WIFSIGNALED(st)) return "was killed by signal " + std::to_string(WTERMSIG(st)) + " (" + strsignal(WTERMSIG(st)) + ")";
  return "ended (status " + std::to_string(st) + ")";
}

}  // namespace

int train_launch(const std::vector<std::string>& args, int64_t n, double grace_s, bool quiet) {
  const char* env_port = std::getenv("MASTER_PORT");
  const std::string port = env_port && *env_port ? env_port : std::to_string(free_port());
  if (!quiet) std::fprintf(stderr, "train: %lld ranks on 127.0.0.1:%s\n", static_cast<long long>(n), port.c_str());
  std::fflush(stderr);
  g_children.assign(static_cast<size_t>(n), 0);
  for (int64_t r = 0; r < n; ++r) {
    pid_t pid = fork();
    if (pid < 0) throw_input("--nproc", std::string("fork failed: ") + std::strerror(errno));
    if (pid == 0) {
      setenv("RANK", std::to_string(r).c_str(), 1);
      setenv("LOCAL_RANK", std::to_string(r).c_str(), 1);
      setenv("WORLD_SIZE", std::to_string(n).c_str(), 1);
      setenv("MASTER_ADDR", "127.0.0.1", 1);
      setenv("MASTER_PORT", port.c_str(), 1);
      std::vector<char*> av;
      std::string self = "/proc/self/exe";
      av.push_back(self.data());
      for (const std::string& a : args) av.push_back(const_cast<char*>(a.c_str()));
      av.push_back(nullptr);
      execv("/proc/self/exe", av.data());
      std::fprintf(stderr, "train: rank %lld: cannot exec: %s\n", static_cast<long long>(r), std::strerror(errno));
      _exit(127);
    }
    g_children[static_cast<size_t>(r)] = pid;
  }
  struct sigaction sa{};
  sa.sa_handler = forward_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  std::vector<int> status(static_cast<size_t>(n), 0);
  int64_t left = n;
  bool failed = false;
  auto deadline = std::chrono::steady_clock::time_point::max();
  while (left > 0) {
    int st = 0;
    pid_t pid = waitpid(-1, &st, failed ? WNOHANG : 0);
    if (pid < 0 && errno == EINTR) continue;
    if (pid == 0) {  // ranks still running after one failed: wait out the grace, then end them
      if (std::chrono::steady_clock::now() > deadline) {
        for (size_t r = 0; r < g_children.size(); ++r)
          if (g_children[r] > 0) {
            std::fprintf(stderr, "train: rank %zu still running %.0f s after a rank failed: killed\n", r, grace_s);
            kill(g_children[r], SIGKILL);
          }
        deadline = std::chrono::steady_clock::time_point::max();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    if (pid < 0) break;
    for (size_t r = 0; r < g_children.size(); ++r) {
      if (g_children[r] != pid) continue;
      g_children[r] = 0;
      status[r] = st;
      --left;
      const bool ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
      if (!ok) {
        std::fprintf(stderr, "train: rank %zu %s\n", r, status_text(st).c_str());
        if (!failed) {
          failed = true;
          deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int64_t>(grace_s * 1000));
        }
      }
    }
  }
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  const int s0 = status[0];
  if (WIFEXITED(s0) && WEXITSTATUS(s0) != 0) return WEXITSTATUS(s0);
  if (!WIFEXITED(s0)) return kExitVerdict;
  return failed ? kExitVerdict : kExitOk;
}

}  // namespace rlvr::app
