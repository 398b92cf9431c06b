#include "util/file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "util/error.h"

namespace rlvr {

std::string file_read(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw_input(path, "is a directory, expected a file");
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw_input(path, std::string("cannot read (") + std::strerror(errno) + ")");
  std::string data;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  bool bad = std::ferror(f);
  std::fclose(f);
  if (bad) throw_input(path, "read error");
  return data;
}

void file_write_atomic(const std::string& path, std::string_view data) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw_input(path, std::string("cannot write (") + std::strerror(errno) + ")");
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) throw_input(path, "write failed");
  }
  std::filesystem::rename(tmp, path);
}

bool file_exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

}  // namespace rlvr
