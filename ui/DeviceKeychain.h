// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace coffer::ui {

/// How a keychain job ended.
enum class KeychainStatus { Ok, NotFound, Unavailable, Failed };

/// Vault keys in the OS keychain (Secret Service on Linux) through Qt Keychain, service "Coffer". Every job is
/// asynchronous: the callback runs later on this thread, never inside the call, and never after this object is
/// destroyed. No insecure fallback: without a keychain every job ends Unavailable.
///
/// An entry is named after the vault's canonical path and its 16-byte header, which holds the KDF salt: a file
/// put in the vault's place (or the vault re-keyed) has another name, so it cannot pick up the stored key.
class DeviceKeychain : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(KeychainStatus status, const QString& message)>;
    using KeyRead =
        std::function<void(KeychainStatus status, std::optional<crypto::VaultKey> key, const QString& message)>;

    static constexpr const char* kService = "Coffer";

    explicit DeviceKeychain(QObject* parent = nullptr);
    ~DeviceKeychain() override;

    /// The entry for the vault at `vaultPath` as its file is now; empty when its header cannot be read.
    [[nodiscard]] static QString entryName(const QString& vaultPath);

    /// Whether a keychain answers: a read of an entry that does not exist ends NotFound on a working keychain.
    /// `done` gets Ok or Unavailable (with the reason to show).
    void probe(Done done);
    /// Stores (or replaces) `key` under `entry`.
    void store(const QString& entry, const crypto::VaultKey& key, Done done);
    /// Reads the key under `entry`: Ok with the key, NotFound, Unavailable or Failed.
    void read(const QString& entry, KeyRead done);
    /// Deletes `entry`; a missing entry counts as deleted (Ok).
    void forget(const QString& entry, Done done);

    /// What the user is told when no keychain answers.
    [[nodiscard]] static QString unavailableReason();
};

} // namespace coffer::ui
