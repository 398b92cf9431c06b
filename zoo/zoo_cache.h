// zoo_cache.h: the build cache. A finished folder holds a record (zoo.json for a member, base.json
// for a base) written last, naming the hash it was built for; a folder whose record is missing,
// unreadable or names another hash is rebuilt.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace rlvr::zoo {

// True when DIR/RECORD exists, parses, and its "hash" equals `hash`.
bool zoo_cache_hit(const std::string& dir, const std::string& record, const std::string& hash);
// DIR/RECORD as JSON; InputError "PATH: not valid JSON" when malformed.
nlohmann::ordered_json zoo_record_read(const std::string& dir, const std::string& record);

// A fresh staging folder next to `final_dir` (removed first if left over by an interrupted build).
std::string zoo_stage_begin(const std::string& final_dir);
// Replaces final_dir by the staged folder (rename; the old folder is removed first).
void zoo_stage_commit(const std::string& staged, const std::string& final_dir);

}  // namespace rlvr::zoo
