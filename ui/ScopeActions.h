// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Store.h"

#include <QObject>

class QAction;
class QMenu;
class QWidget;

namespace coffer::ui {

class VaultPage;
class VaultSession;

/// Projects and environments: rename, move up and down, remove (after a confirmation that says what goes with
/// it), protect and colour. The actions apply to the item selected in the project tree; they are in the Edit menu
/// and the tree's context menu. Move Up / Move Down answer Alt+Up / Alt+Down while the tree has focus.
class ScopeActions : public QObject {
    Q_OBJECT
public:
    /// Dialogs open over `window`.
    ScopeActions(VaultSession& session, VaultPage& page, QWidget* window);

    /// Appends the actions to `menu` (the Edit menu) and gives them to the tree as its context menu.
    void addTo(QMenu* menu);
    /// Enables what applies to the tree's selection, and names the actions after it (project or environment).
    void updateEnabled();

Q_SIGNALS:
    /// Something in the vault changed (the status bar counts follow).
    void vaultChanged();

private:
    void onRenameTriggered();
    void onMoveUpTriggered();
    void onMoveDownTriggered();
    void onRemoveTriggered();
    void onProtectedToggled(bool isProtected);
    void onColourChosen(const QString& colour);
    void onOtherColourTriggered();
    void move(int delta);
    void removeProject(model::Store& store, const model::Project& project);
    void removeEnvironment(model::Store& store, const model::Project& project, const model::Environment& environment);
    /// Reads the tree again and selects the environment (or, with an empty name, the project).
    void reloadAndSelect(const QString& projectName, const QString& environmentName);
    [[nodiscard]] bool stillOpen(const model::Store* store) const;
    [[nodiscard]] bool confirmProtectedRemoval(const QString& name);

    VaultSession& m_session;
    VaultPage& m_page;
    QWidget* m_window = nullptr;
    QAction* m_separator = nullptr;
    QAction* m_rename = nullptr;
    QAction* m_moveUp = nullptr;
    QAction* m_moveDown = nullptr;
    QAction* m_remove = nullptr;
    QAction* m_protected = nullptr;
    QMenu* m_colourMenu = nullptr;
};

} // namespace coffer::ui
