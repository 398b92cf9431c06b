// decompose_html.h: the report's accuracy-decomposition table (decompose.h), one row per cell and
// dataset: per-strategy accuracy before and after, and the gain split into shift and within.
#pragma once
#include <string>
#include <vector>

#include "report/decompose.h"

namespace rlvr::report {

std::string decompose_html(const std::vector<DecomposeRow>& rows);

}  // namespace rlvr::report
