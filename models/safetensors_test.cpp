// safetensors_test.cpp: the reader against every corruption the loader must refuse, and the writer.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "models/safetensors_read.h"
#include "models/safetensors_write.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr {
namespace {

std::string tmp(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() / ("rlvr_st_" + std::to_string(::getpid()) + "_" + name);
  return p.string();
}

// A raw file: 8-byte length, header text, `data_bytes` bytes.
std::string raw(const std::string& header, size_t data_bytes) {
  std::string s(8, '\0');
  uint64_t n = header.size();
  std::memcpy(s.data(), &n, 8);
  return s + header + std::string(data_bytes, '\x01');
}

std::string open_error(const std::string& path) {
  try {
    SafetensorsFile::open(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string write_raw(const std::string& name, const std::string& bytes) {
  std::string p = tmp(name);
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}

TEST(Safetensors, WriteReadRoundTrip) {
  std::vector<float> a = {1, 2, 3, 4, 5, 6};
  std::vector<uint16_t> b = {0x3f80, 0x4000};  // bf16 1.0, 2.0
  std::string p = tmp("rt.safetensors");
  safetensors_write(p, {{"z.weight", StDtype::f32, {2, 3}, {reinterpret_cast<const uint8_t*>(a.data()), 24}},
                        {"a.bias", StDtype::bf16, {2}, {reinterpret_cast<const uint8_t*>(b.data()), 4}}});
  auto f = SafetensorsFile::open(p);
  ASSERT_EQ(f->tensors().size(), 2u);
  const auto* z = f->find("z.weight");
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(z->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(z->dtype, StDtype::f32);
  EXPECT_EQ(std::memcmp(f->bytes(*z), a.data(), 24), 0);
  EXPECT_EQ(f->find("a.bias")->begin, 0u);  // laid out in name order
  EXPECT_EQ(reinterpret_cast<uintptr_t>(f->bytes(*z)) % 4, 0u);
  EXPECT_EQ(f->metadata().at("format"), "pt");
  std::filesystem::remove(p);
}

TEST(Safetensors, Truncated) {
  std::string h = R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})";
  auto p = write_raw("trunc", raw(h, 12));
  EXPECT_EQ(open_error(p), p + ": w: data_offsets: [0, 16] out of range (data is 12 bytes; file truncated?)");
  p = write_raw("trunc2", raw(h, 16).substr(0, 20));
  EXPECT_NE(open_error(p).find(p + ": truncated: header length"), std::string::npos);
  p = write_raw("trunc3", "abc");
  EXPECT_EQ(open_error(p), p + ": truncated: shorter than the 8-byte header length");
}

TEST(Safetensors, OffsetsOutOfRangeOverlappingOrHoles) {
  auto p = write_raw("range", raw(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})", 8));
  EXPECT_NE(open_error(p).find(p + ": w: data_offsets: [8, 12] out of range"), std::string::npos);
  p = write_raw("overlap", raw(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12));
  EXPECT_EQ(open_error(p), p + ": b: data_offsets: overlap another tensor");
  p = write_raw("hole", raw(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})", 12));
  EXPECT_NE(open_error(p).find(p + ": b: data_offsets: hole before this tensor"), std::string::npos);
  p = write_raw("back", raw(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", 4));
  EXPECT_EQ(open_error(p), p + ": a: data_offsets: end before begin");
  p = write_raw("trail", raw(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 8));
  EXPECT_EQ(open_error(p), p + ": data: 4 trailing bytes not indexed by the header");
}

TEST(Safetensors, SizeDtypeAndHeaderErrors) {
  auto p = write_raw("size", raw(R"({"w":{"dtype":"BF16","shape":[3],"data_offsets":[0,4]}})", 4));
  EXPECT_EQ(open_error(p), p + ": w: data_offsets: 4 bytes, but BF16 x shape needs 6");
  p = write_raw("dtype", raw(R"({"w":{"dtype":"F8","shape":[4],"data_offsets":[0,4]}})", 4));
  EXPECT_EQ(open_error(p), p + ": w: dtype: unknown 'F8'");
  p = write_raw("shape", raw(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4));
  EXPECT_EQ(open_error(p), p + ": w: shape: expected non-negative integers");
  p = write_raw("json", raw(R"({"w":)", 4));
  EXPECT_EQ(open_error(p), p + ": header: not a JSON object");
  std::string big(8, '\xff');
  p = write_raw("huge", big + "{}");
  EXPECT_NE(open_error(p).find("too large"), std::string::npos);
  p = write_raw("meta", raw(R"({"__metadata__":{"format":1}})", 0));
  EXPECT_EQ(open_error(p), p + ": __metadata__: format: expected a string");
  EXPECT_EQ(open_error(tmp("does-not-exist")).find(tmp("does-not-exist") + ": cannot open"), 0u);
}

TEST(Safetensors, UnalignedHeaderStillReads) {
  // A header whose length is not a multiple of 8 (allowed by the format).
  std::string h = R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  ASSERT_NE(h.size() % 4, 0u);
  auto p = write_raw("unaligned", raw(h, 4));
  auto f = SafetensorsFile::open(p);
  EXPECT_EQ(f->find("w")->numel(), 1);
}

}  // namespace
}  // namespace rlvr
