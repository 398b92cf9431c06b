// report_figures.h: the report's figure set, each a standalone SVG (report/README.md lists them):
//   fig-1-accuracy-DATASET      eval accuracy vs step, one panel per model, one colour per cell
//   fig-2-code-frequency-DATASET code frequency vs step, same layout (the paper's Figures 1-2)
//   fig-3-gain-DATASET          gain per cell (last eval - step 0) as bars, seeds as dots, golden band
//   fig-4-clip-fraction         clip_frac_low / clip_frac_high vs step, one panel per cell (Figure 3)
//   fig-5-variants-DATASET      gain with 95% interval over seeds of each BASE-POINT cell beside BASE, a
//                               column of panels per base (the regime map); left out without variants
// Thin lines are seeds (dashed when the run did not finish), bold lines their mean.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "report/report_data.h"
#include "report/report_golden.h"

namespace rlvr::report {

struct Figure {
  std::string id;     // file name without ".svg"; also the HTML anchor
  std::string title;
  std::string svg;
};

// Same colour for the same cell label (reward) in every panel and figure.
std::map<std::string, std::string> label_colors(const ReportData& d);

// A file-name-safe slug: [a-z0-9.-], anything else becomes '-'.
std::string slug(const std::string& s);

// `golden` may be null (no --golden): the gain figure then has no bands.
std::vector<Figure> report_figures(const ReportData& d, const GoldenView* golden);

}  // namespace rlvr::report
