// SPDX-License-Identifier: Apache-2.0
#include "ui/MainWindow.h"

#include "model/ModelError.h"
#include "model/Store.h"
#include "ui/AgentHost.h"
#include "ui/AuditDialog.h"
#include "ui/ClipboardGuard.h"
#include "ui/CompareActions.h"
#include "ui/Confirm.h"
#include "ui/CreatePage.h"
#include "ui/DeviceKeychain.h"
#include "ui/DeviceUnlock.h"
#include "ui/DotenvActions.h"
#include "ui/GeneratorDialog.h"
#include "ui/Icons.h"
#include "ui/IdleLock.h"
#include "ui/MainActions.h"
#include "ui/PathLabel.h"
#include "ui/SecretDetailPane.h"
#include "ui/SessionLockWatcher.h"
#include "ui/Settings.h"
#include "ui/SettingsDialog.h"
#include "ui/ShortcutText.h"
#include "ui/SingleInstance.h"
#include "ui/TeamActions.h"
#include "ui/Text.h"
#include "ui/Theme.h"
#include "ui/UnlockPage.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>

namespace coffer::ui {
namespace {

const QString& vaultFileFilter() {
    static const QString filter = QObject::tr("Coffer vaults (*.coffer);;All files (*)");
    return filter;
}

QString folderOf(const QString& path) {
    return QFileInfo(path).absolutePath();
}

} // namespace

MainWindow::MainWindow(const QString& vaultPath, model::KdfCost createCost, QWidget* parent)
    : QMainWindow(parent)
    , m_session(new VaultSession(createCost, {}, this))
    , m_clipboard(new ClipboardGuard(this))
    , m_idleLock(new IdleLock(this))
    , m_lockWatcher(new SessionLockWatcher(this)) {
    setObjectName(QStringLiteral("mainWindow"));
    // Before the pages are built: the detail pane's Copy tooltip states the clipboard timeout.
    m_clipboard->setClearAfter(Settings::clipboardClearAfter());
    setWindowIcon(icons::app());
    setMinimumSize(640, 600);
    resize(1100, 700);

    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("pageStack"));
    m_createPage = new CreatePage(m_pages);
    m_unlockPage = new UnlockPage(m_pages);
    m_vaultPage = new VaultPage(*m_clipboard, m_pages);
    m_pages->addWidget(m_createPage);
    m_pages->addWidget(m_unlockPage);
    m_pages->addWidget(m_vaultPage);
    setCentralWidget(m_pages);

    m_actions = new MainActions(*m_session, *m_vaultPage, this);
    m_dotenvActions = new DotenvActions(*m_session, *m_vaultPage, *m_clipboard, this);
    createMenus();
    m_dotenvActions->addToMenus(m_fileMenu, m_fileSeparator, m_actions->editMenu());
    connect(m_dotenvActions, &DotenvActions::vaultChanged, this, &MainWindow::updateWindowState);
    createStatusBar();
    connect(m_actions, &MainActions::vaultChanged, this, &MainWindow::updateWindowState);
    m_team = new TeamActions(*m_session, *m_vaultPage, *m_clipboard, this);
    m_team->addTo(menuBar(), statusBar());
    connect(m_team, &TeamActions::vaultChanged, this, &MainWindow::updateWindowState);

