// text.h: number formatting shared by the golden library's printers (compare's verdict table,
// power's table): one printf-style number, "-" for NaN (a value that was not measured).
#pragma once
#include <cmath>
#include <cstdio>
#include <string>

namespace rlvr {

inline std::string fmt(const char* f, double v) {
  if (std::isnan(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

}  // namespace rlvr
