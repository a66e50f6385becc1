// SPDX-License-Identifier: Apache-2.0
#include "ui/AccessMatrixModel.h"

#include "ui/TeamText.h"

#include <QFont>
#include <QGuiApplication>
#include <QPalette>

namespace coffer::ui {
namespace {

int level(std::optional<protocol::Access> access) {
    if (!access) {
        return 0;
    }
    return *access == protocol::Access::Write ? 2 : 1;
}

} // namespace

AccessMatrixModel::AccessMatrixModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void AccessMatrixModel::setMatrix(sync::AccessMatrix matrix) {
    beginResetModel();
    m_matrix = std::move(matrix);
    // A matrix from elsewhere may be ragged: every row gets one cell per environment.
    m_matrix.access.resize(m_matrix.members.size());
    for (auto& row : m_matrix.access) {
        row.resize(m_matrix.environments.size());
    }
    m_pending = m_matrix.access;
    endResetModel();
    Q_EMIT changesChanged();
}

void AccessMatrixModel::clear() {
    setMatrix({});
}

bool AccessMatrixModel::inRange(int row, int column) const {
    return row >= 0 && column >= 0 && static_cast<std::size_t>(row) < m_matrix.members.size() &&
           static_cast<std::size_t>(column) < m_matrix.environments.size();
}

std::optional<protocol::Access> AccessMatrixModel::access(int row, int column) const {
    if (!inRange(row, column)) {
        return std::nullopt;
    }
    return m_pending[static_cast<std::size_t>(row)][static_cast<std::size_t>(column)];
}

std::optional<protocol::Access> AccessMatrixModel::originalAccess(int row, int column) const {
    if (!inRange(row, column)) {
        return std::nullopt;
    }
    return m_matrix.access[static_cast<std::size_t>(row)][static_cast<std::size_t>(column)];
}

bool AccessMatrixModel::isEditable(int row) const {
    if (row < 0 || static_cast<std::size_t>(row) >= m_matrix.members.size()) {
        return false;
    }
    const sync::MemberInfo& member = m_matrix.members[static_cast<std::size_t>(row)];
    return member.status == sync::MemberInfo::Status::Active && !member.isMe;
}

bool AccessMatrixModel::setAccess(int row, int column, std::optional<protocol::Access> access) {
    if (!inRange(row, column) || !isEditable(row)) {
        return false;
    }
    auto& cell = m_pending[static_cast<std::size_t>(row)][static_cast<std::size_t>(column)];
    if (cell == access) {
        return true;
    }
    cell = access;
    const QModelIndex changed = index(row, column);
    Q_EMIT dataChanged(changed, changed);
    Q_EMIT changesChanged();
    return true;
}

std::vector<sync::AccessChange> AccessMatrixModel::changes() const {
    std::vector<sync::AccessChange> out;
    for (std::size_t row = 0; row < m_matrix.members.size(); ++row) {
        for (std::size_t column = 0; column < m_matrix.environments.size(); ++column) {
            if (m_pending[row][column] != m_matrix.access[row][column]) {
                out.push_back(
                    {m_matrix.members[row].id, m_matrix.environments[column].environmentId, m_pending[row][column]});
            }
        }
    }
    return out;
}

QStringList AccessMatrixModel::describeChanges() const {
    QStringList lines;
    for (std::size_t row = 0; row < m_matrix.members.size(); ++row) {
        for (std::size_t column = 0; column < m_matrix.environments.size(); ++column) {
            const auto before = m_matrix.access[row][column];
            const auto after = m_pending[row][column];
            if (before == after) {
                continue;
            }
            const auto& environment = m_matrix.environments[column];
            QString line =
                tr("%1: %2 %3 \u2192 %4")
                    .arg(m_matrix.members[row].name, team::scopeName(environment.project, environment.environment),
                         team::accessText(before), team::accessText(after));
            if (level(after) < level(before) && level(after) == 0) {
                line += tr(" (keys rotate)");
            }
            lines << line;
        }
    }
    return lines;
}

bool AccessMatrixModel::hasRevocations() const {
    for (std::size_t row = 0; row < m_matrix.members.size(); ++row) {
        for (std::size_t column = 0; column < m_matrix.environments.size(); ++column) {
            if (m_matrix.access[row][column] && !m_pending[row][column]) {
                return true;
            }
        }
    }
    return false;
}

void AccessMatrixModel::revert() {
    if (m_pending == m_matrix.access) {
        return;
    }
    m_pending = m_matrix.access;
    if (rowCount() > 0 && columnCount() > 0) {
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    }
    Q_EMIT changesChanged();
}

int AccessMatrixModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_matrix.members.size());
}

int AccessMatrixModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_matrix.environments.size());
}

QVariant AccessMatrixModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !inRange(index.row(), index.column())) {
        return {};
    }
    const auto now = access(index.row(), index.column());
    const auto before = originalAccess(index.row(), index.column());
    switch (role) {
    case Qt::DisplayRole:
        return team::accessText(now);
    case Qt::CheckStateRole:
        return now == protocol::Access::Write ? Qt::Checked : Qt::Unchecked;
    case ReadRole:
        return now.has_value();
    case WriteRole:
        return now == protocol::Access::Write;
    case AccessRole:
        return level(now);
    case OriginalAccessRole:
        return level(before);
    case ChangedRole:
        return now != before;
    case Qt::FontRole:
        if (now != before) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ToolTipRole: {
        const auto& member = m_matrix.members[static_cast<std::size_t>(index.row())];
        const auto& environment = m_matrix.environments[static_cast<std::size_t>(index.column())];
        QString tip =
            tr("%1 in %2: %3")
                .arg(member.name, team::scopeName(environment.project, environment.environment), team::accessText(now));
        if (now != before) {
            tip += tr(" (was %1)").arg(team::accessText(before));
        }
        if (member.isMe) {
            tip += tr("\nYour own access is not changed here.");
        } else if (!isEditable(index.row())) {
            tip += tr("\n%1 is %2: confirm them first.").arg(member.name, team::statusText(member.status).toLower());
        }
        return tip;
    }
    case Qt::AccessibleTextRole:
        return team::accessText(now);
    default:
        return {};
    }
}

bool AccessMatrixModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || !isEditable(index.row())) {
        return false;
    }
    const auto now = access(index.row(), index.column());
    switch (role) {
    case ReadRole:
        // Read off takes write away too; read on keeps write as it was.
        if (!value.toBool()) {
            return setAccess(index.row(), index.column(), std::nullopt);
        }
        return setAccess(index.row(), index.column(), now ? now : std::optional(protocol::Access::Read));
    case Qt::CheckStateRole:
    case WriteRole: {
        const bool write = role == WriteRole ? value.toBool() : value.toInt() == Qt::Checked;
        if (write) {
            return setAccess(index.row(), index.column(), protocol::Access::Write);
        }
        return setAccess(index.row(), index.column(), now ? std::optional(protocol::Access::Read) : std::nullopt);
    }
    case AccessRole:
    case Qt::EditRole: {
        const int wanted = value.toInt();
        if (wanted < 0 || wanted > 2) {
            return false;
        }
        return setAccess(index.row(), index.column(),
                         wanted == 0   ? std::nullopt
                         : wanted == 1 ? std::optional(protocol::Access::Read)
                                       : std::optional(protocol::Access::Write));
    }
    default:
        return false;
    }
}

QVariant AccessMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal) {
        if (section < 0 || static_cast<std::size_t>(section) >= m_matrix.environments.size()) {
            return {};
        }
        const auto& environment = m_matrix.environments[static_cast<std::size_t>(section)];
        if (role == Qt::DisplayRole) {
            return team::scopeName(environment.project, environment.environment);
        }
        if (role == Qt::ToolTipRole && environment.isProtected) {
            return tr("%1 is protected").arg(team::scopeName(environment.project, environment.environment));
        }
        return {};
    }
    if (section < 0 || static_cast<std::size_t>(section) >= m_matrix.members.size()) {
        return {};
    }
    const auto& member = m_matrix.members[static_cast<std::size_t>(section)];
    if (role == Qt::DisplayRole) {
        return member.isMe ? tr("%1 (you)").arg(member.name) : member.name;
    }
    if (role == Qt::ToolTipRole) {
        return tr("%1 \u00b7 %2 \u00b7 %3")
            .arg(team::roleText(member.role), team::statusText(member.status), member.fingerprint);
    }
    return {};
}

Qt::ItemFlags AccessMatrixModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) {
        return Qt::NoItemFlags;
    }
    Qt::ItemFlags flags = Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (isEditable(index.row())) {
        flags |= Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsEditable;
    }
    return flags;
}

} // namespace coffer::ui
