#include "models/safetensors_write.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/file_write.h"

namespace rlvr {

void safetensors_write(const std::string& path, const std::vector<StTensorView>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  std::vector<const StTensorView*> order;
  for (auto& t : tensors) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->name < b->name; });
  nlohmann::ordered_json h = nlohmann::ordered_json::object();
  if (!metadata.empty()) h["__metadata__"] = metadata;
  uint64_t at = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    const StTensorView& t = *order[i];
    if (i > 0 && t.name == order[i - 1]->name) throw_input(path, t.name + ": duplicate tensor name");
    int64_t numel = 1;
    for (int64_t s : t.shape) numel *= s;
    if (static_cast<uint64_t>(numel) * st_dtype_size(t.dtype) != t.bytes.size())
      throw_input(path, t.name + ": byte size does not match dtype x shape");
    h[t.name] = {{"dtype", st_dtype_name(t.dtype)}, {"shape", t.shape}, {"data_offsets", {at, at + t.bytes.size()}}};
    at += t.bytes.size();
  }
  std::string header = h.dump();
  while ((8 + header.size()) % 8 != 0) header.push_back(' ');
  // Streamed (a 7B checkpoint must not be copied into one string), to PATH.tmp.PID then renamed, so a
  // reader never sees a half-written file.
  const std::string tmp = file_temp_path(path);
  auto fail = [&](const char* what) { file_write_fail(path, tmp, what, std::string(what) == "cannot write"); };
  {
    errno = 0;
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) fail("cannot write");
    char len[8];
    uint64_t n = header.size();
    for (int i = 0; i < 8; ++i) len[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    out.write(len, 8);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (auto* t : order) out.write(reinterpret_cast<const char*>(t->bytes.data()), static_cast<std::streamsize>(t->bytes.size()));
    out.close();  // the last buffer is written here: a full disk shows up at close
    if (out.fail()) fail("write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw_io(path, "cannot rename from " + tmp + " (" + ec.message() + ")");
  }
}

}  // namespace rlvr
