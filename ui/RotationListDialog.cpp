// SPDX-License-Identifier: Apache-2.0
#include "ui/RotationListDialog.h"

#include "ui/MessageBanner.h"
#include "ui/RotationListModel.h"
#include "ui/Text.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace coffer::ui {

RotationListDialog::RotationListDialog(Loader load, QWidget* parent)
    : QDialog(parent)
    , m_load(std::move(load))
    , m_model(new RotationListModel(this)) {
    setObjectName(QStringLiteral("rotationListDialog"));
    setWindowTitle(tr("Secrets to Rotate"));
    setModal(false);
    resize(820, 420);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("rotationSummary"));
    m_summary->setWordWrap(true);
    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("rotationBanner"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("rotationTable"));
    m_table->setAccessibleName(tr("Secrets to rotate"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(true);

    m_showDone = new QCheckBox(tr("Show &done"), this);
    m_showDone->setObjectName(QStringLiteral("rotationShowDone"));
    m_showDone->setChecked(true);
    m_open = new QPushButton(tr("&Open Secret"), this);
    m_open->setObjectName(QStringLiteral("rotationOpenButton"));
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_showDone);
    bottom->addStretch(1);
    bottom->addWidget(m_open);
    bottom->addWidget(close);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->setSpacing(8);
    layout->addWidget(m_summary);
    layout->addWidget(m_banner);
    layout->addWidget(m_table, 1);
    layout->addLayout(bottom);

    connect(m_showDone, &QCheckBox::toggled, this, &RotationListDialog::refresh);
    connect(m_open, &QPushButton::clicked, this, [this] { openRow(m_table->currentIndex().row()); });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex& index) { openRow(index.row()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RotationListDialog::onSelectionChanged);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    refresh();
}

void RotationListDialog::setShowDone(bool show) {
    m_showDone->setChecked(show);
}

void RotationListDialog::refresh() {
    auto items = m_load ? m_load(m_showDone->isChecked()) : sync::Result<std::vector<sync::RotationItem>>{};
    if (!items) {
        m_banner->showMessage(MessageBanner::Kind::Error, items.error().message);
        m_model->setItems({});
    } else {
        m_banner->clearMessage();
        m_model->setItems(std::move(*items));
    }
    const int open = m_model->openCount();
    const int done = m_model->rowCount() - open;
    if (m_model->rowCount() == 0) {
        m_summary->setText(tr("Nothing to rotate: no removed member could read a secret that still has that value."));
    } else if (open == 0) {
        m_summary->setText(tr("Every listed secret has been rotated."));
    } else {
        m_summary->setText(tr("%1 to rotate: a removed member could read these values. Give each a new value "
                              "(at its source too: the service that issued it).")
                               .arg(countText(open, tr("secret"), tr("secrets"))) +
                           (done > 0 ? tr(" %1 done.").arg(done) : QString()));
    }
    m_table->resizeColumnsToContents();
    onSelectionChanged();
}

void RotationListDialog::onSelectionChanged() {
    m_open->setEnabled(m_model->item(m_table->currentIndex().row()) != nullptr &&
                       m_table->selectionModel()->hasSelection());
}

void RotationListDialog::openRow(int row) {
    if (const sync::RotationItem* item = m_model->item(row); item != nullptr) {
        Q_EMIT secretActivated(item->project, item->environment, item->name);
    }
}

void RotationListDialog::changeEvent(QEvent* event) {
    QDialog::changeEvent(event);
    if (event->type() == QEvent::ActivationChange && isActiveWindow() && isVisible() && !m_refreshing) {
        m_refreshing = true;
        refresh();
        m_refreshing = false;
    }
}

} // namespace coffer::ui
