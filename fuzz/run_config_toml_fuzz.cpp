// run_config_toml_fuzz: a hostile run config TOML (rl/run_config.cpp) and --set overrides: every
// key's type and range, presets, enum names. A config that loads must write (run_config_toml) a
// TOML that loads to the same TOML: that file is what a run's provenance records. The input is the
// TOML; after its first NUL byte, one "--set key=value" override per line.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "rl/run_config.h"

using namespace rlvr;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in = fuzz::fuzz_text(data, size);
  const size_t nul = in.find('\0');
  const std::string toml_text = in.substr(0, nul);
  std::vector<std::string> overrides;
  if (nul != std::string::npos) {
    std::string rest = in.substr(nul + 1), line;
    for (char c : rest + "\n") {
      if (c != '\n') { line += c; continue; }
      if (!line.empty()) overrides.push_back(line);
      line.clear();
    }
  }
  std::string written;
  if (!fuzz::fuzz_expect_input_error([&] {
        RunConfig c = run_config_parse(toml_text, "run.toml", overrides);
        written = run_config_toml(c);
        run_config_flat(c);
      }))
    return 0;
  std::string again;
  if (!fuzz::fuzz_expect_input_error([&] { again = run_config_toml(run_config_parse(written, "written run.toml", {})); }))
    fuzz::fuzz_fail("a config that loads writes a TOML that does not", written);
  if (again != written) fuzz::fuzz_fail("run_config_toml is not a fixed point", written + " vs " + again);
  return 0;
}
