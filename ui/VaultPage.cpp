// SPDX-License-Identifier: Apache-2.0
#include "ui/VaultPage.h"

#include "model/Store.h"
#include "ui/Icons.h"
#include "ui/PageLayout.h"
#include "ui/ProjectTreeModel.h"
#include "ui/SearchView.h"
#include "ui/SecretDetailPane.h"
#include "ui/SecretTableModel.h"
#include "ui/Text.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace coffer::ui {
namespace {

QLabel* makeHeading(QWidget* parent) {
    auto* label = new QLabel(parent);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 1.15);
    font.setWeight(QFont::DemiBold);
    label->setFont(font);
    label->setTextFormat(Qt::PlainText);
    return label;
}

// The row above each panel; both have the same height so the tree and the table start level.
QHBoxLayout* makeHeadingRow() {
    auto* row = new QHBoxLayout;
    row->setContentsMargins(4, 0, 4, 0);
    row->setSpacing(8);
    return row;
}

QLabel* makeHintLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setForegroundRole(QPalette::PlaceholderText);
    label->setMargin(24);
    return label;
}

QString scopeText(const QString& project, const QString& environment) {
    return QStringLiteral("%1 \u203a %2").arg(project, environment);
}

} // namespace

VaultPage::VaultPage(ClipboardGuard& clipboard, QWidget* parent)
    : QWidget(parent)
    , m_projects(new ProjectTreeModel(this))
    , m_secrets(new SecretTableModel(this))
    , m_sortedSecrets(new QSortFilterProxyModel(this)) {
    setObjectName(QStringLiteral("vaultPage"));
    m_detail = new SecretDetailPane(clipboard, this);
    m_sortedSecrets->setSourceModel(m_secrets);
    m_sortedSecrets->setSortRole(SecretTableModel::SortRole);
    m_sortedSecrets->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_search = new SearchView(this);

    m_stack = new QStackedWidget(this);
    m_content = createContent();
    m_emptyVault = createEmptyVaultHint();
    m_stack->addWidget(m_content);
    m_stack->addWidget(m_emptyVault);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &VaultPage::onCurrentChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &VaultPage::onCurrentSecretChanged);
    connect(m_detail, &SecretDetailPane::secretRestored, this, &VaultPage::onSecretRestored);
    connect(m_search, &SearchView::activeChanged, this, &VaultPage::onSearchActiveChanged);
    connect(m_search, &SearchView::resultsChanged, this, &VaultPage::onSearchResultsChanged);
    connect(m_search, &SearchView::currentResultChanged, this, &VaultPage::onSearchCurrentChanged);
    connect(m_search, &SearchView::resultActivated, this, &VaultPage::onSearchResultActivated);
    connect(m_search, &SearchView::dismissed, m_table, [this] { m_table->setFocus(Qt::OtherFocusReason); });
    setTabOrderFollowingLayout();
}

void VaultPage::setTabOrderFollowingLayout() {
    // The detail pane is made before the panels, so creation order would put it first: tab goes left to right,
    // tree, search field, the secrets (or the matches), then the pane's controls in their own order.
    QList<QWidget*> chain{m_tree, m_search->field(), m_table, m_search->table()};
    for (QWidget* widget = m_detail->nextInFocusChain(); widget != m_detail && m_detail->isAncestorOf(widget);
         widget = widget->nextInFocusChain()) {
        if ((widget->focusPolicy() & Qt::TabFocus) != 0) {
            chain << widget;
        }
    }
    for (qsizetype i = 1; i < chain.size(); ++i) {
        setTabOrder(chain[i - 1], chain[i]);
    }
}

