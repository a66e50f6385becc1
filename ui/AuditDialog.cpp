// SPDX-License-Identifier: Apache-2.0
#include "ui/AuditDialog.h"

#include "ui/AuditModel.h"
#include "ui/MessageBanner.h"
#include "ui/PageLayout.h"
#include "ui/Text.h"
#include "ui/VaultSession.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace coffer::ui {

AuditDialog::AuditDialog(VaultSession& session, QWidget* parent)
    : QDialog(parent)
    , m_session(session)
    , m_model(new AuditModel(this))
    , m_actionFilter(new QSortFilterProxyModel(this))
    , m_textFilter(new QSortFilterProxyModel(this)) {
    setObjectName(QStringLiteral("auditDialog"));
    setWindowTitle(tr("Audit Log"));
    setModal(false);
    resize(960, 560);

    // Two filters in a row: the action choice (exact, on the recorded action), then the text (any column).
    m_actionFilter->setSourceModel(m_model);
    m_actionFilter->setFilterRole(AuditModel::ActionRole);
    m_actionFilter->setFilterKeyColumn(AuditModel::ActionColumn);
    m_textFilter->setSourceModel(m_actionFilter);
    m_textFilter->setFilterKeyColumn(-1);
    m_textFilter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_textFilter->setSortRole(AuditModel::SortRole);
    m_textFilter->setSortCaseSensitivity(Qt::CaseInsensitive);

    auto* intro = page::makeSubtitle(
        tr("Who revealed, copied, exported or changed what in this vault, on this device. Values are never "
           "recorded."),
        this);
    intro->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("auditFilterEdit"));
    m_filter->setAccessibleName(tr("Filter"));
    m_filter->setPlaceholderText(tr("Filter by person, secret, project, environment…"));
    m_filter->setClearButtonEnabled(true);
    auto* filterLabel = new QLabel(tr("&Filter:"), this);
    filterLabel->setBuddy(m_filter);

    m_action = new QComboBox(this);
    m_action->setObjectName(QStringLiteral("auditActionCombo"));
    m_action->setAccessibleName(tr("Action"));
    m_action->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto* actionLabel = new QLabel(tr("&Action:"), this);
    actionLabel->setBuddy(m_action);

    m_refresh = new QPushButton(tr("&Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("auditRefreshButton"));
    m_refresh->setAccessibleName(tr("Refresh"));
    m_refresh->setShortcut(QKeySequence(Qt::Key_F5));
    m_refresh->setToolTip(tr("Read the log again (F5)"));
    m_refresh->setAutoDefault(false);

    auto* controls = new QHBoxLayout;
    controls->addWidget(filterLabel);
    controls->addWidget(m_filter, 1);
    controls->addSpacing(12);
    controls->addWidget(actionLabel);
    controls->addWidget(m_action);
    controls->addSpacing(12);
    controls->addWidget(m_refresh);

    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("auditBanner"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("auditTable"));
    m_table->setAccessibleName(tr("Audit events"));
    m_table->setModel(m_textFilter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(AuditModel::WhenColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setCornerButtonEnabled(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    auto* header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setSectionResizeMode(QHeaderView::Interactive);
    // The detail is the one free-form column: it takes the room left (full text in its tooltip).
    header->setSectionResizeMode(AuditModel::DetailColumn, QHeaderView::Stretch);

    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("auditCountLabel"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("auditDialogButtons"));
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_count, 1);
    bottom->addWidget(buttons);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 16, 16, 12);
    layout->setSpacing(10);
    layout->addWidget(intro);
    layout->addLayout(controls);
    layout->addWidget(m_banner);
    layout->addWidget(m_table, 1);
    layout->addLayout(bottom);

    setTabOrder(m_filter, m_action);
    setTabOrder(m_action, m_refresh);
    setTabOrder(m_refresh, m_table);
    setTabOrder(m_table, buttons);

    connect(m_filter, &QLineEdit::textChanged, this, &AuditDialog::onFilterChanged);
    connect(m_action, &QComboBox::currentIndexChanged, this, &AuditDialog::onFilterChanged);
    connect(m_refresh, &QPushButton::clicked, this, &AuditDialog::refresh);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(&m_session, &VaultSession::locked, this, &AuditDialog::onSessionLocked);
    updateActions();
    updateCount();
}

void AuditDialog::showEvent(QShowEvent* event) {
    QDialog::showEvent(event);
    refresh();
    m_filter->setFocus();
}

void AuditDialog::refresh() {
    model::Store* store = m_session.store();
    if (store == nullptr) {
        clear();
        return;
    }
    if (auto loaded = m_model->load(*store); !loaded) {
        m_banner->showMessage(MessageBanner::Kind::Error, loaded.error().message());
        return;
    }
    m_banner->clearMessage();
    updateActions();
    updateCount();
    fitColumns();
}

// Fits the columns to what they hold, with room between them (ResizeToContents leaves them touching).
void AuditDialog::fitColumns() {
    const int gap = m_table->fontMetrics().horizontalAdvance(QLatin1Char('M')) * 2;
    for (int column = 0; column < AuditModel::DetailColumn; ++column) {
        m_table->resizeColumnToContents(column);
        m_table->setColumnWidth(column, m_table->columnWidth(column) + gap);
    }
}

void AuditDialog::clear() {
    m_model->clear();
    m_filter->clear();
    m_banner->clearMessage();
    updateActions();
    updateCount();
}

void AuditDialog::onSessionLocked() {
    clear();
    hide();
}

void AuditDialog::onFilterChanged() {
    const QString action = m_action->currentData().toString();
    m_actionFilter->setFilterRegularExpression(
        action.isEmpty() ? QRegularExpression()
                         : QRegularExpression(QRegularExpression::anchoredPattern(QRegularExpression::escape(action))));
    m_textFilter->setFilterFixedString(m_filter->text().trimmed());
    updateCount();
}

// The choices are the actions the log holds, so that none of them leads to an empty table.
void AuditDialog::updateActions() {
    const QString current = m_action->currentData().toString();
    const QSignalBlocker blocker(m_action);
    m_action->clear();
    m_action->addItem(tr("All actions"), QString());
    for (const QString& action : m_model->actions()) {
        m_action->addItem(AuditModel::actionText(action), action);
    }
    m_action->setCurrentIndex(std::max(0, m_action->findData(current)));
    onFilterChanged();
}

void AuditDialog::updateCount() {
    const int total = m_model->rowCount();
    const int shown = m_textFilter->rowCount();
    if (total == 0) {
        m_count->setText(tr("No events recorded yet."));
    } else if (shown == total) {
        m_count->setText(countText(total, tr("event"), tr("events")));
    } else {
        m_count->setText(tr("%1 of %2").arg(shown).arg(countText(total, tr("event"), tr("events"))));
    }
}

} // namespace coffer::ui
