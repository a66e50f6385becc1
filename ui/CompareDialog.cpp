// SPDX-License-Identifier: Apache-2.0
#include "ui/CompareDialog.h"

#include "model/Compare.h"
#include "model/SecretTransfer.h"
#include "ui/CompareModel.h"
#include "ui/Confirm.h"
#include "ui/Icons.h"
#include "ui/MessageBanner.h"
#include "ui/Text.h"
#include "ui/VaultSession.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

namespace coffer::ui {
namespace {

// Draws a lock at the right of protected environments' sections: the decoration slot holds the colour chip.
class CompareHeader : public QHeaderView {
public:
    explicit CompareHeader(QWidget* parent)
        : QHeaderView(Qt::Horizontal, parent)
        , m_lock(icons::lock()) {}

protected:
    void paintSection(QPainter* painter, const QRect& rect, int logicalIndex) const override {
        QHeaderView::paintSection(painter, rect, logicalIndex);
        if (isProtected(logicalIndex)) {
            const QRect lock(rect.right() - kLockSize - kLockMargin, rect.center().y() - kLockSize / 2 + 1, kLockSize,
                             kLockSize);
            // The style leaves its own clip behind (the label's rectangle); the lock goes beside the label.
            painter->save();
            painter->setClipRect(rect);
            m_lock.paint(painter, lock);
            painter->restore();
        }
    }

    [[nodiscard]] QSize sectionSizeFromContents(int logicalIndex) const override {
        QSize size = QHeaderView::sectionSizeFromContents(logicalIndex);
        if (isProtected(logicalIndex)) {
            size.rwidth() += kLockSize + kLockMargin;
        }
        return size;
    }

private:
    static constexpr int kLockSize = 14;
    static constexpr int kLockMargin = 6;

    [[nodiscard]] bool isProtected(int logicalIndex) const {
        return model() != nullptr &&
               model()->headerData(logicalIndex, Qt::Horizontal, CompareModel::ProtectedRole).toBool();
    }

    QIcon m_lock;
};

// A cell's place that survives a reload: the secret's name and the environment's id.
struct Spot {
    QString name;
    qint64 environmentId = 0;
    friend bool operator==(const Spot&, const Spot&) = default;
    friend bool operator<(const Spot& a, const Spot& b) {
        return a.environmentId != b.environmentId ? a.environmentId < b.environmentId : a.name < b.name;
    }
};

QLabel* makeMutedLabel(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setTextFormat(Qt::PlainText);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

CompareDialog::CompareDialog(VaultSession& session, QWidget* parent)
    : QDialog(parent)
    , m_session(session)
    , m_model(new CompareModel(this)) {
    setObjectName(QStringLiteral("compareDialog"));
    setWindowTitle(tr("Compare Environments"));
    setModal(false);
    resize(780, 520);

    auto* projectLabel = new QLabel(tr("&Project:"), this);
    m_project = new QComboBox(this);
    m_project->setObjectName(QStringLiteral("compareProjectCombo"));
    m_project->setAccessibleName(tr("Project"));
    m_project->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    projectLabel->setBuddy(m_project);
    m_summary = makeMutedLabel({}, this);
    m_summary->setObjectName(QStringLiteral("compareSummary"));
    auto* top = new QHBoxLayout;
    top->addWidget(projectLabel);
    top->addWidget(m_project);
    top->addSpacing(12);
    top->addWidget(m_summary, 1);

    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("compareBanner"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("compareTable"));
    m_table->setAccessibleName(tr("Secrets by environment"));
    m_table->setHorizontalHeader(new CompareHeader(m_table));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setCornerButtonEnabled(false);
    m_table->setTabKeyNavigation(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->horizontalHeader()->setMinimumSectionSize(90);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);

    m_onlyDifferences = new QCheckBox(tr("Only &differences"), this);
    m_onlyDifferences->setObjectName(QStringLiteral("compareOnlyDifferences"));
    m_onlyDifferences->setToolTip(tr("Hide the secrets that have the same value in every environment"));

    m_copyMenu = new QMenu(this);
    m_copyMenu->setObjectName(QStringLiteral("compareCopyMenu"));
    m_copyButton = new QPushButton(tr("&Copy Here From"), this);
    m_copyButton->setObjectName(QStringLiteral("compareCopyButton"));
    m_copyButton->setAccessibleName(tr("Copy the selected missing secrets here from another environment"));
    m_copyButton->setMenu(m_copyMenu);
    m_copyButton->setAutoDefault(false);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("compareButtons"));
    for (QAbstractButton* button : buttons->buttons()) {
        // Enter in the table shows a secret; it must not press a button too.
        if (auto* push = qobject_cast<QPushButton*>(button); push != nullptr) {
            push->setAutoDefault(false);
            push->setDefault(false);
        }
    }
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_onlyDifferences);
    bottom->addStretch(1);
    bottom->addWidget(m_copyButton);
    bottom->addWidget(buttons);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->setSpacing(8);
    layout->addLayout(top);
    layout->addWidget(m_banner);
    layout->addWidget(m_table, 1);
    layout->addWidget(createLegend());
    layout->addLayout(bottom);

