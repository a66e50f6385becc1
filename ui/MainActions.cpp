// SPDX-License-Identifier: Apache-2.0
#include "ui/MainActions.h"

#include "model/Names.h"
#include "model/Store.h"
#include "ui/Confirm.h"
#include "ui/NameDialog.h"
#include "ui/ScopeActions.h"
#include "ui/SecretDetailPane.h"
#include "ui/SecretDialog.h"
#include "ui/ShortcutText.h"
#include "ui/TransferActions.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>

namespace coffer::ui {

using shortcuts::makeAction;
MainActions::MainActions(VaultSession& session, VaultPage& page, QWidget* window)
    : QObject(window)
    , m_session(session)
    , m_page(page)
    , m_window(window) {
    m_newSecret = makeAction(this, tr("&New Secret…"), "newSecretAction", QKeySequence(Qt::CTRL | Qt::Key_N),
                             tr("Add a secret to the selected environment"));
    m_editSecret = makeAction(this, tr("&Edit Secret…"), "editSecretAction", QKeySequence(Qt::CTRL | Qt::Key_E),
                              tr("Change the value, note or tags of the selected secret"));
    m_renameSecret = makeAction(this, tr("&Rename Secret…"), "renameSecretAction", QKeySequence(Qt::Key_F2),
                                tr("Rename the selected secret; its history stays with it"));
    m_deleteSecret = makeAction(this, tr("&Delete Secret"), "deleteSecretAction", QKeySequence(Qt::Key_Delete),
                                tr("Delete the selected secret; its history can restore it"));
    m_copyValue = makeAction(this, tr("&Copy Value"), "copyValueAction", QKeySequence(Qt::CTRL | Qt::Key_C),
                             tr("Copy the selected secret's value; the clipboard is cleared after a while"));
    m_showDeleted = makeAction(this, tr("Show De&leted Secrets"), "showDeletedAction", {},
                               tr("List deleted secrets too, so their history can bring them back"));
    m_showDeleted->setCheckable(true);
    m_newProject = makeAction(this, tr("New &Project…"), "newProjectAction",
                              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), tr("Add a project"));
    m_newEnvironment =
        makeAction(this, tr("New En&vironment…"), "newEnvironmentAction",
                   QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), tr("Add an environment to the selected project"));

    m_find = makeAction(this, tr("&Find"), "findAction", QKeySequence::Find,
                        tr("Search names, notes and tags across all projects and environments"));
    connect(m_find, &QAction::triggered, this, &MainActions::onFindTriggered);

    connect(m_newSecret, &QAction::triggered, this, &MainActions::onNewSecretTriggered);
    connect(m_editSecret, &QAction::triggered, this, &MainActions::onEditSecretTriggered);
    connect(m_renameSecret, &QAction::triggered, this, &MainActions::onRenameSecretTriggered);
    connect(m_deleteSecret, &QAction::triggered, this, &MainActions::onDeleteSecretTriggered);
    connect(m_copyValue, &QAction::triggered, this, &MainActions::onCopyValueTriggered);
    connect(m_showDeleted, &QAction::toggled, this, &MainActions::onShowDeletedToggled);
    connect(m_newProject, &QAction::triggered, this, &MainActions::onNewProjectTriggered);
    connect(m_newEnvironment, &QAction::triggered, this, &MainActions::onNewEnvironmentTriggered);
    connect(&m_page, &VaultPage::selectionChanged, this, &MainActions::updateEnabled);
    connect(&m_page, &VaultPage::newProjectRequested, this, &MainActions::onNewProjectTriggered);
    m_scopes = new ScopeActions(m_session, m_page, m_window);
    m_transfers = new TransferActions(m_session, m_page, m_window);
    connect(m_scopes, &ScopeActions::vaultChanged, this, &MainActions::vaultChanged);
    connect(m_transfers, &TransferActions::vaultChanged, this, &MainActions::vaultChanged);
    updateEnabled();
}

