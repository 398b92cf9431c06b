#include "runner/suite_shard.h"

#include <algorithm>
#include <numeric>

#include "runner/suite_run.h"
#include "util/paths.h"
#include "synth/prior_spec.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr {

namespace {

constexpr double kDefaultParams = 1e9;     // a model the suite gives no size for
constexpr double kTrainPassesPerToken = 5;  // old log-probs (1) + forward and backward (3) + slack (1)
constexpr double kEvalProblemsUnknown = 500;  // eval_limit 0: the whole set; MATH-500's size

int64_t parse_int(const std::string& flag, const std::string& text, const std::string& what) {
  if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw_input(flag, "expected I/N (0 <= I < N), got a " + what + " '" + text + "'");
  return std::stoll(text);
}

}  // namespace

ShardSel shard_parse(const std::string& flag, const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) throw_input(flag, "expected I/N (0 <= I < N), got '" + text + "'");
  ShardSel s;
  s.index = parse_int(flag, text.substr(0, slash), "shard index");
  s.count = parse_int(flag, text.substr(slash + 1), "shard count");
  if (s.count < 1 || s.count > kMaxShards)
    throw_input(flag, "shard count must be in [1, " + std::to_string(kMaxShards) + "], got " + std::to_string(s.count));
  if (s.index >= s.count)
    throw_input(flag, "shard index must be in [0, " + std::to_string(s.count - 1) + "] (0-based), got " + std::to_string(s.index));
  return s;
}

double suite_cell_params(const Suite& suite, const SuiteCell& cell) {
  if (cell.model_params > 0) return cell.model_params;
  if (suite.info.zoo) {
    const std::string spec = data_path("models/zoo/" + cell.model + ".toml");
    if (file_exists(spec)) {
      const synth::ModelSize z = synth::zoo_spec_load(spec).size;
      const double d = z.d_model, hd = z.heads > 0 ? d / z.heads : d;
      // Attention (q, o: d x d; k, v: d x kv_heads * head_dim) and the gated MLP (3 d x ffn).
      return static_cast<double>(z.layers) * (2 * d * d + 2 * d * z.kv_heads * hd + 3 * d * z.ffn);
    }
  }
  return kDefaultParams;
}

double suite_cell_cost(const Suite& suite, const SuiteCell& cell, const RunConfig& cfg) {
  const double sampled = static_cast<double>(cfg.prompts_per_rollout * cfg.samples_per_prompt * cfg.max_response_len);
  const double steps = static_cast<double>(cfg.steps);
  const double train = steps * sampled * (1 + kTrainPassesPerToken);
  // Step 0 and the last step always; every eval_every steps between.
  double evals = 1 + (cfg.steps > 0 ? 1 : 0);
  if (cfg.eval_every > 0 && cfg.steps > 0) evals = 1 + static_cast<double>((cfg.steps + cfg.eval_every - 1) / cfg.eval_every);
  const double problems = cfg.eval_limit > 0 ? static_cast<double>(cfg.eval_limit) : kEvalProblemsUnknown;
  const double eval = evals * problems * static_cast<double>(cfg.eval_max_new_tokens);
  return suite_cell_params(suite, cell) * (train + eval);
}

std::vector<int64_t> shard_assign(const std::vector<double>& costs, int64_t count) {
  std::vector<size_t> order(costs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return costs[a] > costs[b]; });
  std::vector<double> load(static_cast<size_t>(count), 0.0);
  std::vector<int64_t> shard(costs.size(), 0);
  for (size_t i : order) {
    const auto least = std::min_element(load.begin(), load.end()) - load.begin();  // first of the least loaded
    shard[i] = least;
    load[static_cast<size_t>(least)] += costs[i];
  }
  return shard;
}

std::vector<size_t> shard_select(const std::vector<double>& costs, ShardSel sel) {
  const std::vector<int64_t> shard = shard_assign(costs, sel.count);
  std::vector<size_t> out;
  for (size_t i = 0; i < shard.size(); ++i)
    if (shard[i] == sel.index) out.push_back(i);
  return out;
}

std::vector<double> suite_cells_costs(const Suite& suite, const std::vector<const SuiteCell*>& cells) {
  std::vector<double> costs;
  for (const SuiteCell* c : cells) costs.push_back(suite_cell_cost(suite, *c, suite_cell_config(suite, *c, {})));
  return costs;
}

std::vector<const SuiteCell*> suite_shard_cells(const Suite& s, const std::string& shard_text) {
  std::vector<const SuiteCell*> all;
  for (const auto& c : s.cells) all.push_back(&c);
  if (shard_text.empty()) return all;
  std::vector<const SuiteCell*> out;
  for (size_t i : shard_select(suite_cells_costs(s, all), shard_parse("--shard", shard_text))) out.push_back(all[i]);
  return out;
}

}  // namespace rlvr
