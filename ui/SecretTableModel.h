// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"
#include "model/Store.h"

#include <QAbstractTableModel>
#include <QIcon>

#include <cstdint>
#include <vector>

namespace coffer::ui {

/// The live secrets of one environment, read from model::Store. Never holds a value: the Value column
/// always shows the same mask, whatever the value's length.
class SecretTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, ValueColumn, VersionColumn, UpdatedColumn, UpdatedByColumn, TagsColumn, ColumnCount };
    enum Role {
        SecretIdRole = Qt::UserRole + 1, ///< qint64
        NoteRole,                        ///< the note, on every column
        SortRole,                        ///< raw values for sorting (int version, QDateTime updated)
    };

    explicit SecretTableModel(QObject* parent = nullptr);

    /// Shows the secrets of `environmentId` (deleted ones too with `includeDeleted`, struck out); on error the model
    /// keeps what it had.
    [[nodiscard]] model::Result<void> load(model::Store& store, std::int64_t environmentId,
                                           bool includeDeleted = false);
    /// Forgets everything (on lock, or when no environment is selected).
    void clear();

    /// The environment shown, or 0 when none.
    [[nodiscard]] std::int64_t environmentId() const noexcept { return m_environmentId; }
    /// The secret at `row`, or nullptr when out of range.
    [[nodiscard]] const model::SecretSummary* secret(int row) const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    [[nodiscard]] QVariant displayData(const model::SecretSummary& secret, int column) const;
    [[nodiscard]] QVariant toolTipData(const model::SecretSummary& secret, int column) const;

    std::int64_t m_environmentId = 0;
    std::vector<model::SecretSummary> m_secrets;
    QIcon m_secretIcon;
};

} // namespace coffer::ui
