// run_status.h: the life of a run in the results store (runs.status), with one name table that
// parses the database's text and prints it (util/enum_names.h). Torch-free.
#pragma once
#include <cstdint>
#include <ostream>
#include <span>

#include "util/enum_names.h"

namespace rlvr {

// running -> finished | failed | killed; a killed or failed run can be resumed back to running.
enum class RunStatus : uint8_t { running, finished, failed, killed };
constexpr EnumName<RunStatus> kRunStatusNames[] = {{RunStatus::running, "running"},
                                                   {RunStatus::finished, "finished"},
                                                   {RunStatus::failed, "failed"},
                                                   {RunStatus::killed, "killed"}};
constexpr std::span<const EnumName<RunStatus>> enum_names(RunStatus) { return kRunStatusNames; }

inline std::ostream& operator<<(std::ostream& os, RunStatus s) { return os << enum_name(s); }

}  // namespace rlvr
