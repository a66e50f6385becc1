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
class StrengthMeter;

/// Creates a new vault: where it goes, the master password twice, and a plain warning that a lost
/// password cannot be recovered. Create is enabled only for two matching passwords of at least
/// kMinimumPasswordLength characters. A zxcvbn meter ("createStrengthMeter") rates the password as it is typed,
/// counting the vault's file name against it; a weak password is warned about, not refused.
class CreatePage : public QWidget {
    Q_OBJECT
public:
    explicit CreatePage(QWidget* parent = nullptr);

    void setVaultPath(const QString& path);
    [[nodiscard]] QString vaultPath() const;

    /// While the vault is being created: inputs disabled, progress shown.
    void setBusy(bool busy);
    void showError(const QString& message);
    /// Empties both password fields and the error, and puts the cursor in the first field.
    void reset();
    /// Moves the password into guarded memory and empties both fields.
    [[nodiscard]] crypto::SecureBuffer takePassword();

Q_SIGNALS:
    void createRequested();
    void chooseLocationRequested();
    void openExistingRequested();

private:
    void onInputChanged();
    void onCreateClicked();
    [[nodiscard]] bool isAcceptable() const;

    bool m_busy = false;
    PathLabel* m_path = nullptr;
    QLineEdit* m_password = nullptr;
    QLineEdit* m_confirm = nullptr;
    QLabel* m_hint = nullptr;
    StrengthMeter* m_meter = nullptr;
    MessageBanner* m_error = nullptr;
    QProgressBar* m_busyBar = nullptr;
    QLabel* m_busyLabel = nullptr;
    QPushButton* m_create = nullptr;
    QPushButton* m_chooseLocation = nullptr;
    QPushButton* m_openExisting = nullptr;
};

} // namespace coffer::ui
