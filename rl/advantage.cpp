#include "rl/advantage.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "util/error.h"

namespace rlvr {

std::vector<double> advantage_grpo(const std::vector<double>& rewards, int64_t group_size,
                                   const std::vector<int64_t>& lengths, const AdvantageOptions& opt) {
  auto n = static_cast<int64_t>(rewards.size());
  if (group_size < 1 || n % group_size != 0)
    throw_input("advantage", "rollout of " + std::to_string(n) + " responses is not a multiple of group size " + std::to_string(group_size));
  if (!lengths.empty() && static_cast<int64_t>(lengths.size()) != n) throw_input("advantage", "lengths and rewards differ in size");
  std::vector<double> a(rewards.size());
  for (int64_t g0 = 0; g0 < n; g0 += group_size) {
    double mean = 0;
    for (int64_t i = g0; i < g0 + group_size; ++i) mean += rewards[static_cast<size_t>(i)];
    mean /= static_cast<double>(group_size);
    double ss = 0;
    for (int64_t i = g0; i < g0 + group_size; ++i) ss += (rewards[static_cast<size_t>(i)] - mean) * (rewards[static_cast<size_t>(i)] - mean);
    // unbiased std, as torch.std(); a group of one has no spread
    double sd = group_size > 1 ? std::sqrt(ss / static_cast<double>(group_size - 1)) : 0.0;
    for (int64_t i = g0; i < g0 + group_size; ++i) {
      if (!opt.group_mean) {  // no group baseline: the raw reward (only the batch whitening below acts)
        a[static_cast<size_t>(i)] = rewards[static_cast<size_t>(i)];
        continue;
      }
      double d = rewards[static_cast<size_t>(i)] - mean;
      a[static_cast<size_t>(i)] = opt.std_normalize ? d / (sd + opt.group_eps) : d;
    }
  }
  if (opt.batch_whiten && n > 0) {
    double wsum = 0, mean = 0;
    for (int64_t i = 0; i < n; ++i) {
      double w = lengths.empty() ? 1.0 : static_cast<double>(lengths[static_cast<size_t>(i)]);
      wsum += w;
      mean += w * a[static_cast<size_t>(i)];
    }
    if (wsum > 0) {
      mean /= wsum;
      double var = 0;
      for (int64_t i = 0; i < n; ++i) {
        double w = lengths.empty() ? 1.0 : static_cast<double>(lengths[static_cast<size_t>(i)]);
        var += w * (a[static_cast<size_t>(i)] - mean) * (a[static_cast<size_t>(i)] - mean);
      }
      var /= wsum;
      double rstd = 1.0 / std::sqrt(std::max(var, opt.whiten_var_floor));
      for (auto& x : a) x = (x - mean) * rstd;
    }
  }
  return a;
}

}  // namespace rlvr
