// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"
#include "model/Store.h"

#include <QAbstractTableModel>

#include <cstdint>
#include <vector>

namespace coffer::ui {

/// The versions of one secret, newest first: version number, what happened, when and by whom. Never holds a
/// value.
class HistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { VersionColumn, KindColumn, WhenColumn, ByColumn, ColumnCount };
    enum Role {
        VersionRole = Qt::UserRole + 1, ///< int, on every column
    };

    explicit HistoryModel(QObject* parent = nullptr);

    /// Shows the history of `secretId`; on error the model keeps what it had.
    [[nodiscard]] model::Result<void> load(model::Store& store, std::int64_t secretId);
    /// Forgets everything (on lock, or when no secret is selected).
    void clear();

    [[nodiscard]] std::int64_t secretId() const noexcept { return m_secretId; }
    /// The version at `row`, or nullptr when out of range.
    [[nodiscard]] const model::SecretVersion* version(int row) const;
    /// The row of version number `version`, or -1.
    [[nodiscard]] int rowOf(int version) const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;

    /// "Created", "Renamed from OLD", "Restored v2", ... for people.
    [[nodiscard]] static QString describe(const model::SecretVersion& version, const model::SecretVersion* previous);

private:
    [[nodiscard]] QVariant displayData(int row, int column) const;

    std::int64_t m_secretId = 0;
    std::vector<model::SecretVersion> m_versions; // newest first
};

} // namespace coffer::ui