void MainActions::addMenu(QMenuBar* menuBar) {
    QMenu* edit = menuBar->addMenu(tr("&Edit"));
    m_editMenu = edit;
    edit->addAction(m_newSecret);
    edit->addAction(m_editSecret);
    edit->addAction(m_renameSecret);
    edit->addAction(m_deleteSecret);
    edit->addSeparator();
    edit->addAction(m_copyValue);
    edit->addSeparator();
    edit->addAction(m_newProject);
    edit->addAction(m_newEnvironment);
    edit->addSeparator();
    edit->addAction(m_showDeleted);
    m_transfers->addTo(edit);
    m_scopes->addTo(edit);
    edit->addSeparator();
    edit->addAction(m_find);
    // Shortcuts work while the menu bar is hidden or the menu closed.
    for (QAction* action : edit->actions()) {
        m_window->addAction(action);
    }
}

void MainActions::updateEnabled() {
    const bool open = m_session.isOpen();
    const model::SecretSummary* secret = open ? m_page.currentSecret() : nullptr;
    const bool live = secret != nullptr && !secret->deleted;
    const model::Environment* environment = open ? m_page.currentEnvironment() : nullptr;
    // A shared environment this member may only read: its secrets are shown, never changed here (the Store
    // would refuse it anyway; greyed out, the menu says so before anyone types a value).
    const bool readOnly = environment != nullptr && environment->readOnly;
    m_newSecret->setEnabled(environment != nullptr && !readOnly);
    m_editSecret->setEnabled(live && !readOnly);
    m_renameSecret->setEnabled(live && !readOnly);
    m_deleteSecret->setEnabled(live && !readOnly);
    m_copyValue->setEnabled(live);
    m_showDeleted->setEnabled(open);
    m_newProject->setEnabled(open);
    m_newEnvironment->setEnabled(open && m_page.currentProject() != nullptr);
    m_scopes->updateEnabled();
    m_transfers->updateEnabled();
    m_find->setEnabled(open);
}

bool MainActions::stillOpen(const model::Store* store) const {
    // The vault may lock (after idle) while a dialog waits for an answer.
    return store != nullptr && m_session.store() == store;
}

QString MainActions::scopeText() const {
    const model::Project* project = m_page.currentProject();
    const model::Environment* environment = m_page.currentEnvironment();
    if (project == nullptr || environment == nullptr) {
        return {};
    }
    return QStringLiteral("%1 \u203a %2").arg(project->name, environment->name);
}

void MainActions::reloadTree() {
    if (model::Store* store = m_session.store(); store != nullptr) {
        static_cast<void>(m_page.load(*store));
    }
    Q_EMIT vaultChanged();
}

void MainActions::onNewSecretTriggered() {
    model::Store* store = m_session.store();
    const model::Environment* environment = m_page.currentEnvironment();
    if (store == nullptr || environment == nullptr) {
        return;
    }
    const std::int64_t environmentId = environment->id;
    SecretDialog dialog(scopeText(), m_window);
    while (dialog.exec() == QDialog::Accepted && stillOpen(store)) {
        // A name in use would silently become an update: refuse it, it is what "new" means.
        if (store->secret(environmentId, dialog.name()).has_value()) {
            dialog.showError(tr("%1 already exists here; choose Edit Secret to change it.").arg(dialog.name()));
            continue;
        }
        auto value = dialog.takeValue();
        auto added = store->setSecret(environmentId, dialog.name(), value.bytes(), dialog.edit());
        if (!added) {
            dialog.showError(added.error().message());
            continue;
        }
        m_page.reloadSecrets(added->id);
        Q_EMIT vaultChanged();
        return;
    }
}

