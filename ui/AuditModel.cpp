// SPDX-License-Identifier: Apache-2.0
#include "ui/AuditModel.h"

#include <QLocale>

#include <algorithm>
#include <utility>

namespace coffer::ui {
namespace {

// The actions Coffer records, in the order the action filter lists them: reads first (what an auditor asks
// about), then changes of secrets, then of projects and environments.
const std::pair<const char*, const char*> kActions[] = {
    {"reveal", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Revealed")},
    {"copy", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Copied")},
    {"export", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Exported")},
    {"run", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Ran a command")},
    {"inject", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Injected")},
    {"import", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Imported")},
    {"create", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Created")},
    {"update", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Updated")},
    {"rename", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Renamed")},
    {"delete", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Deleted")},
    {"restore", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Restored")},
    {"add-project", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Added project")},
    {"rename-project", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Renamed project")},
    {"remove-project", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Removed project")},
    {"add-environment", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Added environment")},
    {"rename-environment", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Renamed environment")},
    {"remove-environment", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Removed environment")},
    {"protect", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Protected")},
    {"unprotect", QT_TRANSLATE_NOOP("coffer::ui::AuditModel", "Unprotected")},
};

int actionRank(const QString& action) {
    const auto* found = std::find_if(std::begin(kActions), std::end(kActions),
                                     [&](const auto& known) { return action == QLatin1String(known.first); });
    return static_cast<int>(found - std::begin(kActions));
}

} // namespace

AuditModel::AuditModel(QObject* parent)
    : QAbstractTableModel(parent) {}

model::Result<void> AuditModel::load(model::Store& store, int limit) {
    auto events = store.auditEvents(limit);
    if (!events) {
        return std::unexpected(events.error());
    }
    beginResetModel();
    m_events = std::move(*events);
    endResetModel();
    return {};
}

void AuditModel::clear() {
    beginResetModel();
    m_events.clear();
    endResetModel();
}

const model::AuditEvent* AuditModel::event(int row) const {
    if (row < 0 || row >= rowCount()) {
        return nullptr;
    }
    return &m_events[static_cast<std::size_t>(row)];
}

QStringList AuditModel::actions() const {
    QStringList found;
    for (const auto& event : m_events) {
        if (!found.contains(event.action)) {
            found << event.action;
        }
    }
    std::sort(found.begin(), found.end(), [](const QString& a, const QString& b) {
        const int rankA = actionRank(a);
        const int rankB = actionRank(b);
        return rankA != rankB ? rankA < rankB : a < b;
    });
    return found;
}

QString AuditModel::actionText(const QString& action) {
    const int rank = actionRank(action);
    if (rank < static_cast<int>(std::size(kActions))) {
        return tr(kActions[rank].second);
    }
    return action;
}

int AuditModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

int AuditModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditModel::displayData(const model::AuditEvent& event, int column) const {
    switch (column) {
    case WhenColumn:
        return QLocale().toString(event.at.toLocalTime(), QLocale::ShortFormat);
    case WhoColumn:
        return event.actor;
    case ActionColumn:
        return actionText(event.action);
    case ProjectColumn:
        return event.project;
    case EnvironmentColumn:
        return event.environment;
    case SecretColumn:
        return event.secret;
    case DetailColumn:
        return event.detail;
    default:
        return {};
    }
}

QVariant AuditModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.model() != this) {
        return {};
    }
    const auto& event = m_events[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return displayData(event, index.column());
    case Qt::ToolTipRole:
        if (index.column() == WhenColumn) {
            return QLocale().toString(event.at.toLocalTime(), QLocale::LongFormat);
        }
        return index.column() == DetailColumn && !event.detail.isEmpty() ? QVariant(event.detail) : QVariant();
    case ActionRole:
        return event.action;
    case SortRole:
        // Ties (several events in one millisecond) keep the order they were recorded in.
        return index.column() == WhenColumn ? QVariant(static_cast<qint64>(event.id))
                                            : displayData(event, index.column());
    default:
        return {};
    }
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) {
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case WhenColumn:
        return tr("When");
    case WhoColumn:
        return tr("Who");
    case ActionColumn:
        return tr("Action");
    case ProjectColumn:
        return tr("Project");
    case EnvironmentColumn:
        return tr("Environment");
    case SecretColumn:
        return tr("Secret");
    case DetailColumn:
        return tr("Detail");
    default:
        return {};
    }
}

Qt::ItemFlags AuditModel::flags(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this) {
        return Qt::NoItemFlags;
    }
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

} // namespace coffer::ui
