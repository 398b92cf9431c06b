// provenance.h: where and with what a run was produced (recorded in every runs row).
// Torch-free: the caller passes the LibTorch version and the thread count it actually uses.
#pragma once
#include <string>

namespace rlvr {

// `git rev-parse HEAD` of the source tree at the last build, with "-dirty" when tracked files
// had uncommitted changes; "unknown" outside a git checkout. Refreshed on every build (not only
// at configure time), so a commit without a re-configure never records a stale hash.
std::string provenance_git_commit();

// gethostname(), "unknown" if it fails.
std::string provenance_host();

// Hardware threads of this machine (std::thread::hardware_concurrency, at least 1). A trainer
// should record the intra-op thread count it really runs with instead.
int provenance_threads();

}  // namespace rlvr
