// safetensors_fuzz: a hostile .safetensors file (models/safetensors_read.cpp): the 8-byte header
// length, the JSON header (dtypes, shapes, offsets, __metadata__) and the buffer. The input is
// parsed twice: as a whole file through SafetensorsFile::open (then every tensor's first and last
// byte is read, so ASan sees an offset past the mapping), and as a bare header JSON against a
// 4 KiB buffer through parse_header.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.h"
#include "models/safetensors_read.h"

using namespace rlvr;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes = fuzz::fuzz_text(data, size);
  const std::string path = fuzz::fuzz_temp_file(bytes, "model.safetensors");
  fuzz::fuzz_expect_input_error([&] {
    auto f = SafetensorsFile::open(path);
    unsigned sum = 0;
    for (const auto& [name, t] : f->tensors()) {
      if (t.end < t.begin) fuzz::fuzz_fail("tensor end before begin", name);
      if (static_cast<uint64_t>(t.numel()) * st_dtype_size(t.dtype) != t.end - t.begin)
        fuzz::fuzz_fail("tensor size != numel x dtype size", name);
      if (t.end > t.begin) sum += f->bytes(t)[0] + f->bytes(t)[t.end - t.begin - 1];
    }
    (void)sum;
  });
  fuzz::fuzz_expect_input_error([&] {
    std::map<std::string, std::string> meta;
    SafetensorsFile::parse_header(bytes, /*buffer_size=*/4096, "header.json", &meta);
  });
  return 0;
}
