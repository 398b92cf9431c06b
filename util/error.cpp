#include "util/error.h"

namespace rlvr {

std::string one_line(std::string_view where, std::string_view what) {
  std::string s;
  s.reserve(where.size() + what.size() + 2);
  s.append(where);
  if (!where.empty()) s.append(": ");
  for (char c : what) s.push_back(c == '\n' || c == '\r' ? ' ' : c);
  return s;
}

void throw_input(std::string_view where, std::string_view what) { throw InputError(one_line(where, what)); }

void throw_io(std::string_view where, std::string_view what) { throw IoError(one_line(where, what)); }

}  // namespace rlvr
