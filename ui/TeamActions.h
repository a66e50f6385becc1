// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QPointer>

#include <memory>

class QAction;
class QDialog;
class QMenu;
class QMenuBar;
class QStatusBar;
class QWidget;

namespace coffer::sync {
class SyncController;
class SyncEngine;
class TeamService;
} // namespace coffer::sync

namespace coffer::ui {

class ClipboardGuard;
class ConflictDialog;
class RotationListDialog;
class SyncStatusWidget;
class TeamClient;
class TeamPage;
class VaultPage;
class VaultSession;

/// Team sync in the main window: the Team menu (Team…, Sync Now, Resolve Conflicts…, Rotation List…), the sync
/// state in the status bar, and what runs while a vault is open: a SyncController (its own thread and vault
/// connection) and a TeamClient (the Team page's calls, likewise off the GUI thread). Local-only reads and
/// conflict resolutions use a SyncEngine over the session's own connection. Everything stops on lock.
class TeamActions : public QObject {
    Q_OBJECT
public:
    TeamActions(VaultSession& session, VaultPage& page, ClipboardGuard& clipboard, QWidget* window);
    ~TeamActions() override;

    /// Adds the Team menu and the status bar widget.
    void addTo(QMenuBar* menuBar, QStatusBar* statusBar);
    void updateEnabled();

    [[nodiscard]] QAction* teamAction() const noexcept { return m_teamAction; }
    [[nodiscard]] SyncStatusWidget* statusWidget() const;
    /// The Team window's page (made on first use).
    [[nodiscard]] TeamPage* teamPage();
    [[nodiscard]] sync::SyncController* controller() const noexcept { return m_controller; }
    [[nodiscard]] TeamClient* client() const noexcept { return m_client; }

    /// Stops sync and the Team page's worker (their connections use the vault key), as lock does; resume()
    /// starts them again with the session's key, which may have changed meanwhile (Settings › re-encrypt).
    void suspend();
    void resume();

    void showTeam();
    void showConflicts();
    void showRotationList();

Q_SIGNALS:
    /// A sync or a resolution changed the vault (the status bar counts follow).
    void vaultChanged();

private:
    void onUnlocked();
    void onAboutToLock();
    /// Stops the sync thread (waiting for its running call) and drops the clients and engines.
    void stopSync();
    void onSynced(bool anythingChanged);
    void onIntegrityDetails(const QString& message);
    void onSecretActivated(const QString& project, const QString& environment, const QString& name);
    void reloadKeepingSelection();

    VaultSession& m_session;
    VaultPage& m_page;
    ClipboardGuard& m_clipboard;
    QWidget* m_window = nullptr;
    QMenu* m_menu = nullptr;
    QAction* m_teamAction = nullptr;
    QAction* m_syncNowAction = nullptr;
    QAction* m_conflictsAction = nullptr;
    QAction* m_rotationAction = nullptr;
    // Widgets of the window: on its destruction they may go before this object does.
    QPointer<SyncStatusWidget> m_status;
    QPointer<QDialog> m_teamWindow;
    QPointer<TeamPage> m_teamPage;
    QPointer<ConflictDialog> m_conflicts;
    QPointer<RotationListDialog> m_rotation;
    sync::SyncController* m_controller = nullptr;
    TeamClient* m_client = nullptr;
    std::unique_ptr<sync::SyncEngine> m_localEngine;
    std::unique_ptr<sync::TeamService> m_localTeam;
};

} // namespace coffer::ui