QWidget* VaultPage::createContent() {
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("vaultSplitter"));
    splitter->setChildrenCollapsible(false);
    const int headingHeight = fontMetrics().height() * 2 + 4;

    auto* left = new QWidget(splitter);
    auto* projectsHeading = makeHeading(left);
    projectsHeading->setText(tr("Projects"));
    auto* leftHeading = makeHeadingRow();
    leftHeading->addWidget(projectsHeading);
    m_tree = new QTreeView(left);
    m_tree->setObjectName(QStringLiteral("projectTree"));
    m_tree->setModel(m_projects);
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setAccessibleName(tr("Projects and environments"));
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(8, 8, 0, 8);
    leftLayout->setSpacing(6);
    auto* leftHeadingBox = new QWidget(left);
    leftHeadingBox->setFixedHeight(headingHeight);
    leftHeadingBox->setLayout(leftHeading);
    leftLayout->addWidget(leftHeadingBox);
    leftLayout->addWidget(m_tree, 1);

    auto* right = new QWidget(splitter);
    m_scopeTitle = makeHeading(right);
    m_scopeTitle->setObjectName(QStringLiteral("scopeTitle"));
    m_protectedBadge = new QWidget(right);
    m_protectedBadge->setObjectName(QStringLiteral("protectedBadge"));
    m_protectedBadge->setToolTip(tr("Protected environment: handle its secrets with extra care."));
    auto* badgeLayout = new QHBoxLayout(m_protectedBadge);
    badgeLayout->setContentsMargins(0, 0, 0, 0);
    badgeLayout->setSpacing(4);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    auto* lockIcon = new QLabel(m_protectedBadge);
    lockIcon->setPixmap(icons::lock().pixmap(QSize(iconSize, iconSize), devicePixelRatioF()));
    badgeLayout->addWidget(lockIcon);
    badgeLayout->addWidget(new QLabel(tr("Protected"), m_protectedBadge));
    m_protectedBadge->hide();
    m_readOnlyBadge = new QLabel(tr("Read-only"), right);
    m_readOnlyBadge->setObjectName(QStringLiteral("readOnlyBadge"));
    m_readOnlyBadge->setForegroundRole(QPalette::PlaceholderText);
    m_readOnlyBadge->setToolTip(tr("The team gave you read access to this environment: its secrets are shown and "
                                   "kept in sync, but not changed here."));
    m_readOnlyBadge->hide();
    m_scopeCount = new QLabel(right);
    m_scopeCount->setObjectName(QStringLiteral("scopeCount"));
    m_scopeCount->setForegroundRole(QPalette::PlaceholderText);
    auto* rightHeading = makeHeadingRow();
    rightHeading->addWidget(m_scopeTitle);
    rightHeading->addWidget(m_protectedBadge);
    rightHeading->addWidget(m_readOnlyBadge);
    rightHeading->addStretch(1);
    rightHeading->addWidget(m_scopeCount);

    m_table = new QTableView(right);
    m_table->setObjectName(QStringLiteral("secretTable"));
    m_table->setModel(m_sortedSecrets);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SecretTableModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Several rows for Copy to / Move to; the detail pane follows the current row.
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setCornerButtonEnabled(false);
    // Tab leaves the table for the detail pane (a table moves between cells with Tab by default).
    m_table->setTabKeyNavigation(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setHighlightSections(false);
    // Everything fits beside the detail pane: the name takes what the other columns leave (full in its tooltip).
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(SecretTableModel::NameColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->setAccessibleName(tr("Secrets"));
    // The detail pane shows the value (masked) and its actions; a column of identical masks would only take room.
    m_table->setColumnHidden(SecretTableModel::ValueColumn, true);
    m_secretHint = makeHintLabel(right);
    m_secretHint->setObjectName(QStringLiteral("secretHint"));
    m_secretStack = new QStackedWidget(right);
    m_secretStack->addWidget(m_table);
    m_secretStack->addWidget(m_secretHint);

    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 8, 8, 8);
    rightLayout->setSpacing(6);
    auto* rightHeadingBox = new QWidget(right);
    rightHeadingBox->setFixedHeight(headingHeight);
    rightHeadingBox->setLayout(rightHeading);
    rightLayout->addWidget(rightHeadingBox);
    rightLayout->addWidget(m_search->field());
    m_centreStack = new QStackedWidget(right);
    m_centreStack->addWidget(m_secretStack);
    m_centreStack->addWidget(m_search);
    rightLayout->addWidget(m_centreStack, 1);

    auto* detailBox = new QWidget(splitter);
    auto* detailLayout = new QVBoxLayout(detailBox);
    detailLayout->setContentsMargins(4, 8 + headingHeight + 6, 10, 8);
    m_detail->setParent(detailBox);
    detailLayout->addWidget(m_detail);

    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->addWidget(detailBox);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 0);
    splitter->setSizes({200, 560, 340});
    return splitter;
}

