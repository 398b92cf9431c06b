#include "util/error.h"

#include <cstdio>

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

int run_guarded(const char* prog, const std::function<int()>& body) {
  try {
    return body();
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s: %s\n", prog, one_line("", e.what()).c_str());
    return kExitBadInput;
  } catch (const IoError& e) {  // disk full, I/O error: the environment broke, files stay consistent
    std::fprintf(stderr, "%s: %s\n", prog, one_line("", e.what()).c_str());
    return kExitEnvironment;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: internal error: %s\n", prog, one_line("", e.what()).c_str());
    return kExitInternal;
  }
}

}  // namespace rlvr