    connect(m_createPage, &CreatePage::createRequested, this, &MainWindow::onCreateRequested);
    connect(m_createPage, &CreatePage::chooseLocationRequested, this, &MainWindow::onCreateNewRequested);
    connect(m_createPage, &CreatePage::openExistingRequested, this, &MainWindow::onOpenAnotherRequested);
    connect(m_unlockPage, &UnlockPage::unlockRequested, this, &MainWindow::onUnlockRequested);
    connect(m_unlockPage, &UnlockPage::openAnotherRequested, this, &MainWindow::onOpenAnotherRequested);
    connect(m_unlockPage, &UnlockPage::createNewRequested, this, &MainWindow::onCreateNewRequested);
    connect(m_session, &VaultSession::busyChanged, this, &MainWindow::onBusyChanged);
    connect(m_session, &VaultSession::unlocked, this, &MainWindow::onSessionUnlocked);
    connect(m_session, &VaultSession::unlockFailed, this, &MainWindow::onUnlockFailed);
    connect(m_session, &VaultSession::createFailed, this, &MainWindow::onCreateFailed);
    connect(m_session, &VaultSession::locked, this, &MainWindow::onSessionLocked);
    connect(m_clipboard, &ClipboardGuard::countdownChanged, this, &MainWindow::onClipboardCountdownChanged);
    connect(m_idleLock, &IdleLock::idleTimedOut, this, &MainWindow::onLockTriggered);
    connect(m_lockWatcher, &SessionLockWatcher::lockRequested, this, &MainWindow::onSessionLockRequested);

