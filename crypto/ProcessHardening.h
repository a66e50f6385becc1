// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/CryptoError.h"

namespace coffer::crypto {

/// Disables core dumps (RLIMIT_CORE 0) and makes the process non-dumpable and not ptrace-attachable by
/// others (prctl PR_SET_DUMPABLE 0), so secrets in memory cannot leave through a crash dump or a
/// debugger attached by another process of the same user. Call it first thing in main().
/// Returns Error::Failed if either call fails.
[[nodiscard]] Result<void> hardenProcess() noexcept;

} // namespace coffer::crypto
