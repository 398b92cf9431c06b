// power.h: the verdicts of `rlvrbench power` (detection power), computed from comparisons and kept
// apart from printing them: per mutant and seed, CAUGHT when some claim about a cell the mutant
// changed left its golden (or the mutant's run failed), else MISSED; per control seed, the false
// alarms. Torch-free; the command (app/cmd_power.cpp) trains the runs. Method: golden/README.md.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "golden/compare.h"

namespace rlvr {

// One claim a mutant touched, over the seeds it was run on.
struct PowerClaim {
  std::string label;
  int64_t fired = 0, seeds = 0;   // seeds on which the claim's verdict was not PASS
  std::vector<double> t;          // per seed (NaN for exact claims)
  bool exact = false;
  double crit = 0;                // the strictest Holm threshold as a |t|: t_crit(alpha / m, df)
  double predicted_power = NAN;   // P(|T| > crit) for a shift of mean(t): Phi(|t| - crit) + Phi(-|t| - crit)
};

struct MutantSeed {
  int64_t seed = 0;
  bool measured = false;  // some claim on a changed cell had its runs (else the mutant was not run on this seed)
  bool caught = false;
  std::vector<std::string> fired;  // "VERDICT claim" of the claims that fired
};

struct MutantPower {
  std::string name, description;
  bool expect_caught = true;
  bool traced = false;       // a ladder rung: measured, not required
  std::string ladder;        // "" or the ladder it is a rung of
  double rung = 0;
  std::vector<std::string> breaks;  // the claims the suite expects to fire
  std::vector<std::string> cells;   // the cells it changed
  std::vector<MutantSeed> seeds;
  std::vector<PowerClaim> claims;   // every claim touching a changed cell
  int64_t caught() const;
  int64_t measured() const;  // seeds it was run on
};

struct ControlSeed {
  int64_t seed = 0;
  int64_t claims = 0;
  std::vector<std::string> false_alarms;  // "VERDICT claim"
};

// A science claim's minimum detectable effect (compare's, golden/compare.h): what the power table
// shows beside the mutants, so a claim that cannot see its own loss is visible there too.
struct PowerMde {
  std::string label;
  double claim = 0, mde_1 = NAN, mde_k = NAN;
  bool underpowered = false;
};

struct PowerReport {
  std::string suite, suite_path, golden_path, db_path;
  std::string statistic;  // the golden's: v2 (Holm) or v3 (seed permutation)
  double alpha = 0;
  int64_t holm_m = 0;
  std::vector<int64_t> seeds, control_seeds, golden_seeds;  // mutants' seeds, the control's, the golden's
  std::vector<PowerMde> mde;  // the science claims (a suite without [science]: every gain and contrast)
  int64_t mde_seeds = 5;      // the k of mde_k
  bool science_declared = false;  // the suite has [science]; else `mde` lists every gain and contrast
  int64_t group = 1;  // seeds judged together (power --group): a MutantSeed / ControlSeed is a group, named by its first seed
  std::vector<ControlSeed> control;  // empty with --no-control
  std::vector<MutantPower> mutants;
  double wall_s = 0;
  int exit_status() const;  // 0: every expected mutant caught on every seed and no control false alarm
  int64_t control_seeds_alarmed() const;  // control seeds with at least one false alarm
  // The exact (Clopper-Pearson) one-sided 95% upper bound on the per-seed false-alarm rate.
  double control_alarm_upper95() const;
};

// The control's false alarms on one seed: every claim that is not PASS.
ControlSeed power_control(const Comparison& c, int64_t seed);
// One mutant on one seed: the claims reading one of `mp.cells` (the cells it changed) that are
// REGRESSION, IMPROVED or FAILED RUN. Adds the seed's t of every touched claim to `mp.claims`.
void power_mutant_add(MutantPower& mp, const Comparison& c, int64_t seed);
// The science claims' MDEs from a comparison of the suite (any seeds: they come from the golden).
void power_mde_fill(PowerReport& rep, const Comparison& c);
// Fills each claim's predicted power from its mean t over the seeds and the golden's Holm threshold.
void power_predict(MutantPower& mp, const Golden& golden);

std::string power_table(const PowerReport& r);
std::string power_json(const PowerReport& r);

}  // namespace rlvr
