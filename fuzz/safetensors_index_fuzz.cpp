// safetensors_index_fuzz: a hostile model.safetensors.index.json next to two valid shards
// (models/safetensors_read.cpp, SafetensorsSet::open_dir): weight_map entries naming missing
// shards, paths outside the folder, tensors absent from or extra in a shard, non-string values.
// The input is the index file; the shards hold tensors "a.x", "a.y" and "b.z".
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "models/safetensors_read.h"
#include "models/safetensors_write.h"

using namespace rlvr;

namespace {

void write_shards(const std::string& dir) {
  static const uint8_t four[16] = {};
  safetensors_write(dir + "/model-00001-of-00002.safetensors",
                    {{"a.x", StDtype::f32, {2, 2}, {four, 16}}, {"a.y", StDtype::f32, {1}, {four, 4}}});
  safetensors_write(dir + "/model-00002-of-00002.safetensors", {{"b.z", StDtype::f32, {4}, {four, 16}}});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool shards = (write_shards(fuzz::fuzz_temp_dir()), true);
  (void)shards;
  fuzz::fuzz_temp_file(fuzz::fuzz_text(data, size), "model.safetensors.index.json");
  fuzz::fuzz_expect_input_error([&] {
    SafetensorsSet set = SafetensorsSet::open_dir(fuzz::fuzz_temp_dir());
    for (const std::string& name : set.names()) {
      SafetensorsSet::Entry e = set.get(name);
      if (!e.file || !e.info) fuzz::fuzz_fail("open_dir listed a tensor it cannot get", name);
    }
  });
  return 0;
}