    // Connected after onSessionUnlocked: a vault the page cannot load is locked again before it is served.
    m_agent = new AgentHost(*m_session, this, this);
    connect(m_agent, &AgentHost::servingChanged, this, &MainWindow::onAgentServingChanged);
    connect(m_agent, &AgentHost::noticed, this,
            [this](const QString& message) { statusBar()->showMessage(message, 10'000); });
    connect(m_agent, &AgentHost::lockRequested, this, &MainWindow::onLockTriggered);

    m_keychain = new DeviceKeychain(this);
    m_deviceUnlock = new DeviceUnlock(*m_session, *m_unlockPage, *m_keychain, this);
    connect(m_deviceUnlock, &DeviceUnlock::noticed, this,
            [this](const QString& message) { statusBar()->showMessage(message, 10'000); });
    applySettings();

    openVault(vaultPath);
    // Last, so every feature's actions are there: tooltips name their shortcuts.
    shortcuts::showInToolTips(*this);
}

MainWindow::~MainWindow() {
    m_clipboard->clear();
    m_vaultPage->clear();
    m_session->lock();
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_fileMenu = file;
    m_lockAction = file->addAction(icons::lock(), tr("&Lock"));
    m_lockAction->setObjectName(QStringLiteral("lockAction"));
    m_lockAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_lockAction->setStatusTip(tr("Close the vault and forget its key"));
    m_reloadAction = file->addAction(tr("&Reload"));
    m_reloadAction->setObjectName(QStringLiteral("reloadAction"));
    m_reloadAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_reloadAction->setStatusTip(tr("Read the vault again, with changes made by coffer-cli"));
    m_settingsAction = file->addAction(tr("&Settings…"));
    m_settingsAction->setObjectName(QStringLiteral("settingsAction"));
    m_settingsAction->setShortcut(QKeySequence::Preferences);
    if (m_settingsAction->shortcut().isEmpty()) {
        m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    }
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    m_settingsAction->setStatusTip(tr("Timeouts, key derivation cost, remembering on this device and theme"));
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::onSettingsTriggered);
    m_fileSeparator = file->addSeparator();
    m_quitAction = file->addAction(tr("&Quit"));
    m_quitAction->setObjectName(QStringLiteral("quitAction"));
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setMenuRole(QAction::QuitRole);

    connect(m_lockAction, &QAction::triggered, this, &MainWindow::onLockTriggered);
    connect(m_reloadAction, &QAction::triggered, this, &MainWindow::onReloadTriggered);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
    m_actions->addMenu(menuBar());
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_compare = new CompareActions(*m_session, *m_vaultPage, this);
    m_viewMenu->addAction(m_compare->action());
    connect(m_compare, &CompareActions::vaultChanged, this, &MainWindow::updateWindowState);
    m_auditAction = m_viewMenu->addAction(tr("&Audit Log…"));
    m_auditAction->setObjectName(QStringLiteral("auditLogAction"));
    m_auditAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_auditAction->setStatusTip(tr("Who revealed, copied, exported or changed what, on this device"));
    connect(m_auditAction, &QAction::triggered, this, &MainWindow::onAuditLogTriggered);
    m_toolsMenu = menuBar()->addMenu(tr("&Tools"));
    GeneratorDialog::addMenuAction(m_toolsMenu, *m_clipboard, this);
}

void MainWindow::createStatusBar() {
    m_statusState = new QLabel(statusBar());
    m_statusState->setObjectName(QStringLiteral("statusStateLabel"));
    m_statusPath = new PathLabel(statusBar());
    m_statusPath->setObjectName(QStringLiteral("statusPathLabel"));
    m_statusCounts = new QLabel(statusBar());
    m_statusCounts->setObjectName(QStringLiteral("statusCountsLabel"));
    statusBar()->addWidget(m_statusState);
    statusBar()->addWidget(m_statusPath, 1);
    m_statusClipboard = new QLabel(statusBar());
    m_statusClipboard->setObjectName(QStringLiteral("statusClipboardLabel"));
    m_statusClipboard->hide();
    statusBar()->addPermanentWidget(m_statusClipboard);
    m_statusAgent = new QLabel(tr("coffer-cli can use this vault"), statusBar());
    m_statusAgent->setObjectName(QStringLiteral("statusAgentLabel"));
    m_statusAgent->setToolTip(tr("coffer-cli on this computer uses this unlocked vault without asking for the "
                                 "password; reading a protected environment needs your approval here. Settings "
                                 "turn this off."));
    m_statusAgent->hide();
    statusBar()->addPermanentWidget(m_statusAgent);
    statusBar()->addPermanentWidget(m_statusCounts);
}

void MainWindow::onClipboardCountdownChanged(int secondsLeft) {
    m_statusClipboard->setText(secondsLeft > 0 ? tr("Clipboard clears in %1 s").arg(secondsLeft) : QString());
    m_statusClipboard->setVisible(secondsLeft > 0);
}

void MainWindow::setAgentSocketPath(const QString& socketPath) {
    m_agent->setSocketPath(socketPath);
}

void MainWindow::onAgentServingChanged(bool serving) {
    m_statusAgent->setVisible(serving);
}

void MainWindow::onSessionLocked() {
    m_idleLock->stop();
    m_clipboard->clear();
    m_vaultPage->clear();
}

void MainWindow::openVault(const QString& path) {
    if (!claimVault(path)) {
        return;
    }
    m_vaultPage->clear();
    m_session->lock();
    if (QFileInfo::exists(path)) {
        showUnlockPage(path);
        m_deviceUnlock->tryRemembered(path);
    } else {
        showCreatePage(path);
    }
}

void MainWindow::showCreatePage(const QString& path) {
    m_createPage->setVaultPath(path);
    m_pages->setCurrentWidget(m_createPage);
    m_createPage->reset();
    updateWindowState();
}

void MainWindow::showUnlockPage(const QString& path) {
    m_unlockPage->setVaultPath(path);
    m_unlockPage->clearError();
    // Header problems (not a vault, newer format, damaged) are known before any password is typed.
    if (auto info = model::Vault::readInfo(path); !info) {
        m_unlockPage->showError(info.error().message());
    }
    m_pages->setCurrentWidget(m_unlockPage);
    m_unlockPage->resetPassword();
    m_deviceUnlock->pageShown(path);
    updateWindowState();
}

void MainWindow::updateWindowState() {
    const bool open = m_session->isOpen();
    m_lockAction->setEnabled(open);
    m_auditAction->setEnabled(open);
    m_reloadAction->setEnabled(open);
    m_actions->updateEnabled();
    m_dotenvActions->updateEnabled();
    m_team->updateEnabled();

    QString path = m_session->path();
    if (m_pages->currentWidget() == m_createPage) {
        path = m_createPage->vaultPath();
    } else if (m_pages->currentWidget() == m_unlockPage) {
        path = m_unlockPage->vaultPath();
    }
    m_statusPath->setPath(path);
    setWindowTitle(open ? tr("%1 — Coffer").arg(QFileInfo(path).fileName()) : tr("Coffer"));

    if (!open) {
        m_statusState->setText(m_pages->currentWidget() == m_createPage ? tr("New vault:") : tr("Locked:"));
        m_statusCounts->clear();
        return;
    }
    m_statusState->setText(tr("Vault:"));
    auto counts = m_session->store()->counts();
    if (!counts) {
        m_statusCounts->setText(counts.error().message());
        return;
    }
    m_statusCounts->setText(QStringLiteral("%1 \u00b7 %2 \u00b7 %3")
                                .arg(countText(counts->projects, tr("project"), tr("projects")),
                                     countText(counts->environments, tr("environment"), tr("environments")),
                                     countText(counts->secrets, tr("secret"), tr("secrets"))));
}

void MainWindow::onUnlockRequested() {
    if (m_session->isBusy()) {
        return;
    }
    m_session->unlock(m_unlockPage->vaultPath(), m_unlockPage->takePassword());
}

void MainWindow::onCreateRequested() {
    if (m_session->isBusy()) {
        return;
    }
    m_session->create(m_createPage->vaultPath(), m_createPage->takePassword());
}

void MainWindow::onOpenAnotherRequested() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open Vault"), folderOf(m_session->path()), vaultFileFilter());
    if (!path.isEmpty()) {
        openVault(path);
    }
}

void MainWindow::onCreateNewRequested() {
    QString path = QFileDialog::getSaveFileName(this, tr("Create New Vault"), folderOf(m_session->path()),
                                                vaultFileFilter(), nullptr, QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty()) {
        return;
    }
    if (QFileInfo(path).suffix().isEmpty()) {
        path += QStringLiteral(".coffer");
    }
    openVault(path);
}

void MainWindow::onBusyChanged(bool busy) {
    m_createPage->setBusy(busy);
    m_unlockPage->setBusy(busy);
}

void MainWindow::onSessionUnlocked() {
    model::Store* store = m_session->store();
    Q_ASSERT(store != nullptr);
    if (auto loaded = m_vaultPage->load(*store); !loaded) {
        const QString path = m_session->path();
        m_session->lock();
        showUnlockPage(path);
        m_unlockPage->showError(loaded.error().message());
        return;
    }
    m_pages->setCurrentWidget(m_vaultPage);
    m_idleLock->start();
    updateWindowState();
}

void MainWindow::onUnlockFailed(const model::Error& error) {
    m_unlockPage->showError(error.message());
    m_unlockPage->resetPassword();
}

void MainWindow::onCreateFailed(const model::Error& error) {
    m_createPage->reset();
    m_createPage->showError(error.message());
}

void MainWindow::onLockTriggered() {
    if (!m_session->isOpen()) {
        return;
    }
    if (!closeDialogs()) {
        // A dialog is re-encrypting the vault on a worker thread and cannot be closed: lock as soon as it is done.
        QTimer::singleShot(200, this, &MainWindow::onLockTriggered);
        return;
    }
    const QString path = m_session->path();
    m_vaultPage->clear();
    m_session->lock();
    showUnlockPage(path);
}

bool MainWindow::closeDialogs() {
    // Locking hides every view of the vault, dialogs included: an edit in progress is discarded, as on quit. Each
    // dialog's exec() returns once the event loop runs again, and its caller finds the vault locked.
    while (QWidget* modal = QApplication::activeModalWidget()) {
        if (auto* dialog = qobject_cast<QDialog*>(modal); dialog != nullptr) {
            dialog->reject();
        } else {
            modal->close();
        }
        if (QApplication::activeModalWidget() == modal) {
            return false;
        }
    }
    // Modeless windows (Compare, Audit log) clear themselves on VaultSession::locked.
    return true;
}

void MainWindow::onReloadTriggered() {
    model::Store* store = m_session->store();
    if (store == nullptr) {
        return;
    }
    if (auto loaded = m_vaultPage->load(*store); !loaded) {
        statusBar()->showMessage(loaded.error().message(), 10'000);
    }
    updateWindowState();
}

void MainWindow::onSessionLockRequested() {
    // The screen locked or the machine is going to sleep: lock now, before the slot returns (a sleep waits
    // only that long).
    onLockTriggered();
}

void MainWindow::setSingleInstance(SingleInstance* instance) {
    if (m_instance != nullptr) {
        disconnect(m_instance, nullptr, this, nullptr);
    }
    m_instance = instance;
    if (m_instance != nullptr) {
        connect(m_instance, &SingleInstance::activationRequested, this, &MainWindow::onActivationRequested);
    }
}

bool MainWindow::claimVault(const QString& path) {
    if (m_instance == nullptr) {
        return true;
    }
    const auto outcome = m_instance->claim(path);
    switch (outcome) {
    case SingleInstance::Outcome::Claimed:
        return true;
    case SingleInstance::Outcome::Activated:
        // The other window is in front now: a dialog here would take the focus back.
        statusBar()->showMessage(m_instance->message(outcome), 10'000);
        return false;
    case SingleInstance::Outcome::Busy:
        confirm::inform(this, tr("Open Vault"), m_instance->message(outcome));
        return false;
    case SingleInstance::Outcome::Failed:
        // The guard itself failing must not keep anyone from their vault.
        statusBar()->showMessage(m_instance->message(outcome), 10'000);
        return true;
    }
    return true;
}

void MainWindow::onActivationRequested() {
    if (isMinimized()) {
        showNormal();
    }
    show();
    raise();
    activateWindow();
}

void MainWindow::onAuditLogTriggered() {
    if (!m_session->isOpen()) {
        return;
    }
    if (m_auditDialog == nullptr) {
        m_auditDialog = new AuditDialog(*m_session, this);
    }
    m_auditDialog->show();
    m_auditDialog->raise();
    m_auditDialog->activateWindow();
}

void MainWindow::applySettings() {
    m_idleLock->setTimeout(std::chrono::minutes(Settings::lockAfterMinutes()));
    m_clipboard->setClearAfter(Settings::clipboardClearAfter());
    if (SecretDetailPane* detail = m_vaultPage->detailPane(); detail != nullptr) {
        detail->setRevealDuration(Settings::revealDuration());
    }
    m_lockWatcher->setLockOnScreenLock(Settings::lockOnScreenLock());
    m_agent->setEnabled(Settings::serveAgent());
    theme::apply(Settings::theme());
}

void MainWindow::onSettingsTriggered() {
    // No idle lock while the dialog may be re-encrypting the vault on a worker thread.
    const bool watching = m_idleLock->isRunning();
    m_idleLock->stop();
    m_team->suspend();  // no sync on its own connection while the key may change
    m_agent->suspend(); // nor a coffer-cli read on the GUI thread while a worker re-encrypts
    SettingsDialog dialog(*m_session, *m_deviceUnlock, this);
    const bool accepted = dialog.exec() == QDialog::Accepted;
    if (accepted) {
        applySettings();
    }
    if (m_session->isOpen() && m_session->vault() != nullptr && !m_session->vault()->isOpen()) {
        // Re-encryption failed after the switch: the vault is closed and the password opens it.
        onLockTriggered();
        return;
    }
    m_team->resume();
    m_agent->resume();
    if (watching && m_session->isOpen()) {
        m_idleLock->start();
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    m_clipboard->clear();
    m_vaultPage->clear();
    m_session->lock();
    QMainWindow::closeEvent(event);
}

} // namespace coffer::ui
