#include "report/test_fixture.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "results/store.h"
#include "util/hash.h"

namespace rlvr::report::test {

namespace {

// A fixed, platform-independent draw per key (util/hash.h; std:: distributions are not portable).
double unit(uint64_t x) { return unit_from(mix64(x)); }

// The (model, reward, seed, step) coordinates of one draw, folded into one integer.
uint64_t draw_key(uint64_t a, uint64_t b, uint64_t c, uint64_t d) { return ((a * 131 + b) * 131 + c) * 1000003 + d; }

constexpr const char* kModels[] = {"synth-qwen-math-7b", "synth-llama-8b-instruct"};
constexpr const char* kRewards[] = {"ground_truth", "random0.5"};
constexpr int kProblems = 40, kSteps = 20;

void write_run(Store& st, int mi, int ri, int64_t seed, bool with_evals) {
  RunInfo info;
  info.suite = "fixture";
  info.model = kModels[mi];
  info.reward = kRewards[ri];
  info.cell = info.model + "/" + info.reward;
  info.seed = seed;
  info.config_toml = "# <fixture> & \"quotes\"\n[train]\nsteps = 20\nseed = " + std::to_string(seed) + "\n";
  info.git_commit = "0123456789abcdef0123456789abcdef01234567";
  info.libtorch_version = "1.13.1";
  info.device = "cpu";
  info.threads = 2;
  info.host = "fixture-host";
  int64_t run = st.run_begin(info);
  bool fails = mi == 1 && ri == 1 && seed == 2;  // llama / random, seed 2: loss turns NaN at step 15
  bool qwen = mi == 0;
  for (int step = 0; step <= kSteps; ++step) {
    if (fails && step == 15) {
      st.run_fail(run, step, "loss is NaN <b>&</b>");
      return;
    }
    if (step > 0) {
      double u = unit(draw_key(mi, ri, seed, step));
      st.step_metrics_write(run, step, {{"reward_mean", 0.3 + 0.02 * step * (ri == 0) + 0.1 * u},
                                        {"clip_frac_low", 0.01 + 0.02 * u + 0.001 * step},
                                        {"clip_frac_high", 0.005 + 0.01 * u + (ri == 1 ? 0.002 * step : 0.0)}});
    }
    if (!with_evals || step % 10 != 0) continue;
    // Qwen's code share grows with training (faster under the true reward); code is right more
    // often. Llama never writes code; the true reward helps it a little, the random one does not.
    double t = step / static_cast<double>(kSteps);
    double p_code = qwen ? 0.5 + (ri == 0 ? 0.4 : 0.3) * t : 0.0;
    double acc_code = 0.8, acc_lang = qwen ? 0.45 : 0.35 + (ri == 0 ? 0.1 * t : -0.05 * t);
    std::vector<EvalItem> items;
    double correct = 0, code = 0, code_correct = 0;
    for (int p = 0; p < kProblems; ++p) {
      EvalItem it;
      it.problem_id = "p" + std::to_string(100 + p);
      it.has_code = unit(draw_key(mi, ri * 7 + 1, seed * 1000 + p, step)) < p_code;
      it.correct = unit(draw_key(mi, ri * 7 + 2, seed * 1000 + p, step)) < (it.has_code ? acc_code : acc_lang);
      it.has_code_strict = it.has_code;
      it.boxed = true;
      it.extracted = std::to_string(p);
      correct += it.correct;
      code += it.has_code;
      code_correct += it.has_code && it.correct;
      items.push_back(it);
    }
    // Per-strategy accuracy as the evaluator computes it: NaN (stored NULL) for a strategy without responses.
    const double nan = std::numeric_limits<double>::quiet_NaN(), lang = kProblems - code;
    st.eval_write(run, step, kFixtureDataset,
                  {{"accuracy", correct / kProblems},
                   {"code_frequency", code / kProblems},
                   {"accuracy_code", code > 0 ? code_correct / code : nan},
                   {"accuracy_language", lang > 0 ? (correct - code_correct) / lang : nan}},
                  items);
  }
  st.run_finish(run);
}

}  // namespace

FixtureMode fixture_mode_parse(const std::string& s) {
  if (s == "good") return FixtureMode::good;
  if (s == "partial") return FixtureMode::partial;
  if (s == "empty") return FixtureMode::empty;
  if (s == "noevals") return FixtureMode::noevals;
  if (s == "newer") return FixtureMode::newer;
  if (s == "notadb") return FixtureMode::notadb;
  throw std::invalid_argument("unknown fixture mode '" + s + "'");
}

void fixture_write(const std::string& path, FixtureMode mode) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  if (mode == FixtureMode::notadb) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << "this is not an SQLite database, just text long enough to have a header\n";
    return;
  }
  Store st(path);
  if (mode == FixtureMode::empty) return;
  for (int mi = 0; mi < 2; ++mi)
    for (int ri = 0; ri < 2; ++ri)
      for (int64_t seed : {1, 2}) write_run(st, mi, ri, seed, mode != FixtureMode::noevals);
  if (mode == FixtureMode::partial) {
    RunInfo info;
    info.suite = "fixture";
    info.model = "synth-olmo2-7b";
    info.reward = "format";
    info.cell = kFixtureNoEvalCell;
    info.seed = 1;
    info.host = "fixture-host";
    int64_t run = st.run_begin(info);
    st.step_metrics_write(run, 1, {{"reward_mean", 0.2}});
    st.run_mark_killed(run, 1, "SIGTERM");
  }
  if (mode == FixtureMode::newer) Db(path).exec("PRAGMA user_version = 99");  // a schema from a newer rlvrbench
}

}  // namespace rlvr::report::test
