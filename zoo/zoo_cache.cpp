#include "zoo/zoo_cache.h"

#include <filesystem>

#include "util/error.h"
#include "util/file.h"

namespace rlvr::zoo {

namespace fs = std::filesystem;

nlohmann::ordered_json zoo_record_read(const std::string& dir, const std::string& record) {
  const std::string path = dir + "/" + record;
  try {
    return nlohmann::ordered_json::parse(file_read(path));
  } catch (const nlohmann::json::exception& e) {
    throw_input(path, std::string("not valid JSON (") + e.what() + ")");
  }
}

bool zoo_cache_hit(const std::string& dir, const std::string& record, const std::string& hash) {
  if (!file_exists(dir + "/" + record)) return false;
  try {
    const auto j = zoo_record_read(dir, record);
    return j.is_object() && j.contains("hash") && j["hash"].is_string() && j["hash"].get<std::string>() == hash;
  } catch (const InputError&) {
    return false;  // a damaged record is a miss: the folder is rebuilt
  }
}

std::string zoo_stage_begin(const std::string& final_dir) {
  const fs::path f(final_dir);
  const fs::path staged = f.parent_path() / std::string(".").append(f.filename().string()).append(".staging");
  std::error_code ec;
  fs::remove_all(staged, ec);
  fs::create_directories(staged, ec);
  if (ec) throw_input(staged.string(), "cannot create folder (" + ec.message() + ")");
  return staged.string();
}

void zoo_stage_commit(const std::string& staged, const std::string& final_dir) {
  std::error_code ec;
  fs::remove_all(final_dir, ec);
  fs::rename(staged, final_dir, ec);
  if (ec) throw_input(final_dir, "cannot move the built folder into place (" + ec.message() + ")");
}

}  // namespace rlvr::zoo
