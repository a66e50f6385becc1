// SPDX-License-Identifier: Apache-2.0
#include "ui/CompareActions.h"

#include "model/Store.h"
#include "ui/CompareDialog.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>

namespace coffer::ui {

CompareActions::CompareActions(VaultSession& session, VaultPage& page, QWidget* window)
    : QObject(window)
    , m_session(session)
    , m_page(page)
    , m_window(window) {
    m_compare = new QAction(tr("&Compare Environments…"), this);
    m_compare->setObjectName(QStringLiteral("compareEnvironmentsAction"));
    m_compare->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_compare->setStatusTip(
        tr("See which secrets of the selected project are missing, equal or different across its environments"));
    m_compare->setToolTip(
        tr("Compare Environments (%1)").arg(m_compare->shortcut().toString(QKeySequence::NativeText)));
    // The shortcut works while the menu is closed.
    m_window->addAction(m_compare);

    connect(m_compare, &QAction::triggered, this, &CompareActions::onCompareTriggered);
    connect(&m_page, &VaultPage::selectionChanged, this, &CompareActions::updateEnabled);
    connect(&m_session, &VaultSession::unlocked, this, &CompareActions::updateEnabled);
    connect(&m_session, &VaultSession::locked, this, &CompareActions::onLocked);
    updateEnabled();
}

void CompareActions::updateEnabled() {
    m_compare->setEnabled(m_session.isOpen() && m_page.currentProject() != nullptr);
}

void CompareActions::onCompareTriggered() {
    const model::Project* project = m_page.currentProject();
    if (!m_session.isOpen() || project == nullptr) {
        return;
    }
    if (m_dialog == nullptr) {
        m_dialog = new CompareDialog(m_session, m_window);
        connect(m_dialog, &CompareDialog::secretActivated, this, &CompareActions::onSecretActivated);
        connect(m_dialog, &CompareDialog::secretsCopied, this, &CompareActions::onSecretsCopied);
    }
    m_dialog->showProject(project->name);
    m_dialog->show();
    m_dialog->raise();
    m_dialog->activateWindow();
}

void CompareActions::onSecretActivated(const QString& project, const QString& environment, const QString& name) {
    if (!m_page.selectEnvironment(project, environment)) {
        return;
    }
    // A deleted secret is not compared, so the name is listed unless it changed meanwhile.
    static_cast<void>(m_page.selectSecret(name));
    m_window->raise();
    m_window->activateWindow();
}

void CompareActions::onSecretsCopied(std::int64_t environmentId) {
    const model::Environment* shown = m_page.currentEnvironment();
    if (shown != nullptr && shown->id == environmentId) {
        const model::SecretSummary* current = m_page.currentSecret();
        m_page.reloadSecrets(current != nullptr ? current->id : 0);
    }
    Q_EMIT vaultChanged();
}

void CompareActions::onLocked() {
    if (m_dialog != nullptr) {
        m_dialog->clear();
        m_dialog->hide();
    }
    updateEnabled();
}

} // namespace coffer::ui
