// SPDX-License-Identifier: Apache-2.0
#include "ui/ScopeActions.h"

#include "model/Names.h"
#include "ui/Confirm.h"
#include "ui/EnvironmentColour.h"
#include "ui/NameDialog.h"
#include "ui/ShortcutText.h"
#include "ui/Text.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QActionGroup>
#include <QColorDialog>
#include <QCoreApplication>
#include <QMenu>
#include <QTreeView>

namespace coffer::ui {

using shortcuts::makeAction;

namespace {

// What goes with a project or an environment, for the confirmation.
struct Contents {
    qint64 environments = 0;
    qint64 secrets = 0;
    qint64 deletedSecrets = 0;
    qint64 versions = 0;
};

model::Result<void> addEnvironmentContents(model::Store& store, std::int64_t environmentId, Contents& contents) {
    auto secrets = store.secrets(environmentId, true);
    if (!secrets) {
        return std::unexpected(secrets.error());
    }
    for (const auto& secret : *secrets) {
        ++(secret.deleted ? contents.deletedSecrets : contents.secrets);
        contents.versions += secret.versionCount;
    }
    return {};
}

QString describe(const Contents& contents, bool withEnvironments) {
    QStringList parts;
    if (withEnvironments) {
        parts << countText(contents.environments, ScopeActions::tr("environment"), ScopeActions::tr("environments"));
    }
    parts << countText(contents.secrets, ScopeActions::tr("secret"), ScopeActions::tr("secrets"));
    if (contents.deletedSecrets > 0) {
        parts << countText(contents.deletedSecrets, ScopeActions::tr("deleted secret"),
                           ScopeActions::tr("deleted secrets"));
    }
    parts << countText(contents.versions, ScopeActions::tr("version"), ScopeActions::tr("versions"));
    const QString last = parts.takeLast();
    return ScopeActions::tr("%1 and %2").arg(parts.join(QStringLiteral(", ")), last);
}

QString scopeText(const QString& project, const QString& environment) {
    return QStringLiteral("%1 \u203a %2").arg(project, environment);
}

} // namespace

ScopeActions::ScopeActions(VaultSession& session, VaultPage& page, QWidget* window)
    : QObject(window)
    , m_session(session)
    , m_page(page)
    , m_window(window) {
    m_rename = makeAction(this, tr("Ren&ame Environment…"), "renameScopeAction", QKeySequence(Qt::SHIFT | Qt::Key_F2),
                          tr("Rename the selected project or environment"));
    m_moveUp = makeAction(this, tr("Move &Up"), "moveScopeUpAction", QKeySequence(Qt::ALT | Qt::Key_Up),
                          tr("Move the selected project or environment up"));
    m_moveDown = makeAction(this, tr("Move Do&wn"), "moveScopeDownAction", QKeySequence(Qt::ALT | Qt::Key_Down),
                            tr("Move the selected project or environment down"));
    // Alt+Up/Down belong to the tree: elsewhere they stay free for the widgets that use them.
    m_moveUp->setShortcutContext(Qt::WidgetShortcut);
    m_moveDown->setShortcutContext(Qt::WidgetShortcut);
    m_remove = makeAction(this, tr("Re&move Environment…"), "removeScopeAction",
                          QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete),
                          tr("Remove the selected project or environment with everything it holds"));
    m_protected = makeAction(this, tr("Protec&ted Environment"), "protectedScopeAction", {},
                             tr("Mark the selected environment as holding production data"));
    m_protected->setCheckable(true);

