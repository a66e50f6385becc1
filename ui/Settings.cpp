// SPDX-License-Identifier: Apache-2.0
#include "ui/Settings.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QSettings>

#include <algorithm>
#include <array>
#include <cstring>

namespace coffer::ui {
namespace {

// The one settings table. Bounds keep each value sensible: a clipboard that never clears or a vault that locks
// after a second are mistakes, not preferences.
const std::array<SettingDefinition, 7>& table() {
    static const std::array<SettingDefinition, 7> rows{{
        {Settings::kLockAfterMinutes, 10, SettingScope::Device, 0, 240},
        {Settings::kClipboardClearSeconds, 20, SettingScope::Device, 5, 300},
        {Settings::kRevealSeconds, 30, SettingScope::Device, 5, 600},
        {Settings::kLockOnScreenLock, true, SettingScope::Device},
        {Settings::kTheme, static_cast<int>(Theme::System), SettingScope::Device, static_cast<int>(Theme::System),
         static_cast<int>(Theme::Dark)},
        {Settings::kRememberOnDevice, QString(), SettingScope::Vault},
        {Settings::kServeAgent, true, SettingScope::Device},
    }};
    return rows;
}

const SettingDefinition& row(const char* key) {
    const SettingDefinition* found = Settings::find(key);
    Q_ASSERT(found != nullptr);
    return *found;
}

QString keyOf(const char* key) {
    return QString::fromLatin1(key);
}

} // namespace

std::span<const SettingDefinition> Settings::definitions() {
    return table();
}

const SettingDefinition* Settings::find(const char* key) {
    const auto& rows = table();
    const auto* it = std::find_if(rows.begin(), rows.end(),
                                  [key](const SettingDefinition& d) { return std::strcmp(d.key, key) == 0; });
    return it == rows.end() ? nullptr : &*it;
}

int Settings::readInt(const char* key) {
    const SettingDefinition& def = row(key);
    bool ok = false;
    const int value = QSettings().value(keyOf(key), def.defaultValue).toInt(&ok);
    return ok ? std::clamp(value, def.minimum, def.maximum) : def.defaultValue.toInt();
}

void Settings::writeInt(const char* key, int value) {
    const SettingDefinition& def = row(key);
    QSettings().setValue(keyOf(key), std::clamp(value, def.minimum, def.maximum));
}

int Settings::lockAfterMinutes() {
    return readInt(kLockAfterMinutes);
}

void Settings::setLockAfterMinutes(int minutes) {
    writeInt(kLockAfterMinutes, minutes);
}

int Settings::clipboardClearSeconds() {
    return readInt(kClipboardClearSeconds);
}

void Settings::setClipboardClearSeconds(int seconds) {
    writeInt(kClipboardClearSeconds, seconds);
}

int Settings::revealSeconds() {
    return readInt(kRevealSeconds);
}

void Settings::setRevealSeconds(int seconds) {
    writeInt(kRevealSeconds, seconds);
}

bool Settings::lockOnScreenLock() {
    return QSettings().value(keyOf(kLockOnScreenLock), row(kLockOnScreenLock).defaultValue).toBool();
}

void Settings::setLockOnScreenLock(bool on) {
    QSettings().setValue(keyOf(kLockOnScreenLock), on);
}

bool Settings::serveAgent() {
    return QSettings().value(keyOf(kServeAgent), row(kServeAgent).defaultValue).toBool();
}

void Settings::setServeAgent(bool on) {
    QSettings().setValue(keyOf(kServeAgent), on);
}

Theme Settings::theme() {
    return static_cast<Theme>(readInt(kTheme));
}

void Settings::setTheme(Theme theme) {
    writeInt(kTheme, static_cast<int>(theme));
}

QString Settings::vaultKey(const QString& vaultPath, const char* key) {
    // A path can hold any character, '/' included, which QSettings reads as groups: the group is a hash of it.
    const QByteArray id =
        QCryptographicHash::hash(canonicalVaultPath(vaultPath).toUtf8(), QCryptographicHash::Sha256).toHex().left(32);
    return QStringLiteral("vaults/%1/%2").arg(QString::fromLatin1(id), keyOf(key));
}

bool Settings::rememberOnDevice(const QString& vaultPath) {
    return !rememberedEntry(vaultPath).isEmpty();
}

QString Settings::rememberedEntry(const QString& vaultPath) {
    return QSettings().value(vaultKey(vaultPath, kRememberOnDevice), row(kRememberOnDevice).defaultValue).toString();
}

void Settings::setRememberedEntry(const QString& vaultPath, const QString& entry) {
    QSettings settings;
    if (entry.isEmpty()) {
        settings.remove(vaultKey(vaultPath, kRememberOnDevice));
    } else {
        settings.setValue(vaultKey(vaultPath, kRememberOnDevice), entry);
    }
}

std::chrono::milliseconds Settings::clipboardClearAfter() {
    return std::chrono::seconds(clipboardClearSeconds());
}

std::chrono::milliseconds Settings::revealDuration() {
    return std::chrono::seconds(revealSeconds());
}

QString Settings::canonicalVaultPath(const QString& path) {
    const QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? info.absoluteFilePath() : canonical;
}

QString Settings::fileName() {
    return QSettings().fileName();
}

} // namespace coffer::ui
