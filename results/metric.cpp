#include "results/metric.h"

#include <string>

namespace rlvr {

const MetricInfo* metric_find(std::string_view name) {
  for (const auto& m : kMetrics)
    if (m.name == name) return &m;
  return nullptr;
}

std::string metric_list(MetricClaim kind) {
  std::string out;
  for (const auto& m : kMetrics)
    if (m.claim == kind) out += (out.empty() ? "" : ", ") + std::string(m.name);
  return out;
}

}  // namespace rlvr