void MainActions::onEditSecretTriggered() {
    model::Store* store = m_session.store();
    const model::SecretSummary* current = m_page.currentSecret();
    if (store == nullptr || current == nullptr || current->deleted) {
        return;
    }
    const model::SecretSummary secret = *current;
    SecretDialog dialog(scopeText(), secret, m_window);
    while (dialog.exec() == QDialog::Accepted && stillOpen(store)) {
        model::Result<model::SecretSummary> changed;
        if (dialog.replacesValue()) {
            auto value = dialog.takeValue();
            changed = store->setSecret(secret.environmentId, secret.name, value.bytes(), dialog.edit());
        } else {
            changed = store->editSecret(secret.id, dialog.edit());
        }
        if (!changed) {
            dialog.showError(changed.error().message());
            continue;
        }
        m_page.reloadSecrets(secret.id);
        Q_EMIT vaultChanged();
        return;
    }
}

void MainActions::onRenameSecretTriggered() {
    model::Store* store = m_session.store();
    const model::SecretSummary* current = m_page.currentSecret();
    if (store == nullptr || current == nullptr || current->deleted) {
        return;
    }
    const std::int64_t secretId = current->id;
    NameDialog dialog(tr("Rename %1").arg(current->name), tr("New &name:"), tr("Rename"), model::checkSecretName,
                      m_window);
    dialog.setName(current->name);
    while (dialog.exec() == QDialog::Accepted && stillOpen(store)) {
        if (auto renamed = store->renameSecret(secretId, dialog.name()); !renamed) {
            dialog.showError(renamed.error().message());
            continue;
        }
        m_page.reloadSecrets(secretId);
        return;
    }
}

void MainActions::onDeleteSecretTriggered() {
    model::Store* store = m_session.store();
    const model::SecretSummary* current = m_page.currentSecret();
    if (store == nullptr || current == nullptr || current->deleted) {
        return;
    }
    const std::int64_t secretId = current->id;
    if (!confirm::ask(m_window, tr("Delete Secret"),
                      tr("Delete %1 from %2? Its history is kept: Show Deleted Secrets lists it, and restoring a "
                         "version brings it back.")
                          .arg(current->name, scopeText()),
                      tr("Delete")) ||
        !stillOpen(store)) {
        return;
    }
    if (auto deleted = store->deleteSecret(secretId); !deleted) {
        confirm::inform(m_window, tr("Delete Secret"), deleted.error().message());
        return;
    }
    m_page.reloadSecrets(secretId);
    Q_EMIT vaultChanged();
}

void MainActions::onCopyValueTriggered() {
    static_cast<void>(m_page.detailPane()->copyValue());
}

void MainActions::onNewProjectTriggered() {
    model::Store* store = m_session.store();
    if (store == nullptr) {
        return;
    }
    NameDialog dialog(tr("New Project"), tr("Project &name:"), tr("Add Project"), model::checkScopeName, m_window);
    while (dialog.exec() == QDialog::Accepted && stillOpen(store)) {
        auto added = store->addProject(dialog.name());
        if (!added) {
            dialog.showError(added.error().message());
            continue;
        }
        reloadTree();
        m_page.selectProject(added->name);
        return;
    }
}

void MainActions::onNewEnvironmentTriggered() {
    model::Store* store = m_session.store();
    const model::Project* project = m_page.currentProject();
    if (store == nullptr || project == nullptr) {
        return;
    }
    const model::Project owner = *project;
    NameDialog dialog(tr("New Environment in %1").arg(owner.name), tr("Environment &name:"), tr("Add Environment"),
                      model::checkScopeName, m_window);
    dialog.enableProtectedChoice();
    while (dialog.exec() == QDialog::Accepted && stillOpen(store)) {
        auto added = store->addEnvironment(owner.id, dialog.name(), dialog.isProtected());
        if (!added) {
            dialog.showError(added.error().message());
            continue;
        }
        reloadTree();
        m_page.selectEnvironment(owner.name, added->name);
        return;
    }
}

void MainActions::onShowDeletedToggled(bool show) {
    m_page.setShowDeleted(show);
}

void MainActions::onFindTriggered() {
    m_page.focusSearch();
}

} // namespace coffer::ui
