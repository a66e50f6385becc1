// SPDX-License-Identifier: Apache-2.0
#include "ui/CompareModel.h"

#include "ui/EnvironmentColour.h"

#include <QGuiApplication>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

#include <algorithm>
#include <array>

namespace coffer::ui {
namespace {

constexpr int kIconSize = 16;

// Mid-tone hues that read on white and on dark grey alike; group A is green, the colour of "same".
constexpr std::array<QRgb, 8> kGroupColours = {0x2e9d5b, 0x3b7dd8, 0x9b59b6, 0xd9822b,
                                               0x16a2a9, 0xc2477f, 0x7d8b2e, 0x8d6e63};

// "dev", "dev and staging", "dev, staging and prod".
QString joinNames(const QStringList& names) {
    if (names.size() <= 1) {
        return names.value(0);
    }
    return CompareModel::tr("%1 and %2").arg(names.mid(0, names.size() - 1).join(QStringLiteral(", ")), names.last());
}

CompareModel::CellKind kindOf(const model::CompareRow& row, const model::CompareCell& cell) {
    if (!cell.present) {
        return CompareModel::CellKind::Missing;
    }
    if (row.presentCount() == 1) {
        return CompareModel::CellKind::OnlyHere;
    }
    return row.groupSize(cell.group) > 1 ? CompareModel::CellKind::Same : CompareModel::CellKind::Differs;
}

} // namespace

CompareModel::CompareModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void CompareModel::setMatrix(model::CompareMatrix matrix) {
    // A reload that changes nothing must not reset the view: it would drop a click in progress and the scroll.
    const auto sameEnvironment = [](const model::Environment& a, const model::Environment& b) {
        return a.id == b.id && a.name == b.name && a.isProtected == b.isProtected && a.colour == b.colour;
    };
    if (matrix.rows == m_matrix.rows &&
        std::ranges::equal(matrix.environments, m_matrix.environments, sameEnvironment)) {
        return;
    }
    beginResetModel();
    m_matrix = std::move(matrix);
    m_environmentIcons.clear();
    for (const auto& environment : m_matrix.environments) {
        m_environmentIcons.push_back(chipIcon(colours::environmentColour(environment)));
    }
    rebuildVisibleRows();
    endResetModel();
}

void CompareModel::clear() {
    setMatrix({});
}

void CompareModel::setOnlyDifferences(bool only) {
    if (m_onlyDifferences == only) {
        return;
    }
    beginResetModel();
    m_onlyDifferences = only;
    rebuildVisibleRows();
    endResetModel();
}

void CompareModel::rebuildVisibleRows() {
    m_visibleRows.clear();
    for (std::size_t row = 0; row < m_matrix.rows.size(); ++row) {
        if (!m_onlyDifferences || !m_matrix.rows[row].allEqual()) {
            m_visibleRows.push_back(static_cast<int>(row));
        }
    }
}

const model::Environment* CompareModel::environment(int column) const {
    if (column <= NameColumn || column > static_cast<int>(m_matrix.environments.size())) {
        return nullptr;
    }
    return &m_matrix.environments[static_cast<std::size_t>(column - 1)];
}

const model::CompareRow* CompareModel::compareRow(int row) const {
    if (row < 0 || row >= static_cast<int>(m_visibleRows.size())) {
        return nullptr;
    }
    return &m_matrix.rows[static_cast<std::size_t>(m_visibleRows[static_cast<std::size_t>(row)])];
}

CompareModel::CellKind CompareModel::cellKind(const QModelIndex& index) const {
    const model::CompareRow* row = compareRow(index.row());
    if (row == nullptr || environment(index.column()) == nullptr) {
        return CellKind::Name;
    }
    return kindOf(*row, row->cells[static_cast<std::size_t>(index.column() - 1)]);
}

int CompareModel::differingCount() const noexcept {
    int count = 0;
    for (const auto& row : m_matrix.rows) {
        count += row.groupCount > 1 ? 1 : 0;
    }
    return count;
}

int CompareModel::incompleteCount() const noexcept {
    int count = 0;
    for (const auto& row : m_matrix.rows) {
        count += row.presentCount() < static_cast<int>(row.cells.size()) ? 1 : 0;
    }
    return count;
}

QIcon CompareModel::chipIcon(const QColor& colour) {
    QPixmap pixmap(kIconSize, kIconSize);
    pixmap.fill(Qt::transparent);
    if (colour.isValid()) {
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(colour.darker(125), 1.0));
        painter.setBrush(colour);
        painter.drawEllipse(QRectF(3.5, 3.5, 9, 9));
    }
    return QIcon(pixmap);
}

QString CompareModel::groupLetter(int group) {
    if (group < 0) {
        return {};
    }
    // A..Z, then A2, B2, ...: more than 26 distinct values needs as many environments, but stay correct.
    const QChar letter(u'A' + group % 26);
    return group < 26 ? QString(letter) : QStringLiteral("%1%2").arg(letter).arg(group / 26 + 1);
}

QColor CompareModel::groupColour(int group) {
    return group < 0 ? QColor() : QColor(kGroupColours[static_cast<std::size_t>(group) % kGroupColours.size()]);
}

int CompareModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_visibleRows.size());
}

int CompareModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_matrix.environments.size()) + 1;
}

QVariant CompareModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const model::CompareRow* row = compareRow(index.row());
    return index.column() == NameColumn ? nameData(*row, role) : cellData(*row, index.column(), role);
}

