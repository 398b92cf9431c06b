// start_bench: how long a command takes from exec to exit, for the torch-free front binary
// (rlvrbench) and, as the reference measured in the same run, the same command through the LibTorch
// binary (rlvrbench-torch: the dynamic loader maps LibTorch before main). 20 starts each.
//   counters: ms (mean wall time per start), of_torch (that over the LibTorch binary's --help)
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kStarts = 20;

// Wall seconds of one fork + exec + wait of `argv` with stdout and stderr to /dev/null.
double run_once(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  auto t0 = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double mean_start_ms(const std::vector<std::string>& args) {
  double total = 0;
  for (int i = 0; i < kStarts; ++i) total += run_once(args);
  return total / kStarts * 1e3;
}

double torch_help_ms() {
  static double ms = mean_start_ms({RLVR_TORCH_BIN, "--help"});
  return ms;
}

void start(benchmark::State& state, std::vector<std::string> args) {
  double ms = 0;
  for (auto _ : state) ms = mean_start_ms(args);
  state.counters["ms"] = ms;
  state.counters["of_torch"] = ms / torch_help_ms();
}

}  // namespace

BENCHMARK_CAPTURE(start, torch_binary_help, std::vector<std::string>{RLVR_TORCH_BIN, "--help"})->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(start, help, std::vector<std::string>{RLVR_BIN, "--help"})->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(start, grade_help, std::vector<std::string>{RLVR_BIN, "grade", "--help"})->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(start, reward_help, std::vector<std::string>{RLVR_BIN, "reward", "--help"})->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(start, tokenize_help, std::vector<std::string>{RLVR_BIN, "tokenize", "--help"})->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(start, query_help, std::vector<std::string>{RLVR_BIN, "query", "--help"})->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(start, compare_help, std::vector<std::string>{RLVR_BIN, "compare", "--help"})->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(start, golden_help, std::vector<std::string>{RLVR_BIN, "golden", "--help"})->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(start, suite_help, std::vector<std::string>{RLVR_BIN, "suite", "--help"})->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(start, report_help, std::vector<std::string>{RLVR_BIN, "report", "--help"})->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(start, train_help_via_exec, std::vector<std::string>{RLVR_BIN, "train", "--help"})->Iterations(1)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
