// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/VaultHeader.h"

#include <QMainWindow>

class QAction;
class QLabel;
class QMenu;
class QStackedWidget;

namespace coffer::model {
struct Error;
}

namespace coffer::ui {

class AgentHost;
class AuditDialog;
class ClipboardGuard;
class CompareActions;
class CreatePage;
class DeviceKeychain;
class DeviceUnlock;
class DotenvActions;
class IdleLock;
class MainActions;
class PathLabel;
class SessionLockWatcher;
class SingleInstance;
class TeamActions;
class UnlockPage;
class VaultPage;
class VaultSession;

/// The desktop app's window: creates or unlocks a vault, then shows its contents. One page at a time in a
/// stack (objectName "pageStack"): "createPage", "unlockPage" or "vaultPage".
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// Opens on the Create page when nothing exists at `vaultPath`, else on the Unlock page. `createCost` is
    /// the KDF cost for new vaults (tests pass KdfCost::minimum()).
    explicit MainWindow(const QString& vaultPath, model::KdfCost createCost = model::KdfCost::defaults(),
                        QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Shows the Unlock page for an existing file, the Create page otherwise. Locks an open vault first.
    void openVault(const QString& path);

    [[nodiscard]] VaultSession& session() const noexcept { return *m_session; }
    [[nodiscard]] VaultPage& vaultPage() const noexcept { return *m_vaultPage; }
    [[nodiscard]] ClipboardGuard& clipboard() const noexcept { return *m_clipboard; }
    /// Locks the vault after a while without input.
    [[nodiscard]] IdleLock& idleLock() const noexcept { return *m_idleLock; }
    /// Locks the vault when the screen locks or the machine goes to sleep (the Settings turn it off).
    [[nodiscard]] SessionLockWatcher& sessionLockWatcher() const noexcept { return *m_lockWatcher; }
    /// Claims each vault this window opens from now on, so that no other Coffer opens it too; brings the window
    /// to the front when another Coffer starts on it. Without one (tests) nothing is claimed.
    void setSingleInstance(SingleInstance* instance);
    /// Serves the unlocked vault to coffer-cli at `socketPath` (agent::AgentServer::defaultSocketPath() in the app)
    /// while the Settings allow it; locking stops it at once. Without a path (tests) nothing is served.
    void setAgentSocketPath(const QString& socketPath);
    /// The agent: the server while unlocked and the consent questions for protected environments.
    [[nodiscard]] AgentHost& agentHost() const noexcept { return *m_agent; }
    /// "Remember on this device": the remembered key and the keychain.
    [[nodiscard]] DeviceUnlock& deviceUnlock() const noexcept { return *m_deviceUnlock; }
    /// Applies the settings (timeouts, theme) to the window's parts; called at start and after Settings.
    void applySettings();
    /// The menus features add their actions to. File items go before fileSeparator() (above Quit).
    [[nodiscard]] QMenu* fileMenu() const noexcept { return m_fileMenu; }
    [[nodiscard]] QAction* fileSeparator() const noexcept { return m_fileSeparator; }
    [[nodiscard]] QMenu* viewMenu() const noexcept { return m_viewMenu; }
    [[nodiscard]] QMenu* toolsMenu() const noexcept { return m_toolsMenu; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void createStatusBar();
    void showCreatePage(const QString& path);
    void showUnlockPage(const QString& path);
    void updateWindowState();

    void onUnlockRequested();
    void onCreateRequested();
    void onOpenAnotherRequested();
    void onCreateNewRequested();
    void onBusyChanged(bool busy);
    void onSessionUnlocked();
    void onUnlockFailed(const model::Error& error);
    void onCreateFailed(const model::Error& error);
    void onLockTriggered();
    /// Closes the modal dialogs over the window; false when one refuses (it is busy).
    [[nodiscard]] bool closeDialogs();
    void onReloadTriggered();
    void onClipboardCountdownChanged(int secondsLeft);
    void onSessionLocked();
    void onSessionLockRequested();
    void onActivationRequested();
    void onAuditLogTriggered();
    void onAgentServingChanged(bool serving);
    [[nodiscard]] bool claimVault(const QString& path);
    void onSettingsTriggered();

    VaultSession* m_session = nullptr;
    ClipboardGuard* m_clipboard = nullptr;
    MainActions* m_actions = nullptr;
    CompareActions* m_compare = nullptr;
    DotenvActions* m_dotenvActions = nullptr;
    TeamActions* m_team = nullptr;
    IdleLock* m_idleLock = nullptr;
    SessionLockWatcher* m_lockWatcher = nullptr;
    SingleInstance* m_instance = nullptr;
    AgentHost* m_agent = nullptr;
    AuditDialog* m_auditDialog = nullptr;
    QAction* m_auditAction = nullptr;
    QStackedWidget* m_pages = nullptr;
    CreatePage* m_createPage = nullptr;
    UnlockPage* m_unlockPage = nullptr;
    VaultPage* m_vaultPage = nullptr;
    QMenu* m_fileMenu = nullptr;
    QAction* m_fileSeparator = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_toolsMenu = nullptr;
    QAction* m_lockAction = nullptr;
    QAction* m_reloadAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_settingsAction = nullptr;
    DeviceKeychain* m_keychain = nullptr;
    DeviceUnlock* m_deviceUnlock = nullptr;
    QLabel* m_statusState = nullptr;
    PathLabel* m_statusPath = nullptr;
    QLabel* m_statusCounts = nullptr;
    QLabel* m_statusClipboard = nullptr;
    QLabel* m_statusAgent = nullptr;
};

} // namespace coffer::ui
