// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to model/ (not for cli/ or ui/): the file-level steps that Vault is built from, kept apart so
// the stored-fixture generator in tests/ can build an old-schema vault exactly the way Vault does.

#include "crypto/Keys.h"
#include "model/Database.h"
#include "model/ModelError.h"
#include "model/VaultHeader.h"

#include <QString>

#include <cstdint>
#include <span>
#include <string_view>

namespace coffer::model::vaultfile {

/// Every page is 4096 bytes (cipher format 1), so a whole vault file is a non-empty multiple of it.
inline constexpr std::int64_t kPageSize = 4096;

/// Which file a path named when it was looked at; compared to notice a file swapped in between two opens.
struct FileIdentity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

struct HeaderRead {
    VaultHeader header;
    std::int64_t size = 0;
    FileIdentity identity;
};

/// Whether a failed system call was reading an existing vault or creating a new one: the same errno
/// means different things to the user (ENOTDIR is "no such vault" on read, "in the way" on create).
enum class Access { Read, Create };

/// Maps an errno to an Error naming `path`.
[[nodiscard]] Error errnoError(int error, const QString& path, Access access);

/// Reads and range-checks the header without following a symbolic link and without deriving anything.
/// FileMissing, PermissionDenied (also for a symbolic link), NotAVault, NewerFormat, Damaged (empty,
/// shorter than a page, not a whole number of pages, absurd cost).
[[nodiscard]] Result<HeaderRead> readHeader(const QString& path);

/// The identity of the file at `path` (not following a symbolic link).
[[nodiscard]] Result<FileIdentity> identityOf(const QString& path);

/// Creates the missing folders above `path`, each 0700 whatever the umask; existing ones are left alone.
/// AlreadyExists when a file stands where a folder should be; PermissionDenied; Io.
[[nodiscard]] Result<void> makeParentFolders(const QString& path);

/// Creates `path` as a new empty file, 0600 whatever the umask, never through a symbolic link.
/// AlreadyExists (also for an empty file or a dangling link), PermissionDenied, Io.
[[nodiscard]] Result<void> createEmptyFile(const QString& path);

/// Removes `path` and its rollback journal; for undoing a create() that failed half-way.
void removeVaultFiles(const QString& path) noexcept;

/// Argon2id of the password with the header's cost, salted with the whole header. Io when it fails
/// (out of memory); slow by design, so call it off the GUI thread.
[[nodiscard]] Result<crypto::VaultKey> deriveKey(std::span<const std::byte> password, const VaultHeader& header);

/// Opens an existing (possibly empty) file read-write without creating it, keys it with the raw key and
/// the header as salt, applies the cipher settings and the connection pragmas (foreign keys,
/// secure_delete, temp_store, journal mode). WrongPassword when the key does not open page 1;
/// PermissionDenied when the file can only be read.
[[nodiscard]] Result<Database> openKeyed(const QString& path, const crypto::VaultKey& key, const VaultHeader& header);

/// PRAGMA quick_check: Damaged unless it says "ok" (any failure while checking is also Damaged).
[[nodiscard]] Result<void> quickCheck(Database& db);
/// PRAGMA integrity_check (quick_check plus index contents and uniqueness), same errors as quickCheck().
[[nodiscard]] Result<void> integrityCheck(Database& db);

/// Re-encrypts the open database into the empty file `target` under a new key and header
/// (ATTACH ... KEY, sqlcipher_export, DETACH). Returns PRAGMA data_version read in the same transaction,
/// so the caller can tell whether another connection wrote to the source after the copy.
[[nodiscard]] Result<std::int64_t> exportTo(Database& db, const QString& target, const crypto::VaultKey& key,
                                            const VaultHeader& header);

/// fsync() of a file, and of the folder holding it (so a create or rename survives a power cut).
[[nodiscard]] Result<void> syncFile(const QString& path);
[[nodiscard]] Result<void> syncFolderOf(const QString& path);

} // namespace coffer::model::vaultfile
