// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"
#include "crypto/SecureBuffer.h"
#include "model/ModelError.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "model/VaultHeader.h"

#include <QFutureWatcher>
#include <QObject>

#include <optional>

namespace coffer::ui {

/// Owns the open vault and its Store for the GUI, and runs the slow key derivation of unlock and create on
/// a worker thread (QtConcurrent) so the window stays responsive. Everything else happens on the GUI thread.
///
/// One operation at a time: unlock() and create() are refused (asserted) while busy.
class VaultSession : public QObject {
    Q_OBJECT
public:
    /// `createCost` is the KDF cost of vaults made by create(): KdfCost::defaults() in the app, minimum() in
    /// tests. `author` is recorded on changes; empty means the OS user name.
    explicit VaultSession(model::KdfCost createCost = model::KdfCost::defaults(), QString author = {},
                          QObject* parent = nullptr);
    ~VaultSession() override;

    [[nodiscard]] bool isOpen() const noexcept { return m_store.has_value(); }
    [[nodiscard]] bool isBusy() const noexcept { return m_busy; }
    /// The vault being unlocked or created, or the open one.
    [[nodiscard]] const QString& path() const noexcept { return m_path; }
    [[nodiscard]] const QString& author() const noexcept { return m_author; }
    [[nodiscard]] model::KdfCost createCost() const noexcept { return m_createCost; }
    /// The open vault's store, or nullptr while locked.
    [[nodiscard]] model::Store* store() noexcept { return m_store ? &*m_store : nullptr; }

    /// The open vault, or nullptr while locked (for re-keying and "remember on this device").
    [[nodiscard]] model::Vault* vault() noexcept { return m_store ? &*m_vault : nullptr; }

    /// Opens with a key read from the keychain (fast: no derivation). Emits unlocked() on success; an error
    /// (WrongPassword, Damaged, ...) is returned, not signalled, and leaves the session locked.
    [[nodiscard]] model::Result<void> openWithKey(const QString& path, const crypto::VaultKey& key);
    /// Derives the key on a worker thread, then opens the vault here. Ends with unlocked() or unlockFailed().
    void unlock(const QString& path, crypto::SecureBuffer password);
    /// Creates a new vault at `path` with createCost() on a worker thread. Ends with unlocked() or createFailed().
    void create(const QString& path, crypto::SecureBuffer password);
    /// Closes the vault and wipes its key; emits locked() if it was open. Idempotent.
    void lock();

    /// The OS user name, for `author`.
    [[nodiscard]] static QString systemUserName();

Q_SIGNALS:
    void busyChanged(bool busy);
    void unlocked();
    void unlockFailed(const coffer::model::Error& error);
    void createFailed(const coffer::model::Error& error);
    void locked();
    /// lock() is about to close the open vault: whatever uses its connection stops now.
    void aboutToLock();

private:
    void onKeyDerived();
    void onVaultCreated();
    void setBusy(bool busy);
    void adopt(model::Vault vault);

    model::KdfCost m_createCost;
    QString m_author;
    QString m_path;
    bool m_busy = false;
    // The Store refers to the Vault: it is emplaced after and reset before it.
    std::optional<model::Vault> m_vault;
    std::optional<model::Store> m_store;
    QFutureWatcher<model::Result<crypto::VaultKey>> m_keyWatcher;
    QFutureWatcher<model::Result<model::Vault>> m_createWatcher;
};

} // namespace coffer::ui
