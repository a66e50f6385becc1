// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>

class QAction;
class QMenu;
class QMenuBar;
class QWidget;

namespace coffer::model {
class Store;
}

namespace coffer::ui {

class ScopeActions;
class TransferActions;
class VaultPage;
class VaultSession;

/// The Edit menu: new, edit, rename, delete and copy of secrets, new projects and environments, and showing
/// deleted secrets. Runs the dialogs, writes through the session's Store and refreshes the page, keeping the
/// selection. Actions are enabled only when they apply to what is selected.
class MainActions : public QObject {
    Q_OBJECT
public:
    /// Dialogs open over `window`.
    MainActions(VaultSession& session, VaultPage& page, QWidget* window);

    /// Adds the Edit menu to `menuBar`.
    void addMenu(QMenuBar* menuBar);
    /// Enables what applies to the current selection and session.
    void updateEnabled();

    [[nodiscard]] QAction* newSecretAction() const noexcept { return m_newSecret; }
    /// The Edit menu, once addMenu() made it: features append their actions after a separator.
    [[nodiscard]] QMenu* editMenu() const noexcept { return m_editMenu; }

Q_SIGNALS:
    /// Something in the vault changed (the status bar counts follow).
    void vaultChanged();

private:
    void onNewSecretTriggered();
    void onEditSecretTriggered();
    void onRenameSecretTriggered();
    void onDeleteSecretTriggered();
    void onCopyValueTriggered();
    void onNewProjectTriggered();
    void onNewEnvironmentTriggered();
    void onShowDeletedToggled(bool show);
    void onFindTriggered();
    [[nodiscard]] QString scopeText() const;
    [[nodiscard]] bool stillOpen(const model::Store* store) const;
    void reloadTree();

    VaultSession& m_session;
    VaultPage& m_page;
    QWidget* m_window = nullptr;
    QAction* m_newSecret = nullptr;
    QAction* m_editSecret = nullptr;
    QAction* m_renameSecret = nullptr;
    QAction* m_deleteSecret = nullptr;
    QAction* m_copyValue = nullptr;
    QAction* m_showDeleted = nullptr;
    QAction* m_newProject = nullptr;
    QAction* m_newEnvironment = nullptr;
    ScopeActions* m_scopes = nullptr;
    TransferActions* m_transfers = nullptr;
    QMenu* m_editMenu = nullptr;
    QAction* m_find = nullptr;
};

} // namespace coffer::ui
