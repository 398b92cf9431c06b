// suite.h: a suite (suites/*.toml) is a matrix of training runs: models x rewards x seeds, with
// shared defaults, per-cell overrides and named ablation cells. suite_expand() turns it into
// cells; each cell is one `rlvrbench train` run and one CTest test named suite/model/reward/seed.
// Torch-free: CMake's configure-time lister (suites/lister) and compare/golden use it too.
// The format is documented in suites/README.md.
#pragma once
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "util/enum_names.h"

namespace rlvr {

// One run of a suite: what the trainer needs to run it and what CTest/compare need to find it.
struct SuiteCell {
  std::string suite;   // suite name ("quick")
  std::string model;   // model name ("synth-qwen-math-7b"): model.name in `set`
  std::string reward;  // the cell's reward label ("random0.5-noclip"); the reward function is set["reward.name"]
  std::string name;    // suite/model/reward/seed: the CTest test name and `train --cell` argument
  std::string cell;    // model/reward: RunInfo::cell, so the store's cell_gain_seeds groups seeds
  std::string family;  // qwen2 | llama | olmo2 ...: a CTest label
  int64_t seed = 0;
  int64_t steps = 0;
  std::string dataset;  // the eval dataset compare reads (set["data.eval_name"])
  // Run-config overrides, dotted keys, values as a `--set key=value` command line writes them.
  // Always holds model.name, reward.name, train.steps, run.seed, data.eval_name.
  std::map<std::string, std::string> set;
  std::vector<std::string> labels;  // CTest labels: suite, <suite>, <model>, <family>, <reward>[, <reward fn>], cpu|gpu
  double timeout_s = 0;             // CTest TIMEOUT of the cell
  bool gpu = false;                 // device = "gpu": RESOURCE_GROUPS gpus:1
  int64_t ranks = 1;                // data-parallel ranks (`train --nproc`): CTest PROCESSORS, and N GPUs on gpu
  double model_params = 0;          // the model's `params` (shard balancing; 0: not given)
  // `runner`: a command template that trains the cell with another framework and writes a run file
  // (runner/external_run.h); "" for rlvrbench's own trainer.
  std::string runner;
};

// What a seed is for (`[seed_ranges]`): measuring the golden; held-out control seeds, run once
// after the golden is frozen, that count false alarms; the seeds mutants are run on.
// `confirm`: the seeds a flagged run adds before its verdict (run's sequential confirmation).
enum class SeedRole : uint8_t { golden, control, mutant, confirm };
constexpr EnumName<SeedRole> kSeedRoleNames[] = {
    {SeedRole::golden, "golden"}, {SeedRole::control, "control"}, {SeedRole::mutant, "mutant"}, {SeedRole::confirm, "confirm"}};
constexpr std::span<const EnumName<SeedRole>> enum_names(SeedRole) { return kSeedRoleNames; }

// An inclusive seed range [lo, hi]; not declared when hi < lo.
struct SeedRange {
  int64_t lo = 0, hi = -1;
  bool declared() const { return lo <= hi; }
  bool contains(int64_t s) const { return declared() && lo <= s && s <= hi; }
  std::vector<int64_t> seeds() const {  // lo, lo + 1, ..., hi (empty when not declared)
    std::vector<int64_t> v;
    for (int64_t s = lo; s <= hi; ++s) v.push_back(s);
    return v;
  }
};

// A pre-registered science claim (`[science] claims`, suites/README.md): a gain or contrast the
// suite exists to test, judged as its own family apart from the telemetry markers. Its label is
// a golden claim's ("MODEL/REWARD METRIC" or "MODEL/A - B METRIC"). `no_gain`: the claim is that
// there is no effect, tested for equivalence within +-margin (TOST); margin is required then.
struct ScienceClaim {
  std::string label;
  bool no_gain = false;
  double margin = NAN;
};

// Suite-level facts the CMake registration and compare need besides the cells.
struct SuiteInfo {
  std::string path, name, description, device;  // device: "cpu" | "gpu"
  bool zoo = false;                 // models are zoo members: `rlvrbench zoo build --only M` first
  std::string golden;               // golden file, relative to the source tree ("golden/quick.toml")
  std::vector<std::string> models;  // in suite order
  std::vector<int64_t> seeds;
  std::vector<int64_t> file_seeds;  // the seeds the file declares (a run's, `seeds` before any --seeds override)
  // Contrast claims `golden update` writes: {cell, minus cell}, two cells of one model
  // (`contrasts = ["MODEL/A - B", ...]`: the gain of A minus the gain of B).
  std::vector<std::pair<std::string, std::string>> contrasts;
  // `[power] ci_mutants = [...]`, `ci_seeds = [...]`: a CTest test S/power runs `rlvrbench power`
  // on these mutants and fresh seeds (the suite's check of its own detection power).
  std::vector<std::string> ci_power_mutants;
  std::vector<int64_t> ci_power_seeds;
  // `[seed_ranges] golden = [1, 25], control = [100, 159], mutant = [36, 45], confirm = [200, 203]`:
  // disjoint, by SeedRole (each optional). golden update, power and compare refuse seeds of the
  // wrong role; `run` adds the confirm seeds to a run whose verdict a statistical claim flagged.
  std::array<SeedRange, 4> seed_ranges;
  const SeedRange& seed_range(SeedRole r) const { return seed_ranges[static_cast<size_t>(r)]; }
  // `[science]`: the pre-registered science claims; `alpha`, the science family's share of the
  // golden's false-alarm rate (the telemetry family gets the rest); `detect`, the share of its own
  // size each claim must see on the suite's seeds (its minimum detectable effect at most
  // detect x |claim|; for a no-gain claim, at most its margin). Empty: one family, as before.
  std::vector<ScienceClaim> science;
  double science_alpha = NAN, science_detect = NAN;
  const ScienceClaim* science_find(const std::string& label) const {
    for (const auto& c : science)
      if (c.label == label) return &c;
    return nullptr;
  }
};

// A deliberate regression the suite's goldens must catch (`rlvrbench power`): run-key overrides
// applied to the cells its patterns match, and the claims it is expected to break.
struct SuiteMutant {
  std::string name;                       // "clip-off": RunInfo::mutant of its runs
  std::string description;
  std::vector<std::string> cells;         // patterns "MODEL/REWARD", "MODEL/*", "*/REWARD", "*"
  std::map<std::string, std::string> set; // run-key overrides (`--set` form)
  std::vector<std::string> breaks;        // claims expected to fire: "MODEL/REWARD METRIC" (informative)
  bool expect_caught = true;              // false: a documented blind spot, reported but not required
  bool traced = false;                    // expect = "traced": a ladder rung, its catch rate measured, not required
  std::string ladder;                     // graded versions of one fault share a ladder name ("" none)
  double rung = 0;                        // the rung's size on its ladder (e.g. the clip range moved by 0.05)
};

struct Suite {
  SuiteInfo info;
  std::vector<SuiteCell> cells;  // in order: model, reward, seed as listed
  std::vector<SuiteMutant> mutants;
};

// Every seed of `seeds` lies in the suite's `role` range (when declared); else InputError naming
// `where` (the flag), the seed and the suite's field.
void suite_seeds_require(const SuiteInfo& info, SeedRole role, const std::vector<int64_t>& seeds, const std::string& where);
// The seeds do not mix roles: all in one declared range, or none in any (compare judges one kind
// of seed at a time: golden seeds are no evidence about fresh ones).
void suite_seeds_one_role(const SuiteInfo& info, const std::vector<int64_t>& seeds, const std::string& where);
// What a confirmed judgement reads: the suite's seeds, then its confirm seeds (seed_ranges.confirm).
std::vector<int64_t> suite_seeds_with_confirm(const SuiteInfo& info);

// Whether "model/reward" matches a mutant cell pattern.
bool suite_pattern_match(const std::string& pattern, const std::string& cell);
// Whether the mutant changes the cell "model/reward" (one of its patterns matches).
bool suite_mutant_applies(const SuiteMutant& mutant, const std::string& cell);
// Whether the suite has the cell "model/reward" (for some seed).
bool suite_has_cell(const Suite& suite, const std::string& cell);
// The cells of `suite` a mutant applies to, each with the mutant's overrides merged into `set`
// and run.mutant = its name.
std::vector<SuiteCell> suite_mutant_cells(const Suite& suite, const SuiteMutant& mutant);
// The mutant named `name`; InputError naming `where` (the flag) when the suite declares none such.
const SuiteMutant& suite_mutant_find(const Suite& suite, const std::string& name, const std::string& where);

// Parses and expands a suite file; any malformed field -> InputError "FILE: FIELD: what".
// `seeds_override` (non-empty) replaces the suite's seeds, per-cell ones included: how a golden is
// measured with more seeds than the suite runs every night (`--seeds` of run, compare, golden update).
Suite suite_load(const std::string& suite_toml_path, const std::vector<int64_t>& seeds_override = {});
// "1,2,3" -> {1, 2, 3}; "" -> {} (no override); InputError naming `where` on anything else.
std::vector<int64_t> suite_seeds_parse(const std::string& where, const std::string& text);
std::vector<SuiteCell> suite_expand(const std::string& suite_toml_path);

// The cell named `name` (suite/model/reward/seed); InputError naming the suite file if absent.
const SuiteCell& suite_cell_find(const Suite& suite, const std::string& name);

// The cell's overrides as `--set` arguments ("train.steps=40"), sorted by key.
std::vector<std::string> suite_cell_set_args(const SuiteCell& cell);

// The cell's overrides as a run TOML document (dotted keys -> tables). Values that read as a
// boolean, integer or float are written as such, everything else as a quoted string: the same
// typing rule a `--set key=value` gets (suites/README.md).
std::string suite_cell_run_toml(const SuiteCell& cell);

// Output of `rlvrbench suite list` and of the CMake lister: a CMake script of
// rlvr_suite(...) / rlvr_suite_cell(...) calls, or a JSON document.
std::string suite_render_cmake(const Suite& suite);
std::string suite_render_json(const Suite& suite);

}  // namespace rlvr
