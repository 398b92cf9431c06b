// report_html.h: the report page: one self-contained HTML file (inline CSS and SVG, no script, no
// network) with the figures, the gain / verdict / strategy-switch / provenance tables and notes.
#pragma once
#include <string>
#include <vector>

#include "report/report_data.h"
#include "report/report_figures.h"
#include "report/report_ladder.h"
#include "golden/claims.h"
#include "report/report_golden.h"

namespace rlvr::report {

// `golden` may be null: the verdict section then says how to get one instead of showing a table.
// `claims` may be null (no --claims): the claims section then says how to add it.
// `ladders` (report --power): the mutant ladders' power curves and their table; null: none.
std::string report_html(const ReportData& d, const std::vector<Figure>& figures, const GoldenView* golden,
                        const std::vector<ClaimRow>* claims = nullptr, const LadderView* ladders = nullptr);

// Writes DIR/index.html and DIR/<figure id>.svg (atomically, each), after removing fig-*.svg files
// a previous report left there (a figure that no longer exists must not look current).
// InputError when DIR cannot be created.
void report_write(const std::string& dir, const std::string& html, const std::vector<Figure>& figures);

}  // namespace rlvr::report
