// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"

#include <QWidget>

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

Q_SIGNALS:
    void unlockRequested();
    void openAnotherRequested();
    void createNewRequested();

private:
    void onPasswordChanged();
    void onUnlockClicked();

    bool m_busy = false;
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
