// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"
#include "model/ModelError.h"

#include <QString>

#include <cstddef>
#include <optional>
#include <span>

namespace coffer::model {

/// Writes a file that holds secrets so that no reader or crash ever sees a partial one. A temporary file
/// is created beside the target (owner-only 0600, O_EXCL|O_NOFOLLOW), written, fsync'ed and renamed over
/// the target, then the folder is fsync'ed. The result is mode 0600 whatever the umask.
///
/// Refused, and nothing is written: a target that is a symbolic link (PermissionDenied), a target that is
/// not a regular file — FIFO, device, socket, folder — (PermissionDenied), a `fileName` that is not one
/// plain path component (".", "..", anything with '/'; InvalidName), a folder that does not exist
/// (FileMissing). Every step goes through one descriptor of the folder resolved once, so the file lands
/// in that folder even if a path component is swapped for a symlink meanwhile. Other OS failures: Io or
/// PermissionDenied. Error details are sentences for people and never hold file content.
///
/// A process killed while writing leaves the old target intact and at most one temporary file named
/// `.NAME.coffer-tmp-XXXXXX`; the next write to the same target removes such leftovers first.
[[nodiscard]] Result<void> writeFileAtomically(const QString& folder, const QString& fileName,
                                               std::span<const std::byte> bytes);

/// The same for a path: its folder (resolved once) is the chosen folder, its last component the name.
[[nodiscard]] Result<void> writeFileAtomically(const QString& path, std::span<const std::byte> bytes);

/// Writes all of `bytes` to `fd` unbuffered (no copy of a value lingers in a stdio buffer), retrying after
/// EINTR and short writes. false on any other failure.
[[nodiscard]] bool writeAll(int fd, std::span<const std::byte> bytes);

/// Checks, without writing, that writeFileAtomically(path, ...) would accept the target: lets a command
/// refuse before it asks for a password.
[[nodiscard]] Result<void> checkWritableTarget(const QString& path);

/// Reads an existing target the same careful way (never through a symlink, only a regular file) into
/// guarded memory, at most `maxBytes` (TooLarge beyond). nullopt when there is no file.
[[nodiscard]] Result<std::optional<crypto::SecureBuffer>> readRegularFile(const QString& path, std::size_t maxBytes);

/// The prefix of the temporary files made for `fileName` (for tests and cleanup).
[[nodiscard]] QString temporaryPrefix(const QString& fileName);

} // namespace coffer::model
