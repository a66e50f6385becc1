// SPDX-License-Identifier: Apache-2.0
#include "ui/SecretTableModel.h"

#include "ui/Icons.h"
#include "ui/Text.h"

#include <QFont>
#include <QLocale>
#include <QPalette>

namespace coffer::ui {

SecretTableModel::SecretTableModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_secretIcon(icons::secret()) {}

model::Result<void> SecretTableModel::load(model::Store& store, std::int64_t environmentId, bool includeDeleted) {
    auto secrets = store.secrets(environmentId, includeDeleted);
    if (!secrets) {
        return std::unexpected(secrets.error());
    }
    beginResetModel();
    m_environmentId = environmentId;
    m_secrets = std::move(*secrets);
    endResetModel();
    return {};
}

void SecretTableModel::clear() {
    beginResetModel();
    m_environmentId = 0;
    m_secrets.clear();
    endResetModel();
}

const model::SecretSummary* SecretTableModel::secret(int row) const {
    if (row < 0 || row >= rowCount()) {
        return nullptr;
    }
    return &m_secrets[static_cast<std::size_t>(row)];
}

int SecretTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_secrets.size());
}

int SecretTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SecretTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.model() != this) {
        return {};
    }
    const auto& secret = m_secrets[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return displayData(secret, index.column());
    case Qt::ToolTipRole:
        return toolTipData(secret, index.column());
    case Qt::FontRole:
        if (secret.deleted) {
            QFont font;
            font.setStrikeOut(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        return secret.deleted ? QVariant(QPalette().brush(QPalette::Disabled, QPalette::Text)) : QVariant();
    case Qt::DecorationRole:
        return index.column() == NameColumn ? QVariant(m_secretIcon) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == VersionColumn ? QVariant(Qt::AlignCenter) : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::AccessibleTextRole:
        return index.column() == ValueColumn ? tr("hidden value") : displayData(secret, index.column());
    case SecretIdRole:
        return QVariant::fromValue<qint64>(secret.id);
    case NoteRole:
        return secret.note;
    case SortRole:
        switch (index.column()) {
        case VersionColumn:
            return secret.version;
        case UpdatedColumn:
            return secret.updatedAt;
        default:
            return displayData(secret, index.column());
        }
    default:
        return {};
    }
}

QVariant SecretTableModel::displayData(const model::SecretSummary& secret, int column) const {
    switch (column) {
    case NameColumn:
        return secret.name;
    case ValueColumn:
        return maskedValue();
    case VersionColumn:
        return secret.version;
    case UpdatedColumn:
        return QLocale().toString(secret.updatedAt.toLocalTime(), QLocale::ShortFormat);
    case UpdatedByColumn:
        return secret.updatedBy;
    case TagsColumn:
        return secret.tags.join(QStringLiteral(", "));
    default:
        return {};
    }
}

QVariant SecretTableModel::toolTipData(const model::SecretSummary& secret, int column) const {
    switch (column) {
    case NameColumn: {
        QString tip = secret.note.isEmpty() ? secret.name : secret.name + QLatin1Char('\n') + secret.note;
        if (secret.deleted) {
            tip += QLatin1Char('\n') + tr("Deleted: restore a version from its history to bring it back.");
        }
        return tip;
    }
    case ValueColumn:
        return tr("The value is hidden.");
    case VersionColumn:
        return tr("Version %1").arg(secret.version);
    case UpdatedColumn:
        return QLocale().toString(secret.updatedAt.toLocalTime(), QLocale::LongFormat);
    default:
        return {};
    }
}

QVariant SecretTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
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
    case NameColumn:
        return tr("Name");
    case ValueColumn:
        return tr("Value");
    case VersionColumn:
        return tr("Version");
    case UpdatedColumn:
        return tr("Updated");
    case UpdatedByColumn:
        return tr("By");
    case TagsColumn:
        return tr("Tags");
    default:
        return {};
    }
}

Qt::ItemFlags SecretTableModel::flags(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this) {
        return Qt::NoItemFlags;
    }
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

} // namespace coffer::ui