    m_colourMenu = new QMenu(tr("C&olour"), window);
    m_colourMenu->setObjectName(QStringLiteral("colourMenu"));
    m_colourMenu->menuAction()->setObjectName(QStringLiteral("colourMenuAction"));
    m_colourMenu->menuAction()->setStatusTip(tr("Choose the colour of the selected environment's chip"));
    auto* defaultColour = m_colourMenu->addAction(tr("&Default (from the name)"));
    defaultColour->setObjectName(QStringLiteral("colourDefaultAction"));
    connect(defaultColour, &QAction::triggered, this, [this] { onColourChosen({}); });
    m_colourMenu->addSeparator();
    for (const auto& colour : colours::palette()) {
        auto* action = m_colourMenu->addAction(colours::chip(QColor(QString::fromLatin1(colour.hex)), false),
                                               QCoreApplication::translate("coffer::ui::colours", colour.name));
        action->setObjectName(QStringLiteral("colour%1Action").arg(QString::fromLatin1(colour.hex + 1)));
        const QString hex = QString::fromLatin1(colour.hex);
        connect(action, &QAction::triggered, this, [this, hex] { onColourChosen(hex); });
    }
    m_colourMenu->addSeparator();
    auto* other = m_colourMenu->addAction(tr("Ot&her…"));
    other->setObjectName(QStringLiteral("colourOtherAction"));
    connect(other, &QAction::triggered, this, &ScopeActions::onOtherColourTriggered);
    for (QAction* action : m_colourMenu->actions()) {
        shortcuts::showInToolTip(action);
    }
    shortcuts::showInToolTip(m_colourMenu->menuAction());

    connect(m_rename, &QAction::triggered, this, &ScopeActions::onRenameTriggered);
    connect(m_moveUp, &QAction::triggered, this, &ScopeActions::onMoveUpTriggered);
    connect(m_moveDown, &QAction::triggered, this, &ScopeActions::onMoveDownTriggered);
    connect(m_remove, &QAction::triggered, this, &ScopeActions::onRemoveTriggered);
    connect(m_protected, &QAction::triggered, this, &ScopeActions::onProtectedToggled);
    connect(&m_page, &VaultPage::selectionChanged, this, &ScopeActions::updateEnabled);
    updateEnabled();
}

void ScopeActions::addTo(QMenu* menu) {
    m_separator = menu->addSeparator();
    const QList<QAction*> actions{m_rename, m_moveUp, m_moveDown, m_protected, m_colourMenu->menuAction(), m_remove};
    menu->addActions(actions);
    QTreeView* tree = m_page.projectTree();
    tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    tree->addActions(actions);
    // Shortcuts work while the menu is closed; Move Up/Down only on the tree (WidgetShortcut).
    for (QAction* action : {m_rename, m_remove}) {
        m_window->addAction(action);
    }
}

void ScopeActions::updateEnabled() {
    const bool open = m_session.isOpen();
    const model::Project* project = open ? m_page.currentProject() : nullptr;
    const model::Environment* environment = open ? m_page.currentEnvironment() : nullptr;
    const bool isEnvironment = environment != nullptr;
    m_rename->setText(isEnvironment ? tr("Ren&ame Environment…") : tr("Ren&ame Project…"));
    m_remove->setText(isEnvironment ? tr("Re&move Environment…") : tr("Re&move Project…"));
    m_rename->setEnabled(project != nullptr);
    m_remove->setEnabled(project != nullptr);
    bool canMoveUp = false;
    bool canMoveDown = false;
    if (project != nullptr) {
        const QModelIndex current = m_page.projectTree()->currentIndex();
        canMoveUp = current.row() > 0;
        canMoveDown = current.row() + 1 < current.model()->rowCount(current.parent());
    }
    m_moveUp->setEnabled(canMoveUp);
    m_moveDown->setEnabled(canMoveDown);
    m_protected->setEnabled(isEnvironment);
    m_protected->setChecked(isEnvironment && environment->isProtected);
    m_colourMenu->menuAction()->setEnabled(isEnvironment);
}

bool ScopeActions::stillOpen(const model::Store* store) const {
    // The vault may lock (after idle) while a dialog waits for an answer.
    return store != nullptr && m_session.store() == store;
}

void ScopeActions::reloadAndSelect(const QString& projectName, const QString& environmentName) {
    if (model::Store* store = m_session.store(); store != nullptr) {
        static_cast<void>(m_page.load(*store));
    }
    if (environmentName.isEmpty() || !m_page.selectEnvironment(projectName, environmentName)) {
        static_cast<void>(m_page.selectProject(projectName));
    }
    updateEnabled();
    Q_EMIT vaultChanged();
}

