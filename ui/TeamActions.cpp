// SPDX-License-Identifier: Apache-2.0
#include "ui/TeamActions.h"

#include "sync/SyncController.h"
#include "sync/SyncEngine.h"
#include "sync/TeamService.h"
#include "ui/Confirm.h"
#include "ui/ConflictDialog.h"
#include "ui/RotationListDialog.h"
#include "ui/ShortcutText.h"
#include "ui/SyncStatusWidget.h"
#include "ui/TeamClient.h"
#include "ui/TeamPage.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QDialog>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QVBoxLayout>

namespace coffer::ui {

using shortcuts::makeAction;

TeamActions::TeamActions(VaultSession& session, VaultPage& page, ClipboardGuard& clipboard, QWidget* window)
    : QObject(window)
    , m_session(session)
    , m_page(page)
    , m_clipboard(clipboard)
    , m_window(window) {
    m_teamAction = makeAction(this, tr("&Team\u2026"), "teamAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T),
                              tr("Members, invites, access and the fingerprints of the vault's team"));
    m_syncNowAction = makeAction(this, tr("&Sync Now"), "syncNowAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
                                 tr("Pull the team's changes and push yours now"));
    m_conflictsAction = makeAction(this, tr("Resolve &Conflicts\u2026"), "resolveConflictsAction", {},
                                   tr("Secrets changed on two devices at once"));
    m_rotationAction = makeAction(this, tr("&Rotation List\u2026"), "rotationListAction", {},
                                  tr("Secrets a removed member could read, until each gets a new value"));
    m_status = new SyncStatusWidget(window);

    connect(m_teamAction, &QAction::triggered, this, &TeamActions::showTeam);
    connect(m_conflictsAction, &QAction::triggered, this, &TeamActions::showConflicts);
    connect(m_rotationAction, &QAction::triggered, this, &TeamActions::showRotationList);
    connect(m_status, &SyncStatusWidget::conflictsRequested, this, &TeamActions::showConflicts);
    connect(m_status, &SyncStatusWidget::integrityDetailsRequested, this, &TeamActions::onIntegrityDetails);
    connect(m_syncNowAction, &QAction::triggered, m_status, &SyncStatusWidget::syncNowRequested);
    connect(&m_session, &VaultSession::unlocked, this, &TeamActions::onUnlocked);
    connect(&m_session, &VaultSession::aboutToLock, this, &TeamActions::onAboutToLock);
    updateEnabled();
}

TeamActions::~TeamActions() {
    // The window locked its session before its children went (MainWindow's destructor), which ran
    // onAboutToLock(). What may be left is ours alone: the session and the widgets may already be gone here.
    stopSync();
}

void TeamActions::addTo(QMenuBar* menuBar, QStatusBar* statusBar) {
    m_menu = menuBar->addMenu(tr("Te&am"));
    m_menu->setObjectName(QStringLiteral("teamMenu"));
    m_menu->addAction(m_teamAction);
    m_menu->addSeparator();
    m_menu->addAction(m_syncNowAction);
    m_menu->addAction(m_conflictsAction);
    m_menu->addAction(m_rotationAction);
    for (QAction* action : m_menu->actions()) {
        m_window->addAction(action);
    }
    statusBar->addPermanentWidget(m_status);
}

void TeamActions::updateEnabled() {
    const bool open = m_session.isOpen();
    m_teamAction->setEnabled(open);
    m_syncNowAction->setEnabled(open && m_controller != nullptr);
    m_conflictsAction->setEnabled(open && m_localEngine != nullptr);
    m_rotationAction->setEnabled(open && m_localTeam != nullptr);
}

SyncStatusWidget* TeamActions::statusWidget() const {
    return m_status;
}

TeamPage* TeamActions::teamPage() {
    if (m_teamPage == nullptr) {
        m_teamWindow = new QDialog(m_window);
        m_teamWindow->setObjectName(QStringLiteral("teamWindow"));
        m_teamWindow->setWindowTitle(tr("Team"));
        m_teamWindow->setModal(false);
        m_teamWindow->resize(900, 640);
        m_teamPage = new TeamPage(m_clipboard, m_teamWindow);
        m_teamPage->setDefaultName(m_session.author());
        auto* layout = new QVBoxLayout(m_teamWindow);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(m_teamPage);
        connect(m_teamPage, &TeamPage::rotationListRequested, this, &TeamActions::showRotationList);
        connect(m_teamPage, &TeamPage::teamChanged, this, [this] {
            if (m_controller != nullptr) {
                m_controller->syncNow();
            }
        });
        m_teamPage->setClient(m_client);
    }
    return m_teamPage;
}

void TeamActions::showTeam() {
    if (!m_session.isOpen()) {
        return;
    }
    const bool made = m_teamPage == nullptr;
    TeamPage* page = teamPage(); // a new page reads the team itself
    if (!made && !m_teamWindow->isVisible()) {
        page->refresh();
    }
    m_teamWindow->show();
    m_teamWindow->raise();
    m_teamWindow->activateWindow();
}

void TeamActions::suspend() {
    onAboutToLock();
}

void TeamActions::resume() {
    if (m_session.isOpen()) {
        onUnlocked();
    }
}

void TeamActions::onUnlocked() {
    onAboutToLock();
    model::Vault* vault = m_session.vault();
    model::Store* store = m_session.store();
    if (vault == nullptr || store == nullptr) {
        return;
    }
    m_localEngine = std::make_unique<sync::SyncEngine>(*vault, *store);
    m_localTeam = std::make_unique<sync::TeamService>(*vault, *store, *m_localEngine);
    m_client = new TeamClient(m_session.path(), vault->key(), m_session.author(), sync::makeCurlTransport, this);
    m_controller = new sync::SyncController(m_session.path(), vault->key(), sync::makeCurlTransport, this);
    m_controller->setInterval(std::chrono::seconds(60));
    m_status->attach(m_controller);
    connect(m_controller, &sync::SyncController::synced, this,
            [this](const sync::SyncReport& /*report*/, bool anythingChanged) { onSynced(anythingChanged); });
    if (m_teamPage != nullptr) {
        m_teamPage->setClient(m_client);
    }
    m_controller->start();
    updateEnabled();
}

void TeamActions::onAboutToLock() {
    // Windows that show team data close first; then the threads stop (each waits for its running call).
    if (m_conflicts != nullptr) {
        m_conflicts->close();
        delete m_conflicts;
        m_conflicts = nullptr;
    }
    if (m_rotation != nullptr) {
        m_rotation->close();
        delete m_rotation;
        m_rotation = nullptr;
    }
    if (m_teamPage != nullptr) {
        m_teamWindow->hide();
        m_teamPage->setClient(nullptr);
    }
    if (m_status != nullptr) {
        m_status->attach(nullptr);
    }
    stopSync();
    updateEnabled();
}

void TeamActions::stopSync() {
    if (m_controller != nullptr) {
        m_controller->stop();
        delete m_controller;
        m_controller = nullptr;
    }
    delete m_client;
    m_client = nullptr;
    m_localTeam.reset();
    m_localEngine.reset();
}

void TeamActions::reloadKeepingSelection() {
    model::Store* store = m_session.store();
    if (store == nullptr) {
        return;
    }
    const model::Project* project = m_page.currentProject();
    const model::Environment* environment = m_page.currentEnvironment();
    const model::SecretSummary* secret = m_page.currentSecret();
    const QString projectName = project != nullptr ? project->name : QString();
    const QString environmentName = environment != nullptr ? environment->name : QString();
    const QString secretName = secret != nullptr ? secret->name : QString();
    if (!m_page.load(*store)) {
        return;
    }
    if (!environmentName.isEmpty() && m_page.selectEnvironment(projectName, environmentName) && !secretName.isEmpty()) {
        m_page.selectSecret(secretName);
    }
    Q_EMIT vaultChanged();
}

void TeamActions::onSynced(bool anythingChanged) {
    if (anythingChanged) {
        reloadKeepingSelection();
    }
    if (m_conflicts != nullptr && m_conflicts->isVisible()) {
        m_conflicts->refresh();
    }
    if (m_rotation != nullptr && m_rotation->isVisible()) {
        m_rotation->refresh();
    }
}

void TeamActions::showConflicts() {
    model::Store* store = m_session.store();
    if (store == nullptr || m_localEngine == nullptr) {
        return;
    }
    if (m_conflicts == nullptr) {
        ConflictDialog::Source source;
        source.conflicts = [this] { return m_localEngine->conflicts(); };
        source.history = [this](std::int64_t secretId) { return m_session.store()->history(secretId); };
        source.value = [this](std::int64_t secretId, int version) {
            auto value = m_session.store()->value(secretId, version);
            // Revealed like any value: the audit log records it (the conflict names where it lives).
            if (auto open = m_localEngine->conflicts(); value && open) {
                for (const auto& conflict : *open) {
                    if (conflict.secretId == secretId) {
                        static_cast<void>(m_session.store()->audit(QStringLiteral("reveal"), conflict.project,
                                                                   conflict.environment, conflict.name,
                                                                   tr("conflict, version %1").arg(version)));
                        break;
                    }
                }
            }
            return value;
        };
        source.resolve = [this](std::int64_t id, sync::Resolution resolution, std::span<const std::byte> value) {
            return m_localEngine->resolveConflict(id, resolution, value);
        };
        m_conflicts = new ConflictDialog(std::move(source), m_window);
        connect(m_conflicts, &ConflictDialog::resolved, this, [this] {
            reloadKeepingSelection();
            if (m_controller != nullptr) {
                m_controller->syncNow();
            }
        });
    } else {
        m_conflicts->refresh();
    }
    m_conflicts->show();
    m_conflicts->raise();
    m_conflicts->activateWindow();
}

void TeamActions::showRotationList() {
    if (m_localTeam == nullptr) {
        return;
    }
    if (m_rotation == nullptr) {
        m_rotation = new RotationListDialog([this](bool includeDone) { return m_localTeam->rotationList(includeDone); },
                                            m_window);
        connect(m_rotation, &RotationListDialog::secretActivated, this, &TeamActions::onSecretActivated);
    } else {
        m_rotation->refresh();
    }
    m_rotation->show();
    m_rotation->raise();
    m_rotation->activateWindow();
}

void TeamActions::onSecretActivated(const QString& project, const QString& environment, const QString& name) {
    if (m_page.selectEnvironment(project, environment)) {
        m_page.selectSecret(name);
    }
    m_window->raise();
    m_window->activateWindow();
}

void TeamActions::onIntegrityDetails(const QString& message) {
    confirm::inform(m_window, tr("Integrity Error"),
                    tr("%1\n\nNothing from the record that failed the check was applied, shown or exported. Its bytes "
                       "are kept in the vault as evidence for a report (coffer-cli sync --json lists them). This "
                       "environment stays stopped until the cause is understood; the others keep syncing.")
                        .arg(message));
}

} // namespace coffer::ui
