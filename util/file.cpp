#include "util/file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/error.h"
#include "util/file_write.h"

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

std::string file_temp_path(const std::string& path) { return path + ".tmp." + std::to_string(static_cast<long>(::getpid())); }

void file_write_fail(const std::string& path, const std::string& tmp, const std::string& what, bool opening) {
  const int err = errno;  // of the failing call: ofstream wraps open/write/close and keeps it
  const std::string reason = err ? std::strerror(err) : "unknown reason";
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
  const bool machine = err == ENOSPC || err == EDQUOT || err == EIO || err == EFBIG || err == 0;
  if (opening && !machine) throw_input(path, what + " (" + reason + ")");
  throw_io(path, what + " (" + reason + ")");
}

void file_write_atomic(const std::string& path, std::string_view data) {
  const std::string tmp = file_temp_path(path);
  auto fail = [&](const char* what) { file_write_fail(path, tmp, what, std::string(what) == "cannot write"); };
  {
    errno = 0;
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) fail("cannot write");
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();  // the last buffer is written here: a full disk shows up at close, not at write
    if (out.fail()) fail("write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw_io(path, "cannot replace it (rename: " + ec.message() + ")");
  }
}

FileLock::FileLock(const std::string& path, const std::string& who) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw_input(path, std::string("cannot open to lock (") + std::strerror(errno) + ")");
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK) throw_io(path, who + " holds its lock; nothing written");
    throw_io(path, std::string("cannot lock (") + std::strerror(err) + ")");
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

bool file_exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

}  // namespace rlvr
