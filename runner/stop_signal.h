// stop_signal.h: how a long command (train, run, power) stops on SIGINT or SIGTERM. The first signal
// sets the flag: the trainer ends its step and marks the run killed, the scheduler starts no new
// cell. It also restores the default action, so a second signal ends the process at once.
#pragma once
#include <atomic>

namespace rlvr {

std::atomic<bool>& stop_flag();  // the process's one flag (TrainHooks take its address)
inline bool stop_requested() { return stop_flag().load(); }
void stop_on_signals();          // installs the handler for SIGINT and SIGTERM

}  // namespace rlvr
