// fuzz_util.h: what every parser fuzz target shares.
//
// The contract under test (util/error.h): bad input throws InputError with ONE line naming the
// file and field, and nothing else escapes. fuzz_expect_input_error() runs a parse and aborts (a
// libFuzzer finding) on any other exception or on a message that is empty or spans lines; a
// crash, a sanitizer report or a hang (-timeout) is a finding on its own.
//
// Parsers that read a path get the input through fuzz_temp_file(): one file per process under
// $TMPDIR (default /tmp), rewritten for every input.
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"

namespace rlvr::fuzz {

// The input as a string (it may hold NUL bytes).
inline std::string fuzz_text(const uint8_t* data, size_t size) { return std::string(reinterpret_cast<const char*>(data), size); }

[[noreturn]] inline void fuzz_fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz finding: %s: %s\n", what, detail.c_str());
  std::abort();
}

// Runs f(); InputError with a one-line message is the only allowed failure. True when f returned.
template <class F>
bool fuzz_expect_input_error(F&& f) {
  try {
    f();
    return true;
  } catch (const InputError& e) {
    const std::string_view m = e.what();
    if (m.empty()) fuzz_fail("InputError with an empty message", "");
    if (m.find('\n') != std::string_view::npos) fuzz_fail("InputError message spans lines", std::string(m));
    return false;
  } catch (const std::exception& e) {
    fuzz_fail("an exception other than InputError escaped (exit 3 instead of 2)", e.what());
  } catch (...) {
    fuzz_fail("a non-std exception escaped", "");
  }
}

// A per-process scratch folder ($TMPDIR/rlvr_fuzz_PID), made on first use.
inline const std::string& fuzz_temp_dir() {
  static const std::string dir = [] {
    const char* t = std::getenv("TMPDIR");
    std::string d = std::string(t && *t ? t : "/tmp") + "/rlvr_fuzz_" + std::to_string(static_cast<long>(getpid()));
    ::mkdir(d.c_str(), 0700);
    return d;
  }();
  return dir;
}

// The scratch folder's file `name` ("suite.toml"), now holding `bytes`.
inline std::string fuzz_temp_file(std::string_view bytes, const std::string& name) {
  std::string path = fuzz_temp_dir() + "/" + name;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) fuzz_fail("cannot write the scratch file", path);
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) fuzz_fail("short write", path);
  std::fclose(f);
  return path;
}

}  // namespace rlvr::fuzz
