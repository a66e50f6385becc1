// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"
#include "model/ModelError.h"
#include "model/VaultHeader.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

namespace coffer::model {

class Database;

/// What can be read about a vault without its password, plus counts once it is open.
struct VaultInfo {
    QString path;
    int formatVersion = 0;
    int cipherFormat = 0;
    KdfCost cost;
    int schemaVersion = 0; ///< 0 when read without the password
    std::int64_t fileSize = 0;
};

/// An unlocked vault file: one SQLCipher database opened with a raw 256-bit key derived from the master
/// password with Argon2id. Move-only; closing (lock() or destruction) wipes the key.
///
/// Unlocking is split so that a GUI can run the slow part on a worker thread:
/// deriveKey() (Argon2id, ~1 s) then open() (fast, checks marker row and PRAGMA quick_check).
class Vault {
public:
    Vault(Vault&&) noexcept;
    Vault& operator=(Vault&&) noexcept;
    ~Vault();

    /// Creates a new vault at `path` (0600 file; missing folders are created 0700). Refuses an existing
    /// file (AlreadyExists), even an empty one. KdfOutOfPolicy for a cost outside floor and ceiling.
    [[nodiscard]] static Result<Vault> create(const QString& path, std::span<const std::byte> password,
                                              KdfCost cost = KdfCost::defaults());

    /// Reads and checks the header only: FileMissing, PermissionDenied, NotAVault, NewerFormat, Damaged
    /// (empty, truncated or absurd header). Fast: never derives a key.
    [[nodiscard]] static Result<VaultInfo> readInfo(const QString& path);

    /// Checks the header, then derives the key (slow; safe on any thread).
    [[nodiscard]] static Result<crypto::VaultKey> deriveKey(const QString& path, std::span<const std::byte> password);

    /// Opens with a derived key: WrongPassword, Damaged (marker row or quick_check), NewerFormat (schema
    /// above ours), plus the readInfo() errors. Migrates an older schema forward.
    [[nodiscard]] static Result<Vault> open(const QString& path, const crypto::VaultKey& key);

    /// deriveKey() then open().
    [[nodiscard]] static Result<Vault> unlock(const QString& path, std::span<const std::byte> password);

    /// Re-encrypts the whole vault under a new password (and optionally a new cost) into a new file that
    /// atomically replaces the old one: a crash leaves the old vault or the new one, never a mix.
    /// Locked, KdfOutOfPolicy, Io; an error before the switch leaves the vault open under the old password,
    /// an error reopening after it leaves the vault locked (the new password opens it).
    [[nodiscard]] Result<void> changePassword(std::span<const std::byte> newPassword,
                                              std::optional<KdfCost> newCost = std::nullopt);

    /// Closes the database and wipes the key. Idempotent.
    void lock() noexcept;
    [[nodiscard]] bool isOpen() const noexcept;

    [[nodiscard]] const QString& path() const noexcept;
    /// Header facts and schema version (requires an open vault).
    [[nodiscard]] VaultInfo info() const;
    /// The raw key, for "remember on this device" (requires an open vault).
    [[nodiscard]] const crypto::VaultKey& key() const;

    /// The full `PRAGMA integrity_check`: reads every page (so every page's HMAC is checked too) and every
    /// index. Damaged with the first problem it names (pages and indexes, never row contents); Locked when
    /// closed. Slower than the quick_check open() runs: for tests (tests/hardening) and diagnostics.
    [[nodiscard]] Result<void> checkIntegrity();

    /// The open database (requires an open vault). For the model layer.
    [[nodiscard]] Database& database();

    /// The default vault path: $XDG_DATA_HOME/coffer/default.coffer (or ~/.local/share/coffer/...).
    [[nodiscard]] static QString defaultPath();

private:
    struct State;
    explicit Vault(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace coffer::model
