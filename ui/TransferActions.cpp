// SPDX-License-Identifier: Apache-2.0
#include "ui/TransferActions.h"

#include "ui/Confirm.h"
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
TransferActions::TransferActions(VaultSession& session, VaultPage& page, QWidget* window)
    : QObject(window)
    , m_session(session)
    , m_page(page)
    , m_window(window) {
    m_duplicate = makeAction(this, tr("Dupl&icate…"), "duplicateSecretAction", QKeySequence(Qt::CTRL | Qt::Key_D),
                             tr("Copy the selected secret into another environment"));
    m_copyTo =
        makeAction(this, tr("Cop&y Secrets To…"), "copySecretsToAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Y),
                   tr("Copy every selected secret into another environment"));
    m_moveTo =
        makeAction(this, tr("Move &Secrets To…"), "moveSecretsToAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M),
                   tr("Move every selected secret into another environment; history here can restore them"));
    connect(m_duplicate, &QAction::triggered, this, [this] { run(TransferDialog::Mode::Duplicate); });
    connect(m_copyTo, &QAction::triggered, this, [this] { run(TransferDialog::Mode::Copy); });
    connect(m_moveTo, &QAction::triggered, this, [this] { run(TransferDialog::Mode::Move); });
    connect(&m_page, &VaultPage::selectionChanged, this, &TransferActions::updateEnabled);
    updateEnabled();
}

void TransferActions::addTo(QMenu* menu) {
    menu->addSeparator();
    for (QAction* action : {m_duplicate, m_copyTo, m_moveTo}) {
        menu->addAction(action);
        m_window->addAction(action);
    }
}

void TransferActions::updateEnabled() {
    const bool open = m_session.isOpen();
    const model::SecretSummary* current = open ? m_page.currentSecret() : nullptr;
    const model::Environment* environment = open ? m_page.currentEnvironment() : nullptr;
    const bool readOnly = environment != nullptr && environment->readOnly; // duplicating or moving changes it
    m_duplicate->setEnabled(current != nullptr && !current->deleted && !readOnly);
    m_copyTo->setEnabled(current != nullptr);
    m_moveTo->setEnabled(current != nullptr && !readOnly);
}

void TransferActions::run(TransferDialog::Mode mode) {
    model::Store* store = m_session.store();
    const model::Environment* source = m_page.currentEnvironment();
    const model::Project* project = m_page.currentProject();
    if (store == nullptr || source == nullptr || project == nullptr) {
        return;
    }
    const model::Environment from = *source;
    const QString fromText = QStringLiteral("%1 \u203a %2").arg(project->name, from.name);
    std::vector<model::SecretSummary> secrets;
    if (mode == TransferDialog::Mode::Duplicate) {
        if (const model::SecretSummary* current = m_page.currentSecret(); current != nullptr) {
            secrets.push_back(*current);
        }
    } else {
        secrets = m_page.selectedSecrets();
    }
    // Deleted secrets have no current value to copy: they stay behind (history can restore them first).
    std::erase_if(secrets, [](const model::SecretSummary& secret) { return secret.deleted; });
    if (secrets.empty()) {
        return;
    }
    const std::int64_t currentId = m_page.currentSecret() != nullptr ? m_page.currentSecret()->id : 0;

    TransferDialog dialog(mode, *store, std::move(secrets), from.id, m_window);
    while (dialog.exec() == QDialog::Accepted && m_session.store() == store) {
        const QString target = dialog.targetText();
        const auto count = static_cast<qint64>(dialog.secrets().size());
        const QString what = countText(count, tr("secret"), tr("secrets"));
        if (dialog.targetIsProtected() &&
            !confirm::ask(m_window, tr("Protected Environment"),
                          tr("%1 is protected: it holds production data. Put %2 there?").arg(target, what),
                          tr("Continue"))) {
            continue;
        }
        if (mode == TransferDialog::Mode::Move && from.isProtected &&
            !confirm::ask(m_window, tr("Protected Environment"),
                          tr("%1 is protected. Move %2 out of it? They are deleted there (history can restore "
                             "them).")
                              .arg(fromText, what),
                          tr("Move"))) {
            continue;
        }
        if (m_session.store() != store) {
            return;
        }
        std::vector<std::int64_t> ids;
        for (const auto& secret : dialog.secrets()) {
            ids.push_back(secret.id);
        }
        model::SecretTransfer transfer(*store);
        const auto done = mode == TransferDialog::Mode::Move
                              ? transfer.move(ids, dialog.targetEnvironmentId(), dialog.existing())
                              : transfer.copy(ids, dialog.targetEnvironmentId(), dialog.existing());
        if (!done) {
            dialog.showError(done.error().message());
            continue;
        }
        m_page.reloadSecrets(currentId);
        report(mode, target, *done);
        Q_EMIT vaultChanged();
        return;
    }
}

void TransferActions::report(TransferDialog::Mode mode, const QString& target, const model::TransferResult& result) {
    auto* window = qobject_cast<QMainWindow*>(m_window);
    if (window == nullptr) {
        return;
    }
    const QString verb = mode == TransferDialog::Mode::Move ? tr("Moved") : tr("Copied");
    QString text = tr("%1 %2 to %3").arg(verb, countText(result.transferred(), tr("secret"), tr("secrets")), target);
    if (!result.overwritten.isEmpty()) {
        text += tr("; %1 overwritten").arg(result.overwritten.size());
    }
    if (!result.skipped.isEmpty()) {
        text += tr("; skipped %1 already there").arg(result.skipped.join(QStringLiteral(", ")));
    }
    window->statusBar()->showMessage(text + QLatin1Char('.'), 10'000);
}

} // namespace coffer::ui
