// safetensors_read.h: memory-mapped reader of HF .safetensors files (and sharded index folders).
//
// Format: 8-byte little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets:
// [begin, end]}, "__metadata__": {str: str}}, then the byte buffer the offsets index. Everything is
// validated up front (truncation, offsets out of range, overlap, holes, size vs dtype x shape), so a
// later read can trust the header. Errors are InputError "FILE: TENSOR: what". No LibTorch here.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "util/enum_names.h"

namespace rlvr {

enum class StDtype : uint8_t { f32, f16, bf16, f64, i64, i32, i16, i8, u8, bool_ };
// The safetensors header's dtype names: one table parses and prints them (util/enum_names.h).
constexpr EnumName<StDtype> kStDtypeNames[] = {
    {StDtype::f32, "F32"}, {StDtype::f16, "F16"}, {StDtype::bf16, "BF16"}, {StDtype::f64, "F64"}, {StDtype::i64, "I64"},
    {StDtype::i32, "I32"}, {StDtype::i16, "I16"},   {StDtype::i8, "I8"},     {StDtype::u8, "U8"},   {StDtype::bool_, "BOOL"}};
constexpr std::span<const EnumName<StDtype>> enum_names(StDtype) { return kStDtypeNames; }

inline const char* st_dtype_name(StDtype d) { return enum_name(d).data(); }  // "F32", ...
size_t st_dtype_size(StDtype d);

// A read-only mmap of a whole file; unmapped on destruction.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);  // InputError "PATH: cannot open (reason)"
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

struct StTensorInfo {
  StDtype dtype;
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;  // offsets in the byte buffer (after the header)
  int64_t numel() const;
};

class SafetensorsFile {
 public:
  // Maps and validates `path`.
  static std::shared_ptr<SafetensorsFile> open(const std::string& path);
  // Validates a header against a buffer size (exposed for tests of corrupt headers).
  static std::map<std::string, StTensorInfo> parse_header(const std::string& header_json, uint64_t buffer_size,
                                                          const std::string& path,
                                                          std::map<std::string, std::string>* metadata = nullptr);

  const std::string& path() const { return path_; }
  const std::map<std::string, StTensorInfo>& tensors() const { return tensors_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const StTensorInfo* find(const std::string& name) const;
  // First byte of a tensor's data (may be unaligned for its dtype).
  const uint8_t* bytes(const StTensorInfo& t) const { return buffer_ + t.begin; }

 private:
  std::string path_;
  std::unique_ptr<MappedFile> map_;
  const uint8_t* buffer_ = nullptr;
  std::map<std::string, StTensorInfo> tensors_;
  std::map<std::string, std::string> metadata_;
};

// All tensors of a HF model folder: model.safetensors, or the shards a model.safetensors.index.json
// names (each shard must exist and hold exactly the tensors the index maps to it).
class SafetensorsSet {
 public:
  static SafetensorsSet open_dir(const std::string& dir);
  struct Entry {
    const SafetensorsFile* file;
    const StTensorInfo* info;
  };
  // InputError "FILE: NAME: missing tensor" when absent.
  Entry get(const std::string& name) const;
  bool contains(const std::string& name) const { return index_.count(name) != 0; }
  std::vector<std::string> names() const;
  // The file errors about the set should name (index or single file).
  const std::string& where() const { return where_; }

 private:
  std::string where_;
  std::vector<std::shared_ptr<SafetensorsFile>> files_;
  std::map<std::string, Entry> index_;
};

}  // namespace rlvr
