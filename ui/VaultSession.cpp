// SPDX-License-Identifier: Apache-2.0
#include "ui/VaultSession.h"

#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace coffer::ui {

VaultSession::VaultSession(model::KdfCost createCost, QString author, QObject* parent)
    : QObject(parent)
    , m_createCost(createCost)
    , m_author(author.isEmpty() ? systemUserName() : std::move(author)) {
    connect(&m_keyWatcher, &QFutureWatcherBase::finished, this, &VaultSession::onKeyDerived);
    connect(&m_createWatcher, &QFutureWatcherBase::finished, this, &VaultSession::onVaultCreated);
}

// A derivation still running keeps its own copies of path and password and ends on its own; its result is
// then dropped (a created vault is closed). The watchers only stop telling us. Members go in reverse order:
// the Store before the Vault it refers to.
VaultSession::~VaultSession() = default;

QString VaultSession::systemUserName() {
    QString name = qEnvironmentVariable("USER");
    if (name.isEmpty()) {
        name = qEnvironmentVariable("USERNAME");
    }
    return name.isEmpty() ? tr("unknown") : name;
}

void VaultSession::unlock(const QString& path, crypto::SecureBuffer password) {
    Q_ASSERT(!m_busy);
    lock();
    m_path = path;
    setBusy(true);
    m_keyWatcher.setFuture(QtConcurrent::run([path, password = std::move(password)]() mutable {
        auto key = model::Vault::deriveKey(path, password.bytes());
        password.clear();
        return key;
    }));
}

void VaultSession::create(const QString& path, crypto::SecureBuffer password) {
    Q_ASSERT(!m_busy);
    lock();
    m_path = path;
    setBusy(true);
    // Vault::create() derives the key itself, so the whole call runs on the worker. The new vault's connection
    // is used by one thread at a time: the worker until the result is reported, then this one.
    m_createWatcher.setFuture(QtConcurrent::run([path, password = std::move(password), cost = m_createCost]() mutable {
        auto vault = model::Vault::create(path, password.bytes(), cost);
        password.clear();
        return vault;
    }));
}

model::Result<void> VaultSession::openWithKey(const QString& path, const crypto::VaultKey& key) {
    Q_ASSERT(!m_busy);
    lock();
    m_path = path;
    auto vault = model::Vault::open(path, key);
    if (!vault) {
        return std::unexpected(vault.error());
    }
    adopt(std::move(*vault));
    return {};
}

void VaultSession::lock() {
    const bool wasOpen = isOpen();
    if (wasOpen) {
        Q_EMIT aboutToLock();
    }
    m_store.reset();
    if (m_vault) {
        m_vault->lock();
        m_vault.reset();
    }
    if (wasOpen) {
        Q_EMIT locked();
    }
}

void VaultSession::onKeyDerived() {
    auto key = m_keyWatcher.future().takeResult();
    if (!key) {
        setBusy(false);
        Q_EMIT unlockFailed(key.error());
        return;
    }
    auto vault = model::Vault::open(m_path, *key);
    if (!vault) {
        setBusy(false);
        Q_EMIT unlockFailed(vault.error());
        return;
    }
    adopt(std::move(*vault));
}

void VaultSession::onVaultCreated() {
    auto vault = m_createWatcher.future().takeResult();
    if (!vault) {
        setBusy(false);
        Q_EMIT createFailed(vault.error());
        return;
    }
    adopt(std::move(*vault));
}

void VaultSession::adopt(model::Vault vault) {
    m_vault.emplace(std::move(vault));
    m_store.emplace(*m_vault, m_author);
    setBusy(false);
    Q_EMIT unlocked();
}

void VaultSession::setBusy(bool busy) {
    if (m_busy == busy) {
        return;
    }
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

} // namespace coffer::ui
