// suite_science.h: the suite's `[science]` block (suites/README.md, "Science claims"): which
// golden claims are the pre-registered science the suite tests, apart from its telemetry.
// Internal to suite_parse.cpp, in its own file because it is one concept.
#pragma once
#include "suites/suite.h"
#include "util/toml_reader.h"

namespace rlvr {

// Reads `[science]` (claims, alpha, detect) into info; malformed fields -> InputError
// "FILE: science.FIELD: what". A no-gain claim without a margin is an error.
void suite_science_read(TomlReader& r, SuiteInfo& info);
// Every science claim names a cell of the suite (a contrast: one the suite declares) and a gain
// metric; else InputError naming "science.claims[i]".
void suite_science_resolve(const Suite& s);

}  // namespace rlvr