    connect(m_project, &QComboBox::currentIndexChanged, this, &CompareDialog::onProjectChanged);
    connect(m_onlyDifferences, &QCheckBox::toggled, this, &CompareDialog::onOnlyDifferencesToggled);
    connect(m_table, &QAbstractItemView::activated, this, &CompareDialog::onActivated);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &CompareDialog::onSelectionChanged);
    connect(m_table, &QWidget::customContextMenuRequested, this, &CompareDialog::onContextMenuRequested);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    onSelectionChanged();
}

QWidget* CompareDialog::createLegend() {
    auto* legend = new QWidget(this);
    legend->setObjectName(QStringLiteral("compareLegend"));
    auto* grid = new QGridLayout(legend);
    grid->setContentsMargins(2, 0, 2, 0);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(2);
    const int iconSize = 16;
    const auto add = [&](int row, int column, const QIcon& icon, const QString& mark, const QString& text) {
        auto* item = new QWidget(legend);
        auto* line = new QHBoxLayout(item);
        line->setContentsMargins(0, 0, 0, 0);
        line->setSpacing(4);
        auto* iconLabel = new QLabel(item);
        iconLabel->setFixedSize(iconSize, iconSize);
        if (!icon.isNull()) {
            iconLabel->setPixmap(icon.pixmap(QSize(iconSize, iconSize), devicePixelRatioF()));
        }
        auto* markLabel = new QLabel(mark, item);
        markLabel->setTextFormat(Qt::PlainText);
        line->addWidget(iconLabel);
        line->addWidget(markLabel);
        line->addWidget(makeMutedLabel(text, item), 1);
        grid->addWidget(item, row, column);
    };
    add(0, 0, CompareModel::chipIcon(CompareModel::groupColour(0)), QStringLiteral("= A"),
        tr("same value as the other cells marked A"));
    add(0, 1, {}, tr("\u2260 differs"), tr("no other environment has this value"));
    add(1, 0, {}, tr("only here"), tr("no other environment has this name"));
    add(1, 1, {}, QStringLiteral("\u2014"), tr("missing: select it, then Copy Here From"));
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    return legend;
}

QString CompareDialog::projectName() const {
    return m_project->currentText();
}

void CompareDialog::showProject(const QString& projectName) {
    {
        const QSignalBlocker blocker(m_project);
        reloadProjects();
        const int index = m_project->findText(projectName);
        m_project->setCurrentIndex(index >= 0 ? index : (m_project->count() > 0 ? 0 : -1));
    }
    m_banner->clearMessage();
    refresh();
}

void CompareDialog::reloadProjects() {
    model::Store* store = m_session.store();
    const QString current = m_project->currentText();
    m_projects.clear();
    if (store != nullptr) {
        if (auto projects = store->projects(); projects) {
            m_projects = std::move(*projects);
        } else {
            m_banner->showMessage(MessageBanner::Kind::Error, projects.error().message());
        }
    }
    const QSignalBlocker blocker(m_project);
    m_project->clear();
    for (const auto& project : m_projects) {
        m_project->addItem(icons::project(), project.name);
    }
    const int index = m_project->findText(current);
    m_project->setCurrentIndex(index >= 0 ? index : (m_project->count() > 0 ? 0 : -1));
}

