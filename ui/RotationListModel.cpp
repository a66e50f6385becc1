// SPDX-License-Identifier: Apache-2.0
#include "ui/RotationListModel.h"

#include "ui/TeamText.h"

#include <QApplication>
#include <QLocale>
#include <QPalette>

#include <algorithm>

namespace coffer::ui {

RotationListModel::RotationListModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void RotationListModel::setItems(std::vector<sync::RotationItem> items) {
    beginResetModel();
    m_items = std::move(items);
    // Open ones first, then by place and name: the list reads as a to-do list.
    std::ranges::stable_sort(m_items, [](const auto& a, const auto& b) {
        if (a.rotated != b.rotated) {
            return !a.rotated;
        }
        const QString left = team::scopeName(a.project, a.environment) + QLatin1Char('/') + a.name;
        const QString right = team::scopeName(b.project, b.environment) + QLatin1Char('/') + b.name;
        return left < right;
    });
    endResetModel();
}

const sync::RotationItem* RotationListModel::item(int row) const {
    if (row < 0 || static_cast<std::size_t>(row) >= m_items.size()) {
        return nullptr;
    }
    return &m_items[static_cast<std::size_t>(row)];
}

int RotationListModel::openCount() const {
    return static_cast<int>(std::ranges::count_if(m_items, [](const auto& item) { return !item.rotated; }));
}

int RotationListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

int RotationListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RotationListModel::data(const QModelIndex& index, int role) const {
    const sync::RotationItem* entry = item(index.row());
    if (!index.isValid() || entry == nullptr) {
        return {};
    }
    if (role == RotatedRole) {
        return entry->rotated;
    }
    if (role == Qt::ForegroundRole && entry->rotated) {
        return QApplication::palette().brush(QPalette::Disabled, QPalette::Text);
    }
    if (role == Qt::ToolTipRole) {
        return entry->rotated
                   ? tr("Done: %1 has a newer version than the one %2 could read.").arg(entry->name, entry->memberName)
                   : tr("%1 could read version %2: give it a new value (double-click to open it).")
                         .arg(entry->memberName)
                         .arg(entry->version);
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (index.column()) {
    case ScopeColumn:
        return team::scopeName(entry->project, entry->environment);
    case NameColumn:
        return entry->name;
    case VersionColumn:
        return tr("v%1").arg(entry->version);
    case MemberColumn:
        return entry->memberName;
    case SinceColumn:
        return QLocale().toString(entry->since.toLocalTime(), QLocale::ShortFormat);
    case StateColumn:
        return entry->rotated ? tr("done") : tr("to rotate");
    default:
        return {};
    }
}

QVariant RotationListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case ScopeColumn:
        return tr("Project/Environment");
    case NameColumn:
        return tr("Secret");
    case VersionColumn:
        return tr("Version");
    case MemberColumn:
        return tr("Removed member");
    case SinceColumn:
        return tr("Since");
    case StateColumn:
        return tr("State");
    default:
        return {};
    }
}

Qt::ItemFlags RotationListModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) {
        return Qt::NoItemFlags;
    }
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

} // namespace coffer::ui
