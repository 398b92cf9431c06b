// file.h: whole-file reads and atomic writes with errors that name the file.
#pragma once
#include <string>
#include <string_view>

namespace rlvr {

// Reads a whole file; InputError "PATH: cannot read (reason)" when missing or unreadable.
std::string file_read(const std::string& path);

// Writes via a temporary file (PATH.tmp.PID, so two writers never share one) + rename, so readers
// never see a half-written file. The disk filling or failing: IoError naming PATH, the temporary
// removed and PATH as it was; a path that cannot be opened (no such folder): InputError.
void file_write_atomic(const std::string& path, std::string_view data);

// An exclusive advisory lock (flock) on an existing file or folder, held until destruction, for
// writers that must not run at once (two `golden update` of one golden).
class FileLock {
 public:
  // IoError "PATH: <who> holds its lock; nothing written" when another process holds it.
  FileLock(const std::string& path, const std::string& who);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

bool file_exists(const std::string& path);

}  // namespace rlvr