void CompareDialog::refresh() {
    model::Store* store = m_session.store();
    if (store == nullptr) {
        clear();
        return;
    }
    // Keep what was selected: a reload resets the model.
    std::set<Spot> selected;
    for (const QModelIndex& index : m_table->selectionModel()->selectedIndexes()) {
        if (const auto* row = m_model->compareRow(index.row()); row != nullptr) {
            selected.insert({row->name, index.data(CompareModel::EnvironmentIdRole).toLongLong()});
        }
    }
    const QModelIndex currentIndex = m_table->currentIndex();
    const model::CompareRow* currentRow = m_model->compareRow(currentIndex.row());
    const Spot current{currentRow != nullptr ? currentRow->name : QString(),
                       currentIndex.data(CompareModel::EnvironmentIdRole).toLongLong()};

    reloadProjects();
    const int projectIndex = m_project->currentIndex();
    if (projectIndex < 0) {
        m_model->clear();
        updateSummary();
        return;
    }
    auto matrix = model::compareEnvironments(*store, m_projects[static_cast<std::size_t>(projectIndex)].id);
    if (!matrix) {
        m_model->clear();
        m_banner->showMessage(MessageBanner::Kind::Error, matrix.error().message());
        updateSummary();
        return;
    }
    if (m_banner->kind() == MessageBanner::Kind::Error) {
        m_banner->clearMessage();
    }
    m_model->setMatrix(std::move(*matrix));

    QItemSelection selection;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QString& name = m_model->compareRow(row)->name;
        for (int column = 0; column < m_model->columnCount(); ++column) {
            const QModelIndex index = m_model->index(row, column);
            const Spot spot{name, index.data(CompareModel::EnvironmentIdRole).toLongLong()};
            if (selected.contains(spot)) {
                selection.select(index, index);
            }
            if (spot == current) {
                m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
            }
        }
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);

    // The names take the room left; the environment columns share one width so the matrix reads as a grid.
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(CompareModel::NameColumn, QHeaderView::Stretch);
    int width = header->minimumSectionSize();
    for (int column = 1; column < m_model->columnCount(); ++column) {
        header->setSectionResizeMode(column, QHeaderView::Interactive);
        m_table->resizeColumnToContents(column);
        width = std::max(width, m_table->columnWidth(column));
    }
    for (int column = 1; column < m_model->columnCount(); ++column) {
        header->setSectionResizeMode(column, QHeaderView::Fixed);
        header->resizeSection(column, width + 8);
    }
    updateSummary();
    onSelectionChanged();
}

void CompareDialog::clear() {
    m_projects.clear();
    {
        const QSignalBlocker blocker(m_project);
        m_project->clear();
    }
    m_model->clear();
    m_banner->clearMessage();
    m_summary->clear();
    onSelectionChanged();
}

void CompareDialog::updateSummary() {
    const QString project = projectName();
    if (project.isEmpty()) {
        m_summary->setText(tr("No projects yet."));
    } else if (m_model->columnCount() <= 1) {
        m_summary->setText(tr("%1 has no environments yet.").arg(project));
    } else if (m_model->nameCount() == 0) {
        m_summary->setText(tr("No secrets in %1 yet.").arg(project));
    } else if (m_model->rowCount() == 0) {
        m_summary->setText(tr("Every secret has the same value in every environment."));
    } else {
        QString text = tr("%1 \u00b7 %2 with different values \u00b7 %3 missing somewhere")
                           .arg(countText(m_model->nameCount(), tr("secret"), tr("secrets")))
                           .arg(m_model->differingCount())
                           .arg(m_model->incompleteCount());
        if (const int hidden = m_model->nameCount() - m_model->rowCount(); hidden > 0) {
            text += tr(" \u00b7 %1 hidden (the same everywhere)").arg(hidden);
        }
        m_summary->setText(text);
    }
}

void CompareDialog::onProjectChanged(int /*index*/) {
    m_banner->clearMessage();
    refresh();
}

void CompareDialog::onOnlyDifferencesToggled(bool only) {
    m_model->setOnlyDifferences(only);
    updateSummary();
    onSelectionChanged();
}

void CompareDialog::onActivated(const QModelIndex& index) {
    const model::CompareRow* row = m_model->compareRow(index.row());
    if (row == nullptr) {
        return;
    }
    const auto kind = m_model->cellKind(index);
    if (kind == CompareModel::CellKind::Missing) {
        if (m_copyButton->isEnabled()) {
            m_copyMenu->popup(m_table->viewport()->mapToGlobal(m_table->visualRect(index).center()));
        }
        return;
    }
    int column = index.column();
    if (kind == CompareModel::CellKind::Name) {
        // The name: the first environment that has it.
        const auto first =
            std::ranges::find_if(row->cells, [](const model::CompareCell& cell) { return cell.present; });
        column = static_cast<int>(first - row->cells.begin()) + 1;
    }
    if (const model::Environment* environment = m_model->environment(column); environment != nullptr) {
        Q_EMIT secretActivated(projectName(), environment->name, row->name);
    }
}

int CompareDialog::missingSelectionColumn() const {
    const QModelIndexList selected = m_table->selectionModel()->selectedIndexes();
    if (selected.isEmpty()) {
        return 0;
    }
    const int column = selected.front().column();
    for (const QModelIndex& index : selected) {
        if (index.column() != column || m_model->cellKind(index) != CompareModel::CellKind::Missing) {
            return 0;
        }
    }
    return column;
}

