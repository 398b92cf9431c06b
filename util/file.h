// file.h: whole-file reads and atomic writes with errors that name the file.
#pragma once
#include <string>
#include <string_view>

namespace rlvr {

// Reads a whole file; InputError "PATH: cannot read (reason)" when missing or unreadable.
std::string file_read(const std::string& path);

// Writes via a temporary file + rename, so readers never see a half-written file.
void file_write_atomic(const std::string& path, std::string_view data);

bool file_exists(const std::string& path);

}  // namespace rlvr