QVariant CompareModel::nameData(const model::CompareRow& row, int role) const {
    switch (role) {
    case Qt::DisplayRole:
        return row.name;
    case Qt::ToolTipRole:
    case Qt::AccessibleDescriptionRole:
        return rowToolTip(row);
    case CellKindRole:
        return static_cast<int>(CellKind::Name);
    case SecretIdRole:
        return QVariant::fromValue<qint64>(0);
    default:
        return {};
    }
}

QVariant CompareModel::cellData(const model::CompareRow& row, int column, int role) const {
    const model::CompareCell& cell = row.cells[static_cast<std::size_t>(column - 1)];
    const CellKind cellKindHere = kindOf(row, cell);
    switch (role) {
    case Qt::DisplayRole:
        return cellText(cellKindHere, cell.group);
    case Qt::DecorationRole:
        return groupIcon(cellKindHere == CellKind::Same ? cell.group : -1);
    case Qt::ToolTipRole:
        return cellToolTip(row, column);
    case Qt::AccessibleTextRole:
        return QStringLiteral("%1: %2").arg(row.name, cellToolTip(row, column));
    case Qt::ForegroundRole:
        if (cellKindHere == CellKind::Missing) {
            return QGuiApplication::palette().color(QPalette::PlaceholderText);
        }
        return {};
    case CellKindRole:
        return static_cast<int>(cellKindHere);
    case SecretIdRole:
        return QVariant::fromValue<qint64>(cell.secretId);
    case EnvironmentIdRole:
        return QVariant::fromValue<qint64>(m_matrix.environments[static_cast<std::size_t>(column - 1)].id);
    case GroupRole:
        return cell.group;
    default:
        return {};
    }
}

QString CompareModel::cellText(CellKind kind, int group) const {
    switch (kind) {
    case CellKind::Missing:
        return QStringLiteral("\u2014");
    case CellKind::Same:
        return QStringLiteral("= %1").arg(groupLetter(group));
    case CellKind::Differs:
        return tr("\u2260 differs");
    case CellKind::OnlyHere:
        return tr("only here");
    case CellKind::Name:
        break;
    }
    return {};
}

QString CompareModel::cellToolTip(const model::CompareRow& row, int column) const {
    const std::size_t self = static_cast<std::size_t>(column - 1);
    const model::CompareCell& cell = row.cells[self];
    const QString here = m_matrix.environments[self].name;
    QStringList same;
    QStringList having;
    QStringList missing;
    for (std::size_t i = 0; i < row.cells.size(); ++i) {
        if (i == self) {
            continue;
        }
        const QString& name = m_matrix.environments[i].name;
        if (!row.cells[i].present) {
            missing << name;
            continue;
        }
        having << name;
        if (row.cells[i].group == cell.group) {
            same << name;
        }
    }
    if (!cell.present) {
        return having.size() == 1 ? tr("Missing in %1 (%2 has it)").arg(here, having.front())
                                  : tr("Missing in %1 (%2 have it)").arg(here, joinNames(having));
    }
    if (having.isEmpty()) {
        return missing.isEmpty() ? tr("Only environment of this project")
                                 : tr("Only in %1; missing in %2").arg(here, joinNames(missing));
    }
    QString text;
    if (!same.isEmpty()) {
        text = same.size() == static_cast<qsizetype>(row.cells.size()) - 1
                   ? tr("Same value in every environment")
                   : tr("Same value as %1").arg(joinNames(same));
    } else {
        text = tr("Different from all others (%1)").arg(joinNames(having));
    }
    if (!missing.isEmpty()) {
        text += tr("; missing in %1").arg(joinNames(missing));
    }
    return text;
}

QString CompareModel::rowToolTip(const model::CompareRow& row) const {
    QStringList missing;
    for (std::size_t i = 0; i < row.cells.size(); ++i) {
        if (!row.cells[i].present) {
            missing << m_matrix.environments[i].name;
        }
    }
    QString text = row.allEqual()           ? tr("%1: the same value in every environment").arg(row.name)
                   : row.groupCount > 1     ? tr("%1: %2 different values").arg(row.name).arg(row.groupCount)
                   : row.presentCount() > 1 ? tr("%1: the same value where present").arg(row.name)
                                            : row.name;
    if (!missing.isEmpty()) {
        text += tr("; missing in %1").arg(joinNames(missing));
    }
    return text;
}

QIcon CompareModel::groupIcon(int group) const {
    // Every environment cell has an icon (a blank one when there is no group), so the texts line up.
    const std::size_t slot = static_cast<std::size_t>(group + 1);
    if (m_groupIcons.size() <= slot) {
        m_groupIcons.resize(slot + 1);
    }
    if (m_groupIcons[slot].isNull()) {
        m_groupIcons[slot] = chipIcon(groupColour(group));
    }
    return m_groupIcons[slot];
}

QVariant CompareModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) {
        return {};
    }
    if (section == NameColumn) {
        return role == Qt::DisplayRole ? QVariant(tr("Secret")) : QVariant();
    }
    const model::Environment* env = environment(section);
    if (env == nullptr) {
        return {};
    }
    switch (role) {
    case Qt::DisplayRole:
        return env->name;
    case Qt::DecorationRole:
        return m_environmentIcons[static_cast<std::size_t>(section - 1)];
    case Qt::ToolTipRole:
        return env->isProtected ? tr("%1 (protected environment)").arg(env->name) : env->name;
    case EnvironmentIdRole:
        return QVariant::fromValue<qint64>(env->id);
    case ProtectedRole:
        return env->isProtected;
    default:
        return {};
    }
}

Qt::ItemFlags CompareModel::flags(const QModelIndex& index) const {
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return Qt::NoItemFlags;
    }
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

} // namespace coffer::ui
