// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"
#include "model/SecretIndex.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QIcon>

#include <cstdint>
#include <vector>

namespace coffer::model {
class Store;
}

namespace coffer::ui {

/// The secrets of the whole vault that match a search, with their project and environment. Holds a
/// model::SecretIndex read once from the Store; setQuery() filters it in memory and resets the model over a
/// list of positions, so a keystroke never touches the database. Never holds a value.
class SearchResultModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, ProjectColumn, EnvironmentColumn, TagsColumn, NoteColumn, ColumnCount };
    enum Role {
        SecretIdRole = Qt::UserRole + 1, ///< qint64
    };

    explicit SearchResultModel(QObject* parent = nullptr);

    /// Reads the index again (one query) and applies the current query to it; on error it keeps what it had.
    [[nodiscard]] model::Result<void> load(model::Store& store);
    /// Forgets the index, the query and the matches, and frees their memory (on lock).
    void clear();
    /// The secrets searched (for benchmarks and tests).
    [[nodiscard]] const model::SecretIndex& secretIndex() const noexcept { return m_index; }

    /// Lists the matches of `query` (see model::SecretIndex for the rules); a blank query lists nothing.
    void setQuery(const QString& query);
    [[nodiscard]] const QString& query() const noexcept { return m_query; }

    /// The match at `row`, or nullptr when out of range.
    [[nodiscard]] const model::ScopedSecret* secret(int row) const;
    /// The row of `secretId`, or -1 when it is not listed.
    [[nodiscard]] int rowOf(std::int64_t secretId) const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    void applyQuery(bool narrowing);
    [[nodiscard]] QVariant displayData(const model::ScopedSecret& entry, int column) const;
    [[nodiscard]] QIcon environmentIcon(const model::ScopedSecret& entry) const;

    model::SecretIndex m_index;
    QString m_query;
    QStringList m_words;
    std::vector<int> m_rows; ///< positions in m_index, ascending
    QIcon m_secretIcon;
    mutable QHash<QString, QIcon> m_chips; ///< environment chips by name, colour and protection
};

} // namespace coffer::ui