QWidget* VaultPage::createEmptyVaultHint() {
    auto* hint = new QWidget(this);
    hint->setObjectName(QStringLiteral("emptyVaultHint"));
    auto* card = new QWidget(hint);
    auto* command = new QLabel(QStringLiteral("coffer-cli project add payments-api\n"
                                              "coffer-cli env add payments-api/dev\n"
                                              "coffer-cli set payments-api/dev/DATABASE_URL"),
                               card);
    command->setObjectName(QStringLiteral("emptyVaultCommand"));
    command->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    command->setTextFormat(Qt::PlainText);
    command->setTextInteractionFlags(Qt::TextSelectableByMouse);
    command->setFrameShape(QFrame::StyledPanel);
    command->setMargin(10);
    command->setBackgroundRole(QPalette::Base);
    command->setAutoFillBackground(true);

    auto* layout = new QVBoxLayout(card);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(12);
    layout->addWidget(page::makeIconLabel(icons::app(), 64, card));
    layout->addWidget(page::makeTitle(tr("This vault is empty"), card));
    layout->addWidget(page::makeSubtitle(tr("Start with a project; it holds environments like dev and prod."), card));
    auto* newProject = new QPushButton(tr("New Project…"), card);
    newProject->setObjectName(QStringLiteral("emptyVaultNewProjectButton"));
    newProject->setDefault(true);
    connect(newProject, &QPushButton::clicked, this, &VaultPage::newProjectRequested);
    auto* buttonRow = new QHBoxLayout;
    buttonRow->addStretch(1);
    buttonRow->addWidget(newProject);
    buttonRow->addStretch(1);
    layout->addLayout(buttonRow);
    layout->addSpacing(8);
    layout->addWidget(page::makeSubtitle(tr("The command-line tool works too, for example:"), card));
    layout->addWidget(command);
    layout->addWidget(page::makeSubtitle(tr("Then choose File › Reload (F5) to see its changes here. "
                                            "Run coffer-cli --help for every command."),
                                         card));
    page::centre(hint, card);
    return hint;
}

model::Result<void> VaultPage::load(model::Store& store) {
    // A reload keeps the selected environment when it still exists.
    const QModelIndex previous = m_tree->currentIndex();
    const model::Project* previousProject = m_projects->project(previous);
    const model::Environment* previousEnvironment = m_projects->environment(previous);
    const QString projectName = previousProject != nullptr ? previousProject->name : QString();
    const QString environmentName = previousEnvironment != nullptr ? previousEnvironment->name : QString();

    if (auto loaded = m_projects->reload(store); !loaded) {
        return loaded;
    }
    m_store = &store;
    m_loading = true;
    m_tree->expandAll();
    m_stack->setCurrentWidget(m_projects->projectCount() == 0 ? m_emptyVault : m_content);
    QModelIndex current = m_projects->findEnvironment(projectName, environmentName);
    if (!current.isValid()) {
        current = m_projects->firstEnvironment();
    }
    if (current.isValid() && current != m_tree->currentIndex()) {
        m_tree->setCurrentIndex(current); // onCurrentChanged() follows
    } else {
        onCurrentChanged(current);
    }
    m_loading = false;
    if (m_search->isActive()) {
        onSearchActiveChanged(true); // a Reload (F5) during a search keeps it, over the environment just read
    }
    m_search->load(store);
    return {};
}

void VaultPage::clear() {
    m_store = nullptr;
    m_search->clear();
    m_detail->clear();
    m_secrets->clear();
    m_projects->clear();
    m_scopeTitle->clear();
    m_scopeCount->clear();
    showBadges(nullptr);
    m_secretHint->clear();
    m_stack->setCurrentWidget(m_content);
}

bool VaultPage::selectEnvironment(const QString& projectName, const QString& environmentName) {
    const QModelIndex index = m_projects->findEnvironment(projectName, environmentName);
    if (!index.isValid()) {
        return false;
    }
    m_tree->setCurrentIndex(index);
    return true;
}

