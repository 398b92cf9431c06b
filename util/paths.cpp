#include "util/paths.h"

#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>

namespace rlvr {

namespace {

namespace fs = std::filesystem;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::string();
}

// PREFIX/share/rlvrbench for a binary at PREFIX/bin/NAME; "" when the binary's path is unknown.
fs::path install_data_dir() {
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return {};
  return fs::path(std::string(self, static_cast<size_t>(n))).parent_path().parent_path() / "share" / "rlvrbench";
}

}  // namespace

std::string source_dir() { return RLVR_SOURCE_DIR; }

bool installed() {
  // Decided once: the binary does not move while it runs.
  static const bool yes = [] {
    std::error_code ec;
    const fs::path d = install_data_dir();
    return !d.empty() && fs::is_directory(d / "suites", ec);
  }();
  return yes;
}

std::string data_dir() {
  if (std::string e = env("RLVRBENCH_DATA"); !e.empty()) return e;
  return installed() ? install_data_dir().string() : source_dir();
}

std::string data_path(std::string_view rel) { return (fs::path(data_dir()) / rel).string(); }

std::string zoo_dir() {
  if (std::string e = env("RLVRBENCH_ZOO"); !e.empty()) return e;
  if (!installed()) return (fs::path(source_dir()) / "results" / "zoo").string();
  std::string cache = env("XDG_CACHE_HOME");
  if (cache.empty()) cache = (fs::path(env("HOME").empty() ? "." : env("HOME")) / ".cache").string();
  return (fs::path(cache) / "rlvrbench" / "zoo").string();
}

std::string results_dir() {
  std::error_code ec;
  const fs::path src = fs::path(source_dir()) / "results";
  if (!installed() && fs::is_directory(src, ec)) return src.string();
  return "results";
}

}  // namespace rlvr
