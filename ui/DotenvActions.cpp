// SPDX-License-Identifier: Apache-2.0
#include "ui/DotenvActions.h"

#include "model/DotenvExport.h"
#include "model/Store.h"
#include "ui/ClipboardGuard.h"
#include "ui/Confirm.h"
#include "ui/ExportDialog.h"
#include "ui/ImportDialog.h"
#include "ui/ShortcutText.h"
#include "ui/Text.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QMainWindow>
#include <QMenu>
#include <QStatusBar>

namespace coffer::ui {

using shortcuts::makeAction;

namespace {

constexpr int kStatusMessageMs = 8'000;

} // namespace

DotenvActions::DotenvActions(VaultSession& session, VaultPage& page, ClipboardGuard& clipboard, QWidget* window)
    : QObject(window)
    , m_session(session)
    , m_page(page)
    , m_clipboard(clipboard)
    , m_window(window) {
    m_import = makeAction(this, tr("&Import .env…"), "importDotenvAction", QKeySequence(Qt::CTRL | Qt::Key_I),
                          tr("Import a .env, JSON or YAML file into the selected environment"));
    m_export =
        makeAction(this, tr("E&xport .env…"), "exportDotenvAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
                   tr("Write the selected environment to a .env file, owner-only"));
    m_copy = makeAction(this, tr("Copy as .&env"), "copyAsDotenvAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
                        tr("Copy the selected environment as .env text; the clipboard is cleared after a while"));
    connect(m_import, &QAction::triggered, this, &DotenvActions::onImportTriggered);
    connect(m_export, &QAction::triggered, this, &DotenvActions::onExportTriggered);
    connect(m_copy, &QAction::triggered, this, &DotenvActions::onCopyAsDotenvTriggered);
    connect(&m_page, &VaultPage::selectionChanged, this, &DotenvActions::updateEnabled);
    connect(&m_session, &VaultSession::unlocked, this, &DotenvActions::updateEnabled);
    connect(&m_session, &VaultSession::locked, this, &DotenvActions::updateEnabled);
    updateEnabled();
}

void DotenvActions::addToMenus(QMenu* file, QAction* before, QMenu* edit) {
    file->insertAction(before, m_import);
    file->insertAction(before, m_export);
    file->insertSeparator(before);
    edit->addSeparator();
    edit->addAction(m_copy);
    // Shortcuts work while the menu bar is hidden or the menu closed.
    m_window->addAction(m_import);
    m_window->addAction(m_export);
    m_window->addAction(m_copy);
}

void DotenvActions::updateEnabled() {
    const model::Environment* environment = m_session.isOpen() ? m_page.currentEnvironment() : nullptr;
    const bool enabled = environment != nullptr;
    m_import->setEnabled(enabled && !environment->readOnly);
    m_export->setEnabled(enabled);
    m_copy->setEnabled(enabled);
}

void DotenvActions::showStatus(const QString& text) {
    if (auto* window = qobject_cast<QMainWindow*>(m_window); window != nullptr) {
        window->statusBar()->showMessage(text, kStatusMessageMs);
    }
}

void DotenvActions::onImportTriggered() {
    model::Store* store = m_session.store();
    const model::Project* project = m_page.currentProject();
    const model::Environment* environment = m_page.currentEnvironment();
    if (store == nullptr || project == nullptr || environment == nullptr) {
        return;
    }
    const QString environmentName = environment->name;
    ImportDialog dialog(*store, project->name, *environment, m_window);
    // The dialog writes through the store: it must not outlive the open vault (idle lock while it waits).
    connect(&m_session, &VaultSession::locked, &dialog, &QDialog::reject);
    QString summary;
    connect(&dialog, &ImportDialog::imported, this, [&summary](const QString& counts) { summary = counts; });
    if (dialog.exec() != QDialog::Accepted || m_session.store() != store) {
        return;
    }
    m_page.reloadSecrets(0);
    Q_EMIT vaultChanged();
    showStatus(tr("Imported into %1: %2.").arg(environmentName, summary));
}

void DotenvActions::onExportTriggered() {
    model::Store* store = m_session.store();
    const model::Project* project = m_page.currentProject();
    const model::Environment* environment = m_page.currentEnvironment();
    if (store == nullptr || project == nullptr || environment == nullptr) {
        return;
    }
    ExportDialog dialog(*store, project->name, *environment, m_window);
    connect(&m_session, &VaultSession::locked, &dialog, &QDialog::reject);
    QString message;
    connect(&dialog, &ExportDialog::exported, this, [&message](const QString& path, int count) {
        message =
            tr("Exported %1 to %2 (owner-only, mode 0600).").arg(countText(count, tr("secret"), tr("secrets")), path);
    });
    if (dialog.exec() == QDialog::Accepted) {
        showStatus(message);
    }
}

void DotenvActions::onCopyAsDotenvTriggered() {
    model::Store* store = m_session.store();
    const model::Project* project = m_page.currentProject();
    const model::Environment* current = m_page.currentEnvironment();
    if (store == nullptr || project == nullptr || current == nullptr) {
        return;
    }
    const QString projectName = project->name;
    const model::Environment environment = *current;
    const QString title = tr("Copy as .env");
    if (environment.isProtected &&
        (!confirm::ask(m_window, tr("Copy a Protected Environment"),
                       tr("Copy every secret of the protected environment %1 \u203a %2 to the clipboard as .env "
                          "text? The clipboard is cleared after %3 s.")
                           .arg(projectName, environment.name)
                           .arg(m_clipboard.clearAfter().count() / 1000),
                       tr("Copy")) ||
         m_session.store() != store)) {
        return;
    }
    const auto entries = model::dotenv::environmentEntries(*store, environment.id);
    if (!entries) {
        confirm::inform(m_window, title, entries.error().message);
        return;
    }
    const auto text = model::dotenv::render({QString(), model::dotenv::Dialect::Dotenv, false}, *entries);
    if (!text) {
        confirm::inform(m_window, title, text.error().message);
        return;
    }
    // No audit record, no copy: the log must not miss a read.
    const QString detail = QStringLiteral("environment as .env, %1 secrets").arg(entries->size());
    if (auto audited = store->audit(QStringLiteral("copy"), projectName, environment.name, {}, detail); !audited) {
        confirm::inform(m_window, title, audited.error().message());
        return;
    }
    const std::string_view bytes = text->view();
    m_clipboard.copy(QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size())));
    showStatus(
        tr("Copied %1 of %2 as .env.")
            .arg(countText(static_cast<qint64>(entries->size()), tr("secret"), tr("secrets")), environment.name));
}

} // namespace coffer::ui
