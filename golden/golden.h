// golden.h: a golden file (golden/*.toml) is a set of claims about cells of one suite: for each
// (model, reward, metric, step), the baseline at step 0, the expected gain and the band the gain
// may move in, with provenance. Format and statistical method: golden/README.md.
#pragma once
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "results/metric.h"
#include "util/enum_names.h"

namespace rlvr {

// Eval metrics a gain or contrast claim may be about: both are per-problem in eval_items, so
// paired statistics apply.
inline constexpr auto kGoldenMetrics = metric_names_for<MetricClaim::gain>();  // results/metric.h

// What a claim is about (one name table for parsing and printing, util/enum_names.h).
enum class ClaimKind : uint8_t {
  gain,      // an eval metric at `step` minus step 0, paired per problem
  contrast,  // the gain of `reward` minus the gain of `minus` (same model, seeds, problems)
  marker,    // the mean of a step metric over steps [step_from, step_to] (a mechanism marker)
  probe,     // a contamination-probe metric at step 0 against a bound: at most `max` (clean), at least `min`
};
constexpr EnumName<ClaimKind> kClaimKindNames[] = {
    {ClaimKind::gain, "gain"}, {ClaimKind::contrast, "contrast"}, {ClaimKind::marker, "marker"}, {ClaimKind::probe, "probe"}};
constexpr std::span<const EnumName<ClaimKind>> enum_names(ClaimKind) { return kClaimKindNames; }
// "gain", "contrast", "marker", "probe" (as a C string: its name table holds literals).
inline const char* claim_kind_name(ClaimKind k) { return enum_name(k).data(); }

// Metrics of the contamination probe (eval/probe.h, `eval.probe`) a probe claim may be about:
// evals rows at step 0, one value per run (the probe is greedy).
inline constexpr auto kProbeMetrics = metric_names_for<MetricClaim::probe>();
// The exact-match bound `golden update` writes on probe claims: Wu et al. (arXiv 2507.10532) read
// 3.8% (Llama3.1-8B on MATH-500) as clean and 54.6% (Qwen2.5-Math-7B) as memorized; the zoo's
// clean members measure 0.0% and its leaked control 38.5% (models/zoo-controls). A claim measured
// below it says "not contaminated" (max), one above it "contaminated" (min).
inline constexpr double kProbeExactMatchBound = 0.05;

// Step metrics a marker claim may be about, with the scale it is judged on: "log" for positive
// quantities whose regressions are multiplicative (lr / 10 divides approx_kl by about 100).
struct MarkerMetric {
  const char* name;
  bool log_scale;
};
inline constexpr auto kMarkerMetrics = [] {  // the registry's marker metrics, in its order
  std::array<MarkerMetric, metric_count(MetricClaim::marker)> a{};
  size_t i = 0;
  for (const auto& m : kMetrics)
    if (m.claim == MetricClaim::marker) a[i++] = {m.name.data(), m.log_scale};
  return a;
}();
// Floor under a log-scale marker's value: log(0) would be -inf. 1e-7 lies below every resolvable
// value (one clipped token in a rollout of 128 x 100 tokens over 30 steps is ~3e-7), so a run
// that never clips is judged as 1e-7 against a golden that clips 1e-3: 9 log units away.
inline constexpr double kMarkerLogFloor = 1e-7;
const MarkerMetric* marker_metric_find(const std::string& name);  // nullptr when unknown

struct GoldenEntry {
  ClaimKind kind = ClaimKind::gain;
  std::string model, reward, metric, dataset;
  std::string minus;        // contrast: the other reward label of the same model
  int64_t step = 0;         // gain, contrast: the eval step judged against step 0
  int64_t step_from = 0, step_to = 0;  // marker: the step range averaged
  double baseline = NAN;    // gain: value at step 0 (fraction in [0, 1]); shown, not judged
  double gain = 0;          // the claimed value: gain, contrast (difference of gains) or marker mean
  // Measured goldens: the spread of ONE seed's value (v2: with its degrees of freedom; v3: the
  // sample sd of seed_values on the judged scale, shown). sd_seed = 0 makes the claim exact
  // (every measured seed gave the same value, e.g. clip_frac 0).
  double sd_seed = NAN, df = NAN;
  // v3: the claim's value on each golden seed (provenance.seeds order, natural units): what the
  // permutation verdict pools a judged seed with, and what anyone can recompute the claim from.
  std::vector<double> seed_values;
  // v3: each golden seed's within-run standard error on the judged scale (Measurement::seed_se):
  // the floor under the spread the verdict divides by.
  std::vector<double> seed_se;
  // Half-width of the claim. paper goldens: the band read from the paper's noise (judged). v2:
  // derived at load, the tolerance of a one-seed rerun at the golden's Bonferroni level (shown).
  double band = 0;
  // probe: the bound(s) the measured value must keep; NaN = none on that side (at least one is set).
  double bound_max = NAN, bound_min = NAN;
  std::string note;     // free text (e.g. "read off Figure 1")
  // Paper goldens with `versions`: the versions of the paper that state this number (a subset of
  // Golden::versions). Empty in goldens without versions.
  std::vector<std::string> versions;
  // What `golden update` measured (seeds, problems, se, ...): shown, never judged.
  std::map<std::string, double> measured;
  std::string cell() const { return model + "/" + reward; }
  std::string minus_cell() const { return model + "/" + minus; }
  bool log_scale() const;   // a marker on a log-scale metric
  double judged(double v) const;  // v on the judged scale: log(max(v, kMarkerLogFloor)) for log markers
  std::string label() const;  // "synth-micro/random0.5 accuracy", "... - random0.5-noclip accuracy", "... clip_frac[1..40]"
};

struct GoldenProvenance {
  std::string source;  // "measured" | "paper"
  std::string date;    // UTC date the values were measured or read
  std::string platform, commit;
  std::vector<int64_t> seeds;  // empty for the paper (not published)
  std::string statistic;       // kGoldenStatistic for measured goldens
  int64_t statistic_version = 0;
  std::string note;
};

struct Golden {
  std::string path, suite, dataset;
  double alpha = 0.05;  // v2, v3: family-wise false-alarm rate of the whole golden on a fresh seed
  // Paper goldens: the versions of the paper its numbers come from, oldest first (the numbers
  // differ between versions); empty when the golden does not distinguish them.
  std::vector<std::string> versions;
  std::string selected_version;  // set by golden_select_version; compare selects the latest when unset
  size_t entries_all_versions = 0;  // entries before the selection (shown: "2 of 39 claims")
  GoldenProvenance provenance;
  std::vector<GoldenEntry> entries;
  // v3, derived by golden_load: the critical max |d| for one fresh seed against the golden's own
  // seeds (golden/permutation.h); a claim's one-seed MDE, its shown band, is this x sd_seed.
  double perm_crit_1 = NAN;
};

// The golden's seed values on the judged scale (x[j][u]) and their within-run standard errors,
// one row per statistical claim (sd_seed > 0) that keeps them: what statistic v3 pools with.
void golden_seed_matrix(const Golden& g, std::vector<std::vector<double>>& x, std::vector<std::vector<double>>& se);

// The statistics compare implements (golden/README.md); a golden naming any other (statistic,
// version) is refused. Measured goldens: `golden update` writes kGoldenStatistic v2 (seed noise,
// Holm). The paper's golden: bands read from the paper's binomial noise, v1.
inline constexpr const char* kGoldenStatistic = "seed-noise-holm";
inline constexpr int64_t kGoldenStatisticVersion = 2;
// v3 (golden/permutation.h): the golden keeps every seed's value; a judged seed is pooled with
// them and calibrated by relabeling. Written by `golden update` when a one-seed test at level
// alpha exists (n + 1 >= 1 / alpha golden seeds: 19 at 5%); fewer seeds get v2.
inline constexpr const char* kPermutationStatistic = "seed-permutation-max";
inline constexpr int64_t kPermutationStatisticVersion = 3;
// A measured golden's statistic: v2 (seed noise, Holm) or v3 (seed permutation).
inline bool statistic_is_measured(const std::string& s) { return s == kGoldenStatistic || s == kPermutationStatistic; }
inline bool statistic_is_permutation(const std::string& s) { return s == kPermutationStatistic; }
inline constexpr const char* kPaperStatistic = "paper-binomial-band";
inline constexpr int64_t kPaperStatisticVersion = 1;
inline constexpr double kDefaultAlpha = 0.05;
// Number of claims judged statistically (sd_seed > 0): the m of Holm's correction.
int64_t golden_statistical_claims(const Golden& g);

// Parses a golden; malformed -> InputError "FILE: FIELD: what" (e.g. "cell[3].band: ...").
Golden golden_load(const std::string& path);

// The claims of one version of the paper: the entries whose `versions` list it. "" picks the
// latest (the last of g.versions). A golden without versions is returned unchanged when
// `version` is "" and refused otherwise; an unknown version is an InputError naming the golden
// and its known versions. Returns the version picked ("" for a golden without versions).
std::string golden_select_version(Golden& g, const std::string& version);
// The versions as one line, "preprint-2025-05, arxiv-v1, arxiv-v2" (messages and compare's table).
std::string golden_versions_text(const std::vector<std::string>& versions);

// TOML text of a golden (what `rlvrbench golden update` writes); golden_load reads it back.
std::string golden_render(const Golden& g);

}  // namespace rlvr
