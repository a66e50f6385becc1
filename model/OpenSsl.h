// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace coffer::model {

/// OpenSSL, which SQLCipher and libcurl use, frees its global state in an exit handler of its own. A thread
/// still ending at that moment (Qt waits for a thread only until its run() returns, not until its
/// thread-specific data is freed) then loses the per-thread state OpenSSL keeps for it, and the two race
/// inside OpenSSL. Called before OpenSSL's first use, this tells OpenSSL to leave its global state to the end
/// of the process instead; each thread's own state is still freed when that thread ends. Thread-safe, and
/// only the first call does anything; false if OpenSSL could not start.
bool leaveOpenSslToProcessExit() noexcept;

} // namespace coffer::model
