// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace coffer::ui {

class MessageBanner;
class PathLabel;

/// Unlocks an existing vault with its master password; offers to open another vault or create a new one.
class UnlockPage : public QWidget {
    Q_OBJECT
public:
    explicit UnlockPage(QWidget* parent = nullptr);

    void setVaultPath(const QString& path);
    [[nodiscard]] QString vaultPath() const;

    /// While the key is derived: inputs disabled, progress shown.
    void setBusy(bool busy);
    void showError(const QString& message);
    void clearError();
    /// Empties the password field and puts the cursor in it (after a wrong password, on lock).
    void resetPassword();
    /// Moves the password into guarded memory and empties the field.
    [[nodiscard]] crypto::SecureBuffer takePassword();

    /// "Remember on this device" (objectName "rememberCheck", off by default): enabled only with a keychain;
    /// without one, `reason` is shown under it.
    void setRememberAvailable(bool available, const QString& reason = {});
    [[nodiscard]] bool isRememberChecked() const;
    void setRememberChecked(bool checked);
    /// While the remembered key is read and tried: the password is not needed, and "Type the password instead"
    /// (objectName "typePasswordButton") gives it back.
    void setRememberedUnlock(bool active);
    [[nodiscard]] bool isRememberedUnlock() const noexcept { return m_rememberedUnlock; }

Q_SIGNALS:
    void unlockRequested();
    void openAnotherRequested();
    void createNewRequested();
    /// "Type the password instead" was clicked during a remembered unlock.
    void typePasswordRequested();

private:
    void onPasswordChanged();
    void onUnlockClicked();

    void updateInputs();

    bool m_busy = false;
    bool m_rememberedUnlock = false;
    QCheckBox* m_remember = nullptr;
    QLabel* m_rememberNote = nullptr;
    QPushButton* m_typePassword = nullptr;
    PathLabel* m_path = nullptr;
    QLineEdit* m_password = nullptr;
    MessageBanner* m_error = nullptr;
    QProgressBar* m_busyBar = nullptr;
    QLabel* m_busyLabel = nullptr;
    QPushButton* m_unlock = nullptr;
    QPushButton* m_openAnother = nullptr;
    QPushButton* m_createNew = nullptr;
};

} // namespace coffer::ui
