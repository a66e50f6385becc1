// SPDX-License-Identifier: Apache-2.0
#include "ui/HistoryModel.h"

#include <QLocale>

#include <algorithm>

namespace coffer::ui {

HistoryModel::HistoryModel(QObject* parent)
    : QAbstractTableModel(parent) {}

model::Result<void> HistoryModel::load(model::Store& store, std::int64_t secretId) {
    auto history = store.history(secretId);
    if (!history) {
        return std::unexpected(history.error());
    }
    std::reverse(history->begin(), history->end());
    beginResetModel();
    m_secretId = secretId;
    m_versions = std::move(*history);
    endResetModel();
    return {};
}

void HistoryModel::clear() {
    beginResetModel();
    m_secretId = 0;
    m_versions.clear();
    endResetModel();
}

const model::SecretVersion* HistoryModel::version(int row) const {
    if (row < 0 || row >= rowCount()) {
        return nullptr;
    }
    return &m_versions[static_cast<std::size_t>(row)];
}

int HistoryModel::rowOf(int version) const {
    for (int row = 0; row < rowCount(); ++row) {
        if (m_versions[static_cast<std::size_t>(row)].version == version) {
            return row;
        }
    }
    return -1;
}

int HistoryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_versions.size());
}

int HistoryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString HistoryModel::describe(const model::SecretVersion& version, const model::SecretVersion* previous) {
    switch (version.kind) {
    case model::VersionKind::Created:
        return tr("Created");
    case model::VersionKind::Updated:
        return tr("Updated");
    case model::VersionKind::Renamed:
        return previous != nullptr ? tr("Renamed from %1").arg(previous->name) : tr("Renamed");
    case model::VersionKind::Deleted:
        return tr("Deleted");
    case model::VersionKind::Restored:
        return version.restoredFrom > 0 ? tr("Restored v%1").arg(version.restoredFrom) : tr("Restored");
    }
    return {};
}

QVariant HistoryModel::displayData(int row, int column) const {
    const auto& version = m_versions[static_cast<std::size_t>(row)];
    switch (column) {
    case VersionColumn:
        return version.version;
    case KindColumn:
        return describe(version, this->version(row + 1));
    case WhenColumn:
        return QLocale().toString(version.at.toLocalTime(), QLocale::ShortFormat);
    case ByColumn:
        return version.author;
    default:
        return {};
    }
}

QVariant HistoryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.model() != this) {
        return {};
    }
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return displayData(index.row(), index.column());
    case Qt::ToolTipRole:
        return index.column() == WhenColumn
                   ? QVariant(QLocale().toString(m_versions[static_cast<std::size_t>(index.row())].at.toLocalTime(),
                                                 QLocale::LongFormat))
                   : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == VersionColumn ? QVariant(Qt::AlignCenter) : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case VersionRole:
        return m_versions[static_cast<std::size_t>(index.row())].version;
    default:
        return {};
    }
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) {
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        return section == VersionColumn ? QVariant(Qt::AlignCenter) : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case VersionColumn:
        return tr("Version");
    case KindColumn:
        return tr("Change");
    case WhenColumn:
        return tr("When");
    case ByColumn:
        return tr("By");
    default:
        return {};
    }
}

Qt::ItemFlags HistoryModel::flags(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this) {
        return Qt::NoItemFlags;
    }
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

} // namespace coffer::ui
