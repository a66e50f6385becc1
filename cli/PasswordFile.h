// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/ExitCode.h"
#include "crypto/SecureBuffer.h"

#include <QString>

namespace coffer::cli {

/// The longest password a file or prompt may hold.
inline constexpr std::size_t kMaxPasswordBytes = 4096;

/// Reads a password from `path` for scripts. Refused (exit 5) when the file is readable or writable by
/// group or others, since anyone who can read it has the vault; the permission check is made on the
/// opened file, so it cannot be swapped in between. One trailing "\n" is dropped; nothing else is.
[[nodiscard]] Outcome<crypto::SecureBuffer> readPasswordFile(const QString& path);

} // namespace coffer::cli
