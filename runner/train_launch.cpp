// train_launch.cpp: the local launcher of train_launch.h (fork + exec, like torchrun's).
#include "runner/train_launch.h"

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

#include "rl/trainer.h"
#include "util/error.h"

namespace rlvr {

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

std::string ctest_gpu_of(int64_t rank) {
  const char* count = std::getenv("CTEST_RESOURCE_GROUP_COUNT");
  if (!count || !*count) return "";
  const std::string var = "CTEST_RESOURCE_GROUP_" + std::to_string(rank) + "_GPUS";
  const char* gpus = std::getenv(var.c_str());
  if (!gpus) return "";  // this test's groups hold no GPUs (a CPU cell under a resource spec)
  const std::string v = gpus;  // "id:3,slots:1" (one GPU a group: RESOURCE_GROUPS "N,gpus:1")
  const auto id_at = v.find("id:");
  if (id_at == std::string::npos) throw_input(var, "expected \"id:ID,slots:N\", got '" + v + "'");
  const std::string id = v.substr(id_at + 3, v.find(',', id_at) - id_at - 3);
  if (id.empty()) throw_input(var, "empty GPU id in '" + v + "'");
  return id;
}

void ctest_gpu_bind(int64_t rank) {
  const std::string id = ctest_gpu_of(rank);
  if (!id.empty()) setenv("CUDA_VISIBLE_DEVICES", id.c_str(), 1);
}

void cuda_bind_local_rank(int64_t local_rank) {
  const char* vis = std::getenv("CUDA_VISIBLE_DEVICES");
  if (!vis) {
    setenv("CUDA_VISIBLE_DEVICES", std::to_string(local_rank).c_str(), 1);
    return;
  }
  std::vector<std::string> ids;
  std::string cur;
  for (const char* p = vis;; ++p) {
    if (*p == ',' || *p == '\0') {
      if (!cur.empty()) ids.push_back(cur);
      cur.clear();
      if (!*p) break;
    } else {
      cur += *p;
    }
  }
  if (ids.size() == 1) return;  // already one GPU for this process (srun --gpus-per-task=1)
  if (static_cast<int64_t>(ids.size()) <= local_rank)
    throw_input("CUDA_VISIBLE_DEVICES", "lists " + std::to_string(ids.size()) + " GPU(s), but LOCAL_RANK is " +
                                            std::to_string(local_rank) + " (one GPU a local rank)");
  setenv("CUDA_VISIBLE_DEVICES", ids[static_cast<size_t>(local_rank)].c_str(), 1);
}

int train_launch(const std::vector<std::string>& args, int64_t n, double grace_s, bool quiet) {
  const char* env_port = std::getenv("MASTER_PORT");
  const std::string port = env_port && *env_port ? env_port : std::to_string(free_port());
  if (!quiet) std::fprintf(stderr, "train: %lld ranks on 127.0.0.1:%s\n", static_cast<long long>(n), port.c_str());
  std::fflush(stderr);
  std::vector<std::string> gpus;  // read here, not in the forked child: a bad value is exit 2 once
  for (int64_t r = 0; r < n; ++r) gpus.push_back(ctest_gpu_of(r));
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
      if (!gpus[static_cast<size_t>(r)].empty()) setenv("CUDA_VISIBLE_DEVICES", gpus[static_cast<size_t>(r)].c_str(), 1);
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
  // Rank 0 speaks for the run (its status says why it failed); a rank 0 killed by a signal, or a
  // rank 0 that finished beside a rank that did not, means a rank died: the environment broke.
  const int s0 = status[0];
  if (WIFEXITED(s0) && WEXITSTATUS(s0) != 0) return WEXITSTATUS(s0);
  if (!WIFEXITED(s0)) return kExitEnvironment;
  return failed ? kExitEnvironment : kExitOk;
}

int train_launch_nproc(const RunConfig& cfg, int64_t nproc, int argc, char** argv, bool quiet) {
  train_world_check(cfg, nproc, "--nproc");
  (void)Dist::init(DistEnv{}, cfg.backend, cfg.dist_timeout_s, false);  // the backend exists (world 1: no rendezvous)
  if (const char* w = std::getenv("WORLD_SIZE"); w && *w)
    throw_input("--nproc", "WORLD_SIZE is already set (" + std::string(w) + "): a launcher started this process; drop --nproc");
  std::vector<std::string> args = {"train"};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--nproc") { ++i; continue; }
    if (a.rfind("--nproc=", 0) == 0) continue;
    args.push_back(a);
  }
  return train_launch(args, nproc, cfg.dist_timeout_s + 10, quiet);
}

void rank_device_bind(const RunConfig& cfg, const DistEnv& env) {
  if (env.world == 1) {
    ctest_gpu_bind(0);  // a launcher binds its ranks itself
  } else if (cfg.device.rfind("cuda", 0) == 0 && cfg.device.find(':') == std::string::npos && ctest_gpu_of(env.rank).empty()) {
    cuda_bind_local_rank(env.local_rank);
  }
}

}  // namespace rlvr
