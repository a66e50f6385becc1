// SPDX-License-Identifier: Apache-2.0
#include "ui/SearchResultModel.h"

#include "model/Store.h"
#include "ui/EnvironmentColour.h"
#include "ui/Icons.h"

namespace coffer::ui {
SearchResultModel::SearchResultModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_secretIcon(icons::secret()) {}

model::Result<void> SearchResultModel::load(model::Store& store) {
    model::SecretIndex index;
    if (auto loaded = index.load(store); !loaded) {
        return loaded;
    }
    beginResetModel();
    m_index = std::move(index);
    m_rows = m_index.match(m_words);
    endResetModel();
    return {};
}

void SearchResultModel::clear() {
    beginResetModel();
    m_index.clear();
    m_query.clear();
    m_words.clear();
    m_rows = {};
    endResetModel();
}

void SearchResultModel::setQuery(const QString& query) {
    if (query == m_query) {
        return;
    }
    QStringList words = model::SecretIndex::words(query);
    const bool narrowing = model::SecretIndex::narrows(words, m_words);
    m_query = query;
    if (words == m_words) {
        return; // only white space changed
    }
    m_words = std::move(words);
    applyQuery(narrowing);
}

void SearchResultModel::applyQuery(bool narrowing) {
    // Typing a letter narrows the search: only the previous matches need checking.
    std::vector<int> rows = narrowing ? m_index.match(m_words, m_rows) : m_index.match(m_words);
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

const model::ScopedSecret* SearchResultModel::secret(int row) const {
    if (row < 0 || row >= rowCount()) {
        return nullptr;
    }
    return &m_index.at(m_rows[static_cast<std::size_t>(row)]);
}

int SearchResultModel::rowOf(std::int64_t secretId) const {
    const int position = m_index.positionOf(secretId);
    if (position < 0) {
        return -1;
    }
    const auto found = std::lower_bound(m_rows.begin(), m_rows.end(), position);
    return found != m_rows.end() && *found == position ? static_cast<int>(found - m_rows.begin()) : -1;
}

int SearchResultModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SearchResultModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SearchResultModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.model() != this) {
        return {};
    }
    const model::ScopedSecret& entry = *secret(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return displayData(entry, index.column());
    case Qt::ToolTipRole:
        if (index.column() == NameColumn) {
            return QStringLiteral("%1 \u203a %2 \u203a %3").arg(entry.project, entry.environment, entry.secret.name);
        }
        if (index.column() == EnvironmentColumn && entry.environmentProtected) {
            return tr("%1 (protected)").arg(entry.environment);
        }
        return displayData(entry, index.column());
    case Qt::DecorationRole:
        switch (index.column()) {
        case NameColumn:
            return m_secretIcon;
        case EnvironmentColumn:
            return environmentIcon(entry);
        default:
            return {};
        }
    case SecretIdRole:
        return QVariant::fromValue<qint64>(entry.secret.id);
    default:
        return {};
    }
}

QVariant SearchResultModel::displayData(const model::ScopedSecret& entry, int column) const {
    switch (column) {
    case NameColumn:
        return entry.secret.name;
    case ProjectColumn:
        return entry.project;
    case EnvironmentColumn:
        return entry.environment;
    case TagsColumn:
        return entry.secret.tags.join(QStringLiteral(", "));
    case NoteColumn: {
        // One line in the table; the detail pane shows all of it.
        const qsizetype newline = entry.secret.note.indexOf(u'\n');
        return newline < 0 ? entry.secret.note : entry.secret.note.left(newline) + QStringLiteral(" …");
    }
    default:
        return {};
    }
}

QIcon SearchResultModel::environmentIcon(const model::ScopedSecret& entry) const {
    // The same chip as in the tree: the environment's colour (chosen or derived from its name), a lock when protected.
    model::Environment environment;
    environment.name = entry.environment;
    environment.colour = entry.environmentColour;
    environment.isProtected = entry.environmentProtected;
    const QString key = QStringLiteral("%1|%2|%3")
                            .arg(entry.environment, entry.environmentColour,
                                 entry.environmentProtected ? QStringLiteral("p") : QString());
    auto chip = m_chips.constFind(key);
    if (chip == m_chips.constEnd()) {
        chip = m_chips.insert(key, colours::chip(colours::environmentColour(environment), environment.isProtected));
    }
    return *chip;
}

QVariant SearchResultModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case NameColumn:
        return tr("Name");
    case ProjectColumn:
        return tr("Project");
    case EnvironmentColumn:
        return tr("Environment");
    case TagsColumn:
        return tr("Tags");
    case NoteColumn:
        return tr("Note");
    default:
        return {};
    }
}

Qt::ItemFlags SearchResultModel::flags(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this) {
        return Qt::NoItemFlags;
    }
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

} // namespace coffer::ui
