// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QVariant>

#include <chrono>
#include <span>

namespace coffer::ui {

/// Where a setting lives: for this user on this device, or for one vault on this device.
enum class SettingScope { Device, Vault };

/// One row of the settings table: the QSettings key, its default and, for numbers, its bounds.
struct SettingDefinition {
    const char* key;
    QVariant defaultValue;
    SettingScope scope;
    int minimum = 0;
    int maximum = 0;
};

/// The colours of the window: the desktop's own palette, or ours.
enum class Theme { System, Light, Dark };

/// The app's settings: the one table of definitions and the only code that reads or writes QSettings. Everything
/// here is a preference or a device fact, never a secret: a remembered key lives in the OS keychain, and only the
/// fact that one was stored is kept here. Per-vault facts are keyed by the vault's canonical path.
///
/// Reads clamp to the table's bounds, so a hand-edited settings file cannot set a clipboard timeout of a year.
class Settings {
public:
    static constexpr const char* kLockAfterMinutes = "security/lockAfterMinutes";
    static constexpr const char* kClipboardClearSeconds = "security/clipboardClearSeconds";
    static constexpr const char* kRevealSeconds = "security/revealSeconds";
    static constexpr const char* kLockOnScreenLock = "security/lockOnScreenLock";
    static constexpr const char* kTheme = "appearance/theme";
    static constexpr const char* kRememberOnDevice = "rememberOnDevice";
    static constexpr const char* kServeAgent = "agent/serveWhileUnlocked";

    /// The table: every setting the app has.
    [[nodiscard]] static std::span<const SettingDefinition> definitions();
    /// The row for `key`, or nullptr.
    [[nodiscard]] static const SettingDefinition* find(const char* key);

    /// Lock after this many minutes without input; 0 means never. Default 10.
    [[nodiscard]] static int lockAfterMinutes();
    static void setLockAfterMinutes(int minutes);
    /// Clear a copied secret from the clipboard after this many seconds. Default 20.
    [[nodiscard]] static int clipboardClearSeconds();
    static void setClipboardClearSeconds(int seconds);
    /// Mask a revealed value again after this many seconds. Default 30.
    [[nodiscard]] static int revealSeconds();
    static void setRevealSeconds(int seconds);
    /// Lock when the desktop's screen locks. Default on.
    [[nodiscard]] static bool lockOnScreenLock();
    static void setLockOnScreenLock(bool on);
    /// Serve the open vault to coffer-cli (the agent) while unlocked. Default on.
    [[nodiscard]] static bool serveAgent();
    static void setServeAgent(bool on);
    /// Default System: the desktop's palette is left alone.
    [[nodiscard]] static Theme theme();
    static void setTheme(Theme theme);

    /// Whether this device keeps the key of the vault at `vaultPath` in the OS keychain. Default off.
    [[nodiscard]] static bool rememberOnDevice(const QString& vaultPath);
    /// The keychain entry that holds that key (DeviceKeychain::entryName(): the path and the public header,
    /// no secret), or empty. Kept so that the entry can be deleted once the file no longer matches it.
    [[nodiscard]] static QString rememberedEntry(const QString& vaultPath);
    /// Empty `entry` turns remembering off.
    static void setRememberedEntry(const QString& vaultPath, const QString& entry);

    /// The durations the settings above mean, for IdleLock, ClipboardGuard and SecretDetailPane.
    [[nodiscard]] static std::chrono::milliseconds clipboardClearAfter();
    [[nodiscard]] static std::chrono::milliseconds revealDuration();

    /// The vault's canonical path (symbolic links resolved), or the absolute path when the file does not exist.
    [[nodiscard]] static QString canonicalVaultPath(const QString& path);

    /// The settings file, for tests that check what is (not) in it.
    [[nodiscard]] static QString fileName();

private:
    [[nodiscard]] static int readInt(const char* key);
    static void writeInt(const char* key, int value);
    [[nodiscard]] static QString vaultKey(const QString& vaultPath, const char* key);
};

} // namespace coffer::ui
