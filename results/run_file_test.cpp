// The ingest fingerprint (results/run_file.h) stays what it was when the first run files were
// ingested: a stored fingerprint must still match the same file, or ingesting it again would add
// the run twice. The values were computed by the fingerprint's first implementation.
#include "results/run_file.h"

#include <gtest/gtest.h>

#include <string>

namespace rlvr {
namespace {

TEST(RunFileFingerprint, SameBitsAsTheFirstIngest) {
  EXPECT_EQ(run_file_fingerprint(""), "14650fb0739d0383");
  EXPECT_EQ(run_file_fingerprint("{\"format\": \"rlvrbench-run\", \"version\": 1}\n"), "ad25d6e20df1425b");
  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes.push_back(static_cast<char>(c));
  EXPECT_EQ(run_file_fingerprint(all_bytes), "16d173bdfcdae583");
}

}  // namespace
}  // namespace rlvr