void ScopeActions::onRenameTriggered() {
    model::Store* store = m_session.store();
    const model::Project* current = m_page.currentProject();
    if (store == nullptr || current == nullptr) {
        return;
    }
    const model::Project project = *current;
    const std::optional<model::Environment> environment =
        m_page.currentEnvironment() != nullptr ? std::optional(*m_page.currentEnvironment()) : std::nullopt;
    const QString oldName = environment ? environment->name : project.name;
    NameDialog dialog(environment ? tr("Rename Environment %1").arg(scopeText(project.name, oldName))
                                  : tr("Rename Project %1").arg(oldName),
                      tr("New &name:"), tr("Rename"), model::checkScopeName, m_window);
    dialog.setName(oldName);
    while (dialog.exec() == QDialog::Accepted && stillOpen(store)) {
        const auto renamed = environment ? store->renameEnvironment(environment->id, dialog.name())
                                         : store->renameProject(project.id, dialog.name());
        if (!renamed) {
            dialog.showError(renamed.error().message());
            continue;
        }
        if (environment) {
            reloadAndSelect(project.name, dialog.name());
        } else {
            reloadAndSelect(dialog.name(), {});
        }
        return;
    }
}

void ScopeActions::onMoveUpTriggered() {
    move(-1);
}

void ScopeActions::onMoveDownTriggered() {
    move(+1);
}

void ScopeActions::move(int delta) {
    model::Store* store = m_session.store();
    const model::Project* project = m_page.currentProject();
    if (store == nullptr || project == nullptr) {
        return;
    }
    const QString projectName = project->name;
    const model::Environment* environment = m_page.currentEnvironment();
    const QString environmentName = environment != nullptr ? environment->name : QString();
    const int row = m_page.projectTree()->currentIndex().row();
    const auto moved = environment != nullptr ? store->moveEnvironment(environment->id, row + delta)
                                              : store->moveProject(project->id, row + delta);
    if (!moved) {
        confirm::inform(m_window, tr("Move"), moved.error().message());
        return;
    }
    reloadAndSelect(projectName, environmentName);
}

void ScopeActions::onRemoveTriggered() {
    model::Store* store = m_session.store();
    const model::Project* project = m_page.currentProject();
    if (store == nullptr || project == nullptr) {
        return;
    }
    if (const model::Environment* environment = m_page.currentEnvironment(); environment != nullptr) {
        removeEnvironment(*store, *project, *environment);
    } else {
        removeProject(*store, *project);
    }
}

void ScopeActions::removeProject(model::Store& store, const model::Project& project) {
    const model::Project target = project;
    Contents contents;
    auto environments = store.environments(target.id);
    if (!environments) {
        confirm::inform(m_window, tr("Remove Project"), environments.error().message());
        return;
    }
    bool holdsProtectedData = false;
    for (const auto& environment : *environments) {
        ++contents.environments;
        if (auto added = addEnvironmentContents(store, environment.id, contents); !added) {
            confirm::inform(m_window, tr("Remove Project"), added.error().message());
            return;
        }
        holdsProtectedData = holdsProtectedData || environment.isProtected;
    }
    const QString text = contents.environments == 0
                             ? tr("Remove the project %1? It is empty.").arg(target.name)
                             : tr("%1 holds %2; they will be removed with their history. This cannot be undone.")
                                   .arg(target.name, describe(contents, true));
    if (!confirm::ask(m_window, tr("Remove Project"), text, tr("Remove Project")) || !stillOpen(&store)) {
        return;
    }
    if (holdsProtectedData && contents.secrets + contents.deletedSecrets > 0 && !confirmProtectedRemoval(target.name)) {
        return;
    }
    if (!stillOpen(&store)) {
        return;
    }
    if (auto removed = store.removeProject(target.id, true); !removed) {
        confirm::inform(m_window, tr("Remove Project"), removed.error().message());
        return;
    }
    // The neighbour takes the place: the next project, or the previous one when it was last.
    const int row = m_page.projectTree()->currentIndex().row();
    static_cast<void>(m_page.load(store));
    auto* model = m_page.projectTree()->model();
    if (model->rowCount() > 0) {
        const QModelIndex neighbour = model->index(std::min(row, model->rowCount() - 1), 0);
        const QModelIndex first = model->index(0, 0, neighbour);
        m_page.projectTree()->setCurrentIndex(first.isValid() ? first : neighbour);
    }
    updateEnabled();
    Q_EMIT vaultChanged();
}

