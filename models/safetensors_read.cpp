#include "models/safetensors_read.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/file.h"

namespace rlvr {
namespace {

using json = nlohmann::json;

// The reference implementation refuses headers above 100 MB; so do we (a corrupt length field
// must not make us allocate gigabytes).
constexpr uint64_t kMaxHeader = 100ull << 20;

}  // namespace

size_t st_dtype_size(StDtype d) {
  switch (d) {
    case StDtype::f64: case StDtype::i64: return 8;
    case StDtype::f32: case StDtype::i32: return 4;
    case StDtype::f16: case StDtype::bf16: case StDtype::i16: return 2;
    default: return 1;
  }
}

int64_t StTensorInfo::numel() const {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return n;
}

MappedFile::MappedFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_input(path, std::string("cannot open (") + std::strerror(errno) + ")");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw_input(path, "not a regular file");
  }
  size_ = static_cast<size_t>(st.st_size);
  if (size_ > 0) {
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      int e = errno;
      ::close(fd);
      throw_input(path, std::string("cannot mmap (") + std::strerror(e) + ")");
    }
    data_ = static_cast<const uint8_t*>(p);
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
}

std::map<std::string, StTensorInfo> SafetensorsFile::parse_header(const std::string& header_json, uint64_t buffer_size,
                                                                  const std::string& path,
                                                                  std::map<std::string, std::string>* metadata) {
  json h = json::parse(header_json, nullptr, /*allow_exceptions=*/false);
  if (h.is_discarded() || !h.is_object()) throw_input(path, "header: not a JSON object");
  std::map<std::string, StTensorInfo> out;
  for (auto it = h.begin(); it != h.end(); ++it) {
    const std::string& name = it.key();
    const json& v = it.value();
    std::string where = path + ": " + name;
    if (name == "__metadata__") {
      if (!v.is_object()) throw_input(where, "expected an object of strings");
      for (auto m = v.begin(); m != v.end(); ++m) {
        if (!m.value().is_string()) throw_input(where, m.key() + ": expected a string");
        if (metadata) (*metadata)[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    if (!v.is_object()) throw_input(where, "expected an object {dtype, shape, data_offsets}");
    StTensorInfo t{};
    auto dt = v.find("dtype");
    if (dt == v.end() || !dt->is_string()) throw_input(where, "dtype: missing or not a string");
    auto parsed = enum_parse<StDtype>(dt->get<std::string>());
    if (!parsed) throw_input(where, "dtype: unknown '" + dt->get<std::string>() + "'");
    t.dtype = *parsed;
    auto sh = v.find("shape");
    if (sh == v.end() || !sh->is_array()) throw_input(where, "shape: missing or not an array");
    unsigned __int128 numel = 1;
    for (const auto& d : *sh) {
      if (!d.is_number_unsigned()) throw_input(where, "shape: expected non-negative integers");
      t.shape.push_back(d.get<int64_t>());
      numel *= static_cast<uint64_t>(t.shape.back());
      if (numel > (static_cast<unsigned __int128>(1) << 62)) throw_input(where, "shape: too large");
    }
    auto off = v.find("data_offsets");
    if (off == v.end() || !off->is_array() || off->size() != 2 || !(*off)[0].is_number_unsigned() ||
        !(*off)[1].is_number_unsigned())
      throw_input(where, "data_offsets: expected [begin, end]");
    t.begin = (*off)[0].get<uint64_t>();
    t.end = (*off)[1].get<uint64_t>();
    if (t.end < t.begin) throw_input(where, "data_offsets: end before begin");
    if (t.end > buffer_size)
      throw_input(where, "data_offsets: [" + std::to_string(t.begin) + ", " + std::to_string(t.end) +
                             "] out of range (data is " + std::to_string(buffer_size) + " bytes; file truncated?)");
    unsigned __int128 want = numel * st_dtype_size(t.dtype);
    if (want != t.end - t.begin)
      throw_input(where, "data_offsets: " + std::to_string(t.end - t.begin) + " bytes, but " + st_dtype_name(t.dtype) +
                             " x shape needs " + std::to_string(static_cast<uint64_t>(want)));
    out.emplace(name, std::move(t));
  }
  // Offsets must tile the buffer: sorted by begin, each starts where the previous ended.
  std::vector<std::pair<const std::string*, const StTensorInfo*>> order;
  for (auto& [n, t] : out) order.push_back({&n, &t});
  std::sort(order.begin(), order.end(), [](auto& a, auto& b) {
    return a.second->begin != b.second->begin ? a.second->begin < b.second->begin : a.second->end < b.second->end;
  });
  uint64_t at = 0;
  for (auto& [n, t] : order) {
    if (t->begin < at) throw_input(path + ": " + *n, "data_offsets: overlap another tensor");
    if (t->begin > at) throw_input(path + ": " + *n, "data_offsets: hole before this tensor (bytes " + std::to_string(at) + ".." + std::to_string(t->begin) + " unindexed)");
    at = t->end;
  }
  if (at != buffer_size)
    throw_input(path, "data: " + std::to_string(buffer_size - at) + " trailing bytes not indexed by the header");
  return out;
}

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const std::string& path) {
  auto f = std::shared_ptr<SafetensorsFile>(new SafetensorsFile());
  f->path_ = path;
  f->map_ = std::make_unique<MappedFile>(path);
  const uint8_t* p = f->map_->data();
  size_t size = f->map_->size();
  if (size < 8) throw_input(path, "truncated: shorter than the 8-byte header length");
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | p[i];
  if (n > kMaxHeader) throw_input(path, "header length " + std::to_string(n) + " too large");
  if (n > size - 8) throw_input(path, "truncated: header length " + std::to_string(n) + " exceeds the file");
  std::string header(reinterpret_cast<const char*>(p + 8), n);
  if (header.empty() || header[0] != '{') throw_input(path, "header: must start with '{'");
  f->buffer_ = p + 8 + n;
  f->tensors_ = parse_header(header, size - 8 - n, path, &f->metadata_);
  return f;
}

const StTensorInfo* SafetensorsFile::find(const std::string& name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

SafetensorsSet SafetensorsSet::open_dir(const std::string& dir) {
  SafetensorsSet s;
  std::string single = dir + "/model.safetensors";
  std::string index = dir + "/model.safetensors.index.json";
  if (file_exists(index)) {
    s.where_ = index;
    json j = json::parse(file_read(index), nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw_input(index, "not a JSON object");
    auto wm = j.find("weight_map");
    if (wm == j.end() || !wm->is_object()) throw_input(index, "weight_map: missing or not an object");
    std::map<std::string, std::shared_ptr<SafetensorsFile>> shards;
    std::map<std::string, std::vector<std::string>> by_shard;
    for (auto it = wm->begin(); it != wm->end(); ++it) {
      if (!it.value().is_string()) throw_input(index, "weight_map: " + it.key() + ": expected a file name");
      std::string shard = it.value().get<std::string>();
      if (shard.empty() || shard.find('/') != std::string::npos || shard == "." || shard == "..")
        throw_input(index, "weight_map: " + it.key() + ": bad shard name '" + shard + "'");
      if (!shards.count(shard)) {
        std::string sp = dir + "/" + shard;
        if (!file_exists(sp)) throw_input(index, "weight_map: " + it.key() + ": shard '" + shard + "' missing");
        auto f = SafetensorsFile::open(sp);
        shards[shard] = f;
        s.files_.push_back(f);
      }
      const SafetensorsFile* f = shards[shard].get();
      const StTensorInfo* info = f->find(it.key());
      if (!info) throw_input(f->path() + ": " + it.key(), "missing tensor (the index maps it to this shard)");
      s.index_[it.key()] = Entry{f, info};
    }
  } else if (file_exists(single)) {
    s.where_ = single;
    auto f = SafetensorsFile::open(single);
    s.files_.push_back(f);
    for (auto& [n, t] : f->tensors()) s.index_[n] = Entry{f.get(), &t};
  } else {
    throw_input(dir, "no model.safetensors or model.safetensors.index.json");
  }
  return s;
}

SafetensorsSet::Entry SafetensorsSet::get(const std::string& name) const {
  auto it = index_.find(name);
  if (it == index_.end()) throw_input(where_ + ": " + name, "missing tensor");
  return it->second;
}

std::vector<std::string> SafetensorsSet::names() const {
  std::vector<std::string> v;
  for (auto& [n, e] : index_) v.push_back(n);
  return v;
}

}  // namespace rlvr
