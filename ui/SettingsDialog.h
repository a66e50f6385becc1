// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"
#include "model/VaultHeader.h"

#include <QDialog>
#include <QFutureWatcher>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace coffer::ui {

class DeviceUnlock;
class MessageBanner;
class VaultSession;

/// File > Settings…: Security (timeouts, lock on screen lock, serving coffer-cli, remember on this device), Vault (the
/// KDF cost of the open vault, with a measured unlock time) and Appearance (theme). OK saves through Settings; the
/// caller applies them. A new KDF cost re-encrypts the vault on a worker thread after checking the master password.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(VaultSession& session, DeviceUnlock& deviceUnlock, QWidget* parent = nullptr);
    ~SettingsDialog() override;

    /// The cost chosen in the Vault group.
    [[nodiscard]] model::KdfCost chosenCost() const;
    [[nodiscard]] bool isBusy() const noexcept { return m_busy; }

    void accept() override;
    void reject() override;

Q_SIGNALS:
    /// A measurement ended (the label shows the time).
    void measured();

private:
    QWidget* makeSecurityGroup();
    QWidget* makeVaultGroup();
    QWidget* makeAppearanceGroup();
    void load();
    void save();
    void setBusy(bool busy);
    void updateRemember();
    void onCostChanged();
    void onMeasureClicked();
    void onMeasured();
    void onRekeyed();
    void onForgetClicked();

    VaultSession& m_session;
    DeviceUnlock& m_deviceUnlock;
    bool m_busy = false;
    QSpinBox* m_lockAfter = nullptr;
    QSpinBox* m_clipboardClear = nullptr;
    QSpinBox* m_reveal = nullptr;
    QCheckBox* m_lockOnScreenLock = nullptr;
    QCheckBox* m_serveAgent = nullptr;
    QLabel* m_rememberStatus = nullptr;
    QPushButton* m_forget = nullptr;
    QLabel* m_currentCost = nullptr;
    QSpinBox* m_passes = nullptr;
    QComboBox* m_memory = nullptr;
    QPushButton* m_measure = nullptr;
    QLabel* m_measureResult = nullptr;
    QLineEdit* m_password = nullptr;
    QComboBox* m_theme = nullptr;
    MessageBanner* m_error = nullptr;
    QProgressBar* m_busyBar = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QFutureWatcher<double> m_measureWatcher;
    QFutureWatcher<model::Result<void>> m_rekeyWatcher;
};

} // namespace coffer::ui