void VaultPage::onCurrentChanged(const QModelIndex& current) {
    if (!m_loading && m_search->isActive()) {
        m_search->clearQuery(); // choosing an environment ends a search
    }
    const model::Project* project = m_projects->project(current);
    const model::Environment* environment = m_projects->environment(current);
    showBadges(environment);
    m_scopeCount->clear();
    m_detail->clear();
    Q_EMIT selectionChanged();
    if (m_store == nullptr || environment == nullptr) {
        m_secrets->clear();
        m_scopeTitle->setText(project != nullptr ? project->name : QString());
        showSecretHint(project != nullptr ? tr("Select an environment of %1 to see its secrets.").arg(project->name)
                                          : tr("Select an environment on the left to see its secrets."));
        return;
    }
    m_scopeTitle->setText(scopeText(project->name, environment->name));
    if (auto loaded = m_secrets->load(*m_store, environment->id, m_showDeleted); !loaded) {
        m_secrets->clear();
        showSecretHint(loaded.error().message());
        return;
    }
    const int count = m_secrets->rowCount();
    m_scopeCount->setText(countText(count, tr("secret"), tr("secrets")));
    if (count == 0) {
        showSecretHint(tr("No secrets in %1 yet. Choose Edit › New Secret… (Ctrl+N) to add one, or use coffer-cli:\n"
                          "coffer-cli set %2/%3/NAME")
                           .arg(scopeText(project->name, environment->name), project->name, environment->name));
        return;
    }
    m_secretStack->setCurrentWidget(m_table);
}

bool VaultPage::selectProject(const QString& projectName) {
    for (int row = 0; row < m_projects->rowCount(); ++row) {
        const QModelIndex index = m_projects->index(row, 0);
        if (index.data().toString() == projectName) {
            m_tree->setCurrentIndex(index);
            return true;
        }
    }
    return false;
}

void VaultPage::setShowDeleted(bool show) {
    if (m_showDeleted == show) {
        return;
    }
    m_showDeleted = show;
    const model::SecretSummary* current = currentSecret();
    reloadSecrets(current != nullptr ? current->id : 0);
}

bool VaultPage::selectSecret(const QString& name) {
    for (int row = 0; row < m_sortedSecrets->rowCount(); ++row) {
        const QModelIndex index = m_sortedSecrets->index(row, SecretTableModel::NameColumn);
        if (index.data().toString() == name) {
            m_table->setCurrentIndex(index);
            m_table->selectRow(row);
            return true;
        }
    }
    return false;
}

const model::Project* VaultPage::currentProject() const {
    if (m_search->isActive()) {
        return m_projects->project(searchScope());
    }
    return m_projects->project(m_tree->currentIndex());
}

const model::Environment* VaultPage::currentEnvironment() const {
    if (m_search->isActive()) {
        return m_projects->environment(searchScope());
    }
    return m_projects->environment(m_tree->currentIndex());
}

const model::SecretSummary* VaultPage::currentSecret() const {
    if (m_search->isActive()) {
        const model::ScopedSecret* match = m_search->currentSecret();
        return match != nullptr ? &match->secret : nullptr;
    }
    const QModelIndex current = m_sortedSecrets->mapToSource(m_table->currentIndex());
    return current.isValid() ? m_secrets->secret(current.row()) : nullptr;
}