void CompareDialog::onSelectionChanged() {
    m_copyMenu->clear();
    const int target = missingSelectionColumn();
    const model::Environment* targetEnvironment = m_model->environment(target);
    if (targetEnvironment != nullptr) {
        const QModelIndexList selected = m_table->selectionModel()->selectedIndexes();
        // Sources are the environments that have every selected name.
        for (int source = 1; source < m_model->columnCount(); ++source) {
            const bool hasAll = std::ranges::all_of(selected, [&](const QModelIndex& index) {
                return m_model->compareRow(index.row())->cells[static_cast<std::size_t>(source - 1)].present;
            });
            if (source == target || !hasAll) {
                continue;
            }
            const model::Environment* sourceEnvironment = m_model->environment(source);
            QAction* action =
                m_copyMenu->addAction(m_model->headerData(source, Qt::Horizontal, Qt::DecorationRole).value<QIcon>(),
                                      tr("From %1").arg(sourceEnvironment->name));
            action->setObjectName(QStringLiteral("copyFrom_%1").arg(sourceEnvironment->name));
            action->setData(source);
            connect(action, &QAction::triggered, this, [this, source] { onCopyFromTriggered(source); });
        }
    }
    const bool canCopy = !m_copyMenu->isEmpty();
    m_copyButton->setEnabled(canCopy);
    if (canCopy) {
        m_copyButton->setToolTip(
            tr("Copy the selected secrets into %1, with their notes and tags").arg(targetEnvironment->name));
    } else {
        m_copyButton->setToolTip(tr("Select missing cells (\u2014) of one environment to copy those secrets there"));
    }
}

void CompareDialog::onCopyFromTriggered(int sourceColumn) {
    model::Store* store = m_session.store();
    const int target = missingSelectionColumn();
    const model::Environment* targetEnvironment = m_model->environment(target);
    const model::Environment* sourceEnvironment = m_model->environment(sourceColumn);
    if (store == nullptr || targetEnvironment == nullptr || sourceEnvironment == nullptr) {
        return;
    }
    // Copied out before anything resets the model.
    const std::int64_t targetId = targetEnvironment->id;
    const QString targetName = targetEnvironment->name;
    const QString sourceName = sourceEnvironment->name;
    const bool targetProtected = targetEnvironment->isProtected;
    std::vector<std::int64_t> ids;
    QStringList names;
    std::set<int> rows;
    for (const QModelIndex& index : m_table->selectionModel()->selectedIndexes()) {
        rows.insert(index.row());
    }
    for (const int row : rows) {
        const model::CompareRow* compareRow = m_model->compareRow(row);
        ids.push_back(compareRow->cells[static_cast<std::size_t>(sourceColumn - 1)].secretId);
        names << compareRow->name;
    }
    const QString what = names.size() == 1 ? names.front() : countText(names.size(), tr("secret"), tr("secrets"));
    if (targetProtected && !confirm::ask(this, tr("Copy to a Protected Environment"),
                                         tr("%1 is protected. Copy %2 into it from %3, with the value, note and tags?")
                                             .arg(targetName, what, sourceName),
                                         tr("Copy"))) {
        return;
    }
    if (m_session.store() != store) {
        return; // locked while asking
    }
    // A copy fills gaps only: a name that appeared in the target meanwhile (coffer-cli) is left as it is.
    auto copied = model::SecretTransfer(*store).copy(ids, targetId, model::ExistingSecrets::Skip);
    if (!copied) {
        m_banner->showMessage(MessageBanner::Kind::Error, copied.error().message());
        return;
    }
    refresh();
    if (!copied->skipped.isEmpty()) {
        m_banner->showMessage(MessageBanner::Kind::Warning,
                              tr("%1 already existed in %2 and was left as it was.")
                                  .arg(copied->skipped.join(QStringLiteral(", ")), targetName));
    } else {
        m_banner->showMessage(MessageBanner::Kind::Information,
                              tr("Copied %1 from %2 to %3.").arg(what, sourceName, targetName));
    }
    Q_EMIT secretsCopied(targetId);
}

void CompareDialog::onContextMenuRequested(const QPoint& position) {
    const QModelIndex index = m_table->indexAt(position);
    if (!index.isValid() || m_model->cellKind(index) != CompareModel::CellKind::Missing) {
        return;
    }
    if (!m_table->selectionModel()->isSelected(index)) {
        m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    }
    if (!m_copyMenu->isEmpty()) {
        m_copyMenu->popup(m_table->viewport()->mapToGlobal(position));
    }
}

void CompareDialog::changeEvent(QEvent* event) {
    QDialog::changeEvent(event);
    // Edits made in the main window (or by coffer-cli and F5) show as soon as the user comes back here.
    if (event->type() == QEvent::ActivationChange && isActiveWindow() && isVisible() && !m_refreshing) {
        m_refreshing = true;
        refresh();
        m_refreshing = false;
    }
}

} // namespace coffer::ui