void ScopeActions::removeEnvironment(model::Store& store, const model::Project& project,
                                     const model::Environment& environment) {
    const model::Project owner = project;
    const model::Environment target = environment;
    Contents contents;
    if (auto added = addEnvironmentContents(store, target.id, contents); !added) {
        confirm::inform(m_window, tr("Remove Environment"), added.error().message());
        return;
    }
    const QString name = scopeText(owner.name, target.name);
    const bool empty = contents.secrets + contents.deletedSecrets == 0;
    const QString text = empty ? tr("Remove the environment %1? It is empty.").arg(name)
                               : tr("%1 holds %2; they will be removed with their history. This cannot be undone.")
                                     .arg(name, describe(contents, false));
    if (!confirm::ask(m_window, tr("Remove Environment"), text, tr("Remove Environment")) || !stillOpen(&store)) {
        return;
    }
    if (target.isProtected && !empty && (!confirmProtectedRemoval(target.name) || !stillOpen(&store))) {
        return;
    }
    const int row = m_page.projectTree()->currentIndex().row();
    if (auto removed = store.removeEnvironment(target.id, true); !removed) {
        confirm::inform(m_window, tr("Remove Environment"), removed.error().message());
        return;
    }
    // The environment above takes the selection (or the one below when it was first, or the project).
    auto environments = store.environments(owner.id);
    QString next;
    if (environments && !environments->empty()) {
        next = (*environments)[static_cast<std::size_t>(std::clamp(row - 1, 0, int(environments->size()) - 1))].name;
    }
    reloadAndSelect(owner.name, next);
}

bool ScopeActions::confirmProtectedRemoval(const QString& name) {
    // A second, deliberate step for production data: the name must be typed, so a stray Enter cannot do it.
    NameDialog dialog(tr("Remove Protected Data"), tr("Type %1 to &confirm:").arg(name), tr("Remove"), {}, m_window);
    dialog.setObjectName(QStringLiteral("typeToConfirmDialog"));
    while (dialog.exec() == QDialog::Accepted) {
        if (dialog.name() == name) {
            return true;
        }
        dialog.showError(tr("Type %1 exactly as shown to remove it.").arg(name));
    }
    return false;
}

void ScopeActions::onProtectedToggled(bool isProtected) {
    model::Store* store = m_session.store();
    const model::Project* project = m_page.currentProject();
    const model::Environment* environment = m_page.currentEnvironment();
    if (store == nullptr || project == nullptr || environment == nullptr) {
        return;
    }
    const QString projectName = project->name;
    const QString environmentName = environment->name;
    if (auto changed = store->setProtected(environment->id, isProtected); !changed) {
        confirm::inform(m_window, tr("Protected Environment"), changed.error().message());
    }
    reloadAndSelect(projectName, environmentName);
}

void ScopeActions::onColourChosen(const QString& colour) {
    model::Store* store = m_session.store();
    const model::Project* project = m_page.currentProject();
    const model::Environment* environment = m_page.currentEnvironment();
    if (store == nullptr || project == nullptr || environment == nullptr) {
        return;
    }
    const QString projectName = project->name;
    const QString environmentName = environment->name;
    if (auto changed = store->setColour(environment->id, colour); !changed) {
        confirm::inform(m_window, tr("Colour"), changed.error().message());
        return;
    }
    reloadAndSelect(projectName, environmentName);
}

void ScopeActions::onOtherColourTriggered() {
    const model::Environment* environment = m_page.currentEnvironment();
    if (environment == nullptr) {
        return;
    }
    const model::Store* store = m_session.store();
    QColorDialog dialog(colours::environmentColour(*environment), m_window);
    dialog.setObjectName(QStringLiteral("environmentColourDialog"));
    dialog.setWindowTitle(tr("Colour of %1").arg(environment->name));
    if (dialog.exec() == QDialog::Accepted && stillOpen(store) && dialog.selectedColor().isValid()) {
        onColourChosen(dialog.selectedColor().name());
    }
}

} // namespace coffer::ui
