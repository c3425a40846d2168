// Numbered blocks of work shared among a few threads: a small pool kept by the core (plain C++, no Qt).
#pragma once

#include <atomic>
#include <functional>

namespace ebm {

//! \brief runs body(b) for every b in 0..blocks-1 on up to \a threads threads, the caller's included, handing the
//! blocks out in order; false when *cancel became true before every block had started. An exception thrown by
//! body stops the remaining blocks and is rethrown here, on the caller's thread.
bool parallelBlocks(int blocks, int threads, const std::atomic<bool> *cancel, const std::function<void(int)> &body);

//! \brief the number of hardware threads, at least 1
int hardwareThreads();

//! \brief lowers the calling thread's scheduling priority (Linux: nice +5), so that the GUI thread, at normal
//! priority, gets a core first when the two compete; on an idle core the thread runs at full speed as before.
void runBelowInteractivePriority();

} // namespace ebm