std::vector<model::SecretSummary> VaultPage::selectedSecrets() const {
    if (m_search->isActive()) {
        // A match is one secret in its own environment: copy and move act on it alone.
        const model::SecretSummary* match = currentSecret();
        return match != nullptr ? std::vector{*match} : std::vector<model::SecretSummary>{};
    }
    // By cell, not selectedRows(): a row whose hidden value column is not selected still counts.
    std::vector<int> rows;
    for (const QModelIndex& index : m_table->selectionModel()->selectedIndexes()) {
        rows.push_back(index.row());
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    std::vector<model::SecretSummary> selected;
    for (const int row : rows) {
        const QModelIndex source = m_sortedSecrets->mapToSource(m_sortedSecrets->index(row, 0));
        if (const model::SecretSummary* secret = m_secrets->secret(source.row())) {
            selected.push_back(*secret);
        }
    }
    return selected;
}

void VaultPage::reloadSecrets(std::int64_t secretId) {
    m_search->refresh(secretId);
    if (m_search->isActive()) {
        m_changedDuringSearch = true; // changed through a match: the environment is read when the search ends
        return;
    }
    onCurrentChanged(m_tree->currentIndex());
    for (int row = 0; row < m_sortedSecrets->rowCount(); ++row) {
        const QModelIndex index = m_sortedSecrets->index(row, SecretTableModel::NameColumn);
        if (index.data(SecretTableModel::SecretIdRole).toLongLong() == secretId) {
            m_table->setCurrentIndex(index);
            m_table->selectRow(row);
            onCurrentSecretChanged(index); // the pane shows the new version even when the row stayed current
            return;
        }
    }
}

void VaultPage::onCurrentSecretChanged(const QModelIndex& current) {
    const model::Project* project = currentProject();
    const model::Environment* environment = currentEnvironment();
    const QModelIndex source = m_sortedSecrets->mapToSource(current);
    const model::SecretSummary* secret = source.isValid() ? m_secrets->secret(source.row()) : nullptr;
    if (m_store == nullptr || project == nullptr || environment == nullptr || secret == nullptr) {
        m_detail->clear();
    } else {
        m_detail->showSecret(*m_store, {project->name, environment->name, environment->readOnly}, secret->id);
    }
    Q_EMIT selectionChanged();
}

void VaultPage::onSecretRestored(std::int64_t secretId) {
    reloadSecrets(secretId);
}

void VaultPage::showBadges(const model::Environment* environment) {
    m_protectedBadge->setVisible(environment != nullptr && environment->isProtected);
    m_readOnlyBadge->setVisible(environment != nullptr && environment->readOnly);
}

void VaultPage::showSecretHint(const QString& text) {
    m_secretHint->setText(text);
    m_secretStack->setCurrentWidget(m_secretHint);
}

void VaultPage::focusSearch() {
    m_search->focusField();
}

QModelIndex VaultPage::searchScope() const {
    const model::ScopedSecret* match = m_search->currentSecret();
    return match != nullptr ? m_projects->findEnvironment(match->project, match->environment) : QModelIndex();
}

void VaultPage::onSearchActiveChanged(bool active) {
    if (!active) {
        m_centreStack->setCurrentWidget(m_secretStack);
        if (m_changedDuringSearch || m_store == nullptr) {
            m_changedDuringSearch = false;
            onCurrentChanged(m_tree->currentIndex());
            return;
        }
        m_scopeTitle->setText(m_titleBeforeSearch);
        m_scopeCount->setText(m_countBeforeSearch);
        showBadges(m_projects->environment(m_tree->currentIndex()));
        onCurrentSecretChanged(m_table->currentIndex());
        return;
    }
    m_titleBeforeSearch = m_scopeTitle->text();
    m_countBeforeSearch = m_scopeCount->text();
    m_changedDuringSearch = false;
    m_centreStack->setCurrentWidget(m_search);
    showBadges(nullptr);
    m_scopeTitle->setText(tr("Search all projects"));
    m_detail->clear();
    Q_EMIT selectionChanged();
}

void VaultPage::onSearchResultsChanged(int count) {
    if (m_search->isActive()) {
        m_scopeCount->setText(countText(count, tr("match"), tr("matches")));
    }
}

void VaultPage::onSearchCurrentChanged() {
    if (!m_search->isActive()) {
        return;
    }
    const model::ScopedSecret* match = m_search->currentSecret();
    if (m_store == nullptr || match == nullptr) {
        m_detail->clear();
    } else {
        const model::Environment* environment = currentEnvironment();
        m_detail->showSecret(*m_store,
                             {match->project, match->environment, environment != nullptr && environment->readOnly},
                             match->secret.id);
    }
    Q_EMIT selectionChanged();
}

void VaultPage::onSearchResultActivated(const QString& project, const QString& environment, std::int64_t secretId) {
    m_search->clearQuery();
    if (!selectEnvironment(project, environment)) {
        return;
    }
    for (int row = 0; row < m_sortedSecrets->rowCount(); ++row) {
        const QModelIndex index = m_sortedSecrets->index(row, SecretTableModel::NameColumn);
        if (index.data(SecretTableModel::SecretIdRole).toLongLong() == secretId) {
            m_table->setCurrentIndex(index);
            m_table->selectRow(row);
            break;
        }
    }
    m_table->setFocus(Qt::OtherFocusReason);
}

} // namespace coffer::ui
