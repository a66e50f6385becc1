// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>

namespace coffer::ui {

class DeviceKeychain;
class UnlockPage;
class VaultSession;

/// "Remember on this device": keeps the vault key in the OS keychain after an unlock with the box ticked, and
/// opens the vault with it the next time the window opens that vault. A key that no longer opens the vault, or
/// an entry made for another file at the same path, is deleted and the password asked, with the reason.
///
/// Only opening a vault uses the remembered key: after a lock (by hand, idle or screen lock) the password is
/// asked, or locking would mean nothing.
class DeviceUnlock : public QObject {
    Q_OBJECT
public:
    DeviceUnlock(VaultSession& session, UnlockPage& page, DeviceKeychain& keychain, QObject* parent = nullptr);

    /// Whether a keychain answered (false until the first probe ends, and when none answers).
    [[nodiscard]] bool isKeychainAvailable() const noexcept { return m_available; }
    /// Whether the probe has ended.
    [[nodiscard]] bool isKeychainKnown() const noexcept { return m_known; }

    /// The Unlock page now shows `path`: the box shows whether its key is remembered.
    void pageShown(const QString& path);
    /// The window opened `path`: unlocks with the remembered key, if there is one.
    void tryRemembered(const QString& path);
    /// Deletes the remembered key of `path` (Settings, "Forget on this device").
    void forget(const QString& path);
    /// The open vault was re-encrypted (new password or cost): its remembered key, if any, is replaced.
    void vaultRekeyed(const QString& path);

Q_SIGNALS:
    /// The keychain probe ended.
    void availabilityChanged(bool available);
    /// Something the user should read in the status bar (a key stored, forgotten, or a keychain error).
    void noticed(const QString& message);
    /// A key was stored, replaced or forgotten.
    void rememberedChanged();

private:
    void onUnlockRequested();
    void onSessionUnlocked();
    void onTypePasswordRequested();
    void storeKey(const QString& path);
    void dropRemembered(const QString& path, const QString& why);

    VaultSession& m_session;
    UnlockPage& m_page;
    DeviceKeychain& m_keychain;
    bool m_known = false;
    bool m_available = false;
    bool m_storeAfterUnlock = false;
    bool m_openingWithKey = false;
    // Bumped whenever a remembered unlock is started or abandoned, so that a late keychain answer is dropped.
    quint64 m_attempt = 0;
    QString m_pendingPath;
};

} // namespace coffer::ui
