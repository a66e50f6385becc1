// SPDX-License-Identifier: Apache-2.0
#include "ui/DotenvChangeModel.h"

#include <QColor>
#include <QFont>
#include <QHeaderView>
#include <QLabel>
#include <QStackedWidget>
#include <QTableView>

#include <utility>

namespace coffer::ui {
namespace {

// Mid-tone colours that read on light and dark bases alike.
QColor toneColour(DotenvChangeModel::Tone tone) {
    switch (tone) {
    case DotenvChangeModel::Tone::New:
        return {46, 160, 67};
    case DotenvChangeModel::Tone::Different:
        return {209, 134, 22};
    case DotenvChangeModel::Tone::Gone:
        return {214, 69, 80};
    case DotenvChangeModel::Tone::Same:
        break;
    }
    return {128, 132, 138};
}

} // namespace

DotenvChangeModel::DotenvChangeModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void DotenvChangeModel::setRows(std::vector<Row> rows) {
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void DotenvChangeModel::clear() {
    setRows({});
}

int DotenvChangeModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DotenvChangeModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DotenvChangeModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return index.column() == NameColumn ? row.name : row.change;
    case Qt::ForegroundRole:
        if (index.column() == ChangeColumn) {
            return toneColour(row.tone);
        }
        return {};
    case Qt::FontRole:
        if (index.column() == ChangeColumn && row.tone != Tone::Same) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case ToneRole:
        return static_cast<int>(row.tone);
    default:
        return {};
    }
}

QVariant DotenvChangeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case NameColumn:
        return tr("Name");
    case ChangeColumn:
        return tr("Change");
    default:
        return {};
    }
}

namespace {

QTableView* makeView(DotenvChangeModel* model, QWidget* parent) {
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionMode(QAbstractItemView::NoSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setFocusPolicy(Qt::TabFocus);
    view->setShowGrid(false);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 10);
    QHeaderView* header = view->horizontalHeader();
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setSectionResizeMode(DotenvChangeModel::NameColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(DotenvChangeModel::ChangeColumn, QHeaderView::Fixed);
    QFont bold = view->font();
    bold.setBold(true);
    header->resizeSection(DotenvChangeModel::ChangeColumn,
                          QFontMetrics(bold).horizontalAdvance(DotenvChangeModel::tr("Kept (not from Coffer)")) + 32);
    return view;
}

} // namespace

QString DotenvChangeModel::scopeText(const QString& project, const QString& environment, bool isProtected) {
    return isProtected ? tr("%1 \u203a %2 (protected: you will be asked to confirm)").arg(project, environment)
                       : QStringLiteral("%1 \u203a %2").arg(project, environment);
}

DotenvChangeModel::Preview DotenvChangeModel::makePreview(const QString& prefix, const QString& hint,
                                                          const QString& accessibleName, QWidget* parent) {
    Preview preview;
    preview.model = new DotenvChangeModel(parent);
    preview.table = makeView(preview.model, parent);
    preview.table->setObjectName(prefix + QStringLiteral("PreviewTable"));
    preview.table->setAccessibleName(accessibleName);
    preview.hint = new QLabel(hint, parent);
    preview.hint->setObjectName(prefix + QStringLiteral("Hint"));
    preview.hint->setAlignment(Qt::AlignCenter);
    preview.hint->setWordWrap(true);
    preview.hint->setForegroundRole(QPalette::PlaceholderText);
    preview.stack = new QStackedWidget(parent);
    preview.stack->addWidget(preview.hint);
    preview.stack->addWidget(preview.table);
    preview.summary = new QLabel(parent);
    preview.summary->setObjectName(prefix + QStringLiteral("SummaryLabel"));
    preview.summary->setTextFormat(Qt::PlainText);
    preview.summary->setWordWrap(true);
    return preview;
}

} // namespace coffer::ui
