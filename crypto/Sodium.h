// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/CryptoError.h"

namespace coffer::crypto {

/// Initialises libsodium once per process; safe to call from any thread, any number of times.
/// Returns Error::InitFailed when the library cannot start (no entropy source).
[[nodiscard]] Result<void> initialize() noexcept;

} // namespace coffer::crypto
