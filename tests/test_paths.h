// test_paths.h: where a test finds the source tree, its data, the npm test data and the build tree.
// Defaults are baked in by rlvr_test_paths() in CMake; environment variables of the same names
// (RLVR_SOURCE_DIR, RLVR_TEST_DATA, RLVR_NODE_MODULES, RLVR_BUILD_DIR) override them.
#pragma once
#include <cstdlib>
#include <string>

namespace rlvr::test {

inline std::string env_or(const char* name, const char* dflt) {
  const char* v = std::getenv(name);
  return v && *v ? v : dflt;
}
inline std::string source_dir() { return env_or("RLVR_SOURCE_DIR", RLVR_SOURCE_DIR_DEFAULT); }
inline std::string test_data() { return env_or("RLVR_TEST_DATA", RLVR_TEST_DATA_DEFAULT); }
inline std::string node_modules() { return env_or("RLVR_NODE_MODULES", RLVR_NODE_MODULES_DEFAULT); }
inline std::string build_dir() { return env_or("RLVR_BUILD_DIR", RLVR_BUILD_DIR_DEFAULT); }

}  // namespace rlvr::test
