// golden.h: a golden file (golden/*.toml) is a set of claims about cells of one suite: for each
// (model, reward, metric, step), the baseline at step 0, the expected gain and the band the gain
// may move in, with provenance. Format and statistical method: golden/README.md.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rlvr {

// Metrics a golden may claim: both are per-problem in eval_items, so paired statistics apply.
inline constexpr const char* kGoldenMetrics[] = {"accuracy", "code_frequency"};

struct GoldenEntry {
  std::string model, reward, metric, dataset;
  int64_t step = 0;
  double baseline = 0;  // value at step 0 (fraction in [0, 1])
  double gain = 0;      // value at `step` minus baseline
  double band = 0;      // half-width: the claim is gain in [gain - band, gain + band]
  std::string note;     // free text (e.g. "read off Figure 1")
  // What `golden update` measured (seeds, problems, se, ...): shown, never judged.
  std::map<std::string, double> measured;
  std::string cell() const { return model + "/" + reward; }
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
  GoldenProvenance provenance;
  std::vector<GoldenEntry> entries;
};

// The statistic compare and `golden update` implement (golden/README.md); bump the version when
// the method changes so old goldens say which method made their bands.
inline constexpr const char* kGoldenStatistic = "paired-bootstrap+seed-t";
inline constexpr int64_t kGoldenStatisticVersion = 1;

// Parses a golden; malformed -> InputError "FILE: FIELD: what" (e.g. "cell[3].band: ...").
Golden golden_load(const std::string& path);

// TOML text of a golden (what `rlvrbench golden update` writes); golden_load reads it back.
std::string golden_render(const Golden& g);

}  // namespace rlvr
