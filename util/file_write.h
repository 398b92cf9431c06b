// file_write.h: the pieces every writer that replaces a file by rename shares (util/file.cpp,
// models/safetensors_write.cpp).
#pragma once
#include <string>

namespace rlvr {

// The temporary a writer of PATH fills before its rename: PATH.tmp.PID, so two writers never share one.
std::string file_temp_path(const std::string& path);

// A failed write of PATH through TMP, reading errno: TMP is removed, then InputError when PATH could
// not be opened at all (`opening`, and errno says no such folder or no permission: the caller's bad
// input), else IoError (the disk filled or failed: the machine's), both "PATH: WHAT (reason)".
[[noreturn]] void file_write_fail(const std::string& path, const std::string& tmp, const std::string& what, bool opening);

}  // namespace rlvr
