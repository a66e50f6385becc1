// SPDX-License-Identifier: Apache-2.0
#include "ui/DeviceUnlock.h"

#include "model/ModelError.h"
#include "ui/DeviceKeychain.h"
#include "ui/Settings.h"
#include "ui/UnlockPage.h"
#include "ui/VaultSession.h"

#include <utility>

namespace coffer::ui {

DeviceUnlock::DeviceUnlock(VaultSession& session, UnlockPage& page, DeviceKeychain& keychain, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_page(page)
    , m_keychain(keychain) {
    connect(&m_page, &UnlockPage::unlockRequested, this, &DeviceUnlock::onUnlockRequested);
    connect(&m_page, &UnlockPage::typePasswordRequested, this, &DeviceUnlock::onTypePasswordRequested);
    connect(&m_session, &VaultSession::unlocked, this, &DeviceUnlock::onSessionUnlocked);
    m_keychain.probe([this](KeychainStatus status, const QString& message) {
        m_known = true;
        m_available = status == KeychainStatus::Ok;
        m_page.setRememberAvailable(m_available, message);
        if (m_available) {
            m_page.setRememberChecked(Settings::rememberOnDevice(m_page.vaultPath()));
        }
        Q_EMIT availabilityChanged(m_available);
    });
}

void DeviceUnlock::pageShown(const QString& path) {
    ++m_attempt;
    m_page.setRememberedUnlock(false);
    m_page.setRememberChecked(Settings::rememberOnDevice(path));
}

void DeviceUnlock::tryRemembered(const QString& path) {
    const QString stored = Settings::rememberedEntry(path);
    if (stored.isEmpty()) {
        return;
    }
    const QString entry = DeviceKeychain::entryName(path);
    if (entry != stored) {
        // Another file at this path, or the vault was re-keyed elsewhere: the old key must not be tried.
        dropRemembered(path, tr("This vault file is not the one whose key was remembered on this device (it was "
                                "replaced or its password changed), so that key was forgotten. Enter the password."));
        return;
    }
    const quint64 attempt = ++m_attempt;
    m_page.setRememberedUnlock(true);
    m_keychain.read(entry, [this, attempt, path](KeychainStatus status, std::optional<crypto::VaultKey> key,
                                                 const QString& message) {
        if (attempt != m_attempt || m_session.isBusy() || m_session.isOpen()) {
            return; // the user chose to type the password, or opened another vault
        }
        m_page.setRememberedUnlock(false);
        if (status == KeychainStatus::NotFound) {
            Settings::setRememberedEntry(path, {});
            m_page.setRememberChecked(false);
            m_page.showError(tr("The key remembered on this device is no longer in the keychain. Enter the password."));
            return;
        }
        if (status != KeychainStatus::Ok || !key) {
            // Not the key's fault (keychain locked or gone): keep it for next time.
            m_page.showError(tr("The remembered key could not be read: %1 Enter the password.").arg(message));
            return;
        }
        m_openingWithKey = true;
        auto opened = m_session.openWithKey(path, *key);
        m_openingWithKey = false;
        if (!opened) {
            if (opened.error().code == model::ErrorCode::WrongPassword) {
                dropRemembered(path, tr("The key remembered on this device no longer opens this vault (its password "
                                        "was changed or the file was replaced), so it was forgotten. Enter the "
                                        "password."));
            } else {
                m_page.showError(opened.error().message());
            }
        }
    });
}

void DeviceUnlock::onTypePasswordRequested() {
    ++m_attempt;
    m_page.setRememberedUnlock(false);
}

void DeviceUnlock::onUnlockRequested() {
    m_storeAfterUnlock = m_page.isRememberChecked();
    m_pendingPath = m_page.vaultPath();
}

void DeviceUnlock::onSessionUnlocked() {
    if (m_openingWithKey) {
        return;
    }
    const QString path = m_session.path();
    const bool store = std::exchange(m_storeAfterUnlock, false) && path == m_pendingPath;
    if (store && m_available) {
        storeKey(path);
    } else if (!store && path == m_pendingPath && Settings::rememberOnDevice(path)) {
        // Unlocked with the box cleared: the user no longer wants the key kept here.
        forget(path);
    }
    m_pendingPath.clear();
}

void DeviceUnlock::storeKey(const QString& path) {
    model::Vault* vault = m_session.vault();
    const QString entry = DeviceKeychain::entryName(path);
    if (vault == nullptr || entry.isEmpty()) {
        return;
    }
    const QString previous = Settings::rememberedEntry(path);
    m_keychain.store(entry, vault->key(), [this, path, entry, previous](KeychainStatus status, const QString& message) {
        if (status != KeychainStatus::Ok) {
            Q_EMIT noticed(tr("The key could not be stored in the keychain: %1").arg(message));
            return;
        }
        Settings::setRememberedEntry(path, entry);
        if (!previous.isEmpty() && previous != entry) {
            m_keychain.forget(previous, [](KeychainStatus, const QString&) {});
        }
        Q_EMIT noticed(tr("This vault's key is remembered on this device."));
        Q_EMIT rememberedChanged();
    });
}

void DeviceUnlock::forget(const QString& path) {
    const QString entry = Settings::rememberedEntry(path);
    Settings::setRememberedEntry(path, {});
    m_page.setRememberChecked(false);
    if (entry.isEmpty()) {
        return;
    }
    m_keychain.forget(entry, [this](KeychainStatus status, const QString& message) {
        Q_EMIT noticed(status == KeychainStatus::Ok
                           ? tr("This vault's key is no longer remembered on this device.")
                           : tr("The key could not be deleted from the keychain: %1").arg(message));
        Q_EMIT rememberedChanged();
    });
}

void DeviceUnlock::dropRemembered(const QString& path, const QString& why) {
    forget(path);
    m_page.setRememberedUnlock(false);
    m_page.showError(why);
}

void DeviceUnlock::vaultRekeyed(const QString& path) {
    if (Settings::rememberOnDevice(path) && m_available) {
        storeKey(path); // stores under the new header's entry, then deletes the old one
    } else if (Settings::rememberOnDevice(path)) {
        forget(path);
    }
}

} // namespace coffer::ui
