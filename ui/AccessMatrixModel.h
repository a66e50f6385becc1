// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/TeamService.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace coffer::ui {

/// Members (rows) × shared environments (columns) for the access matrix. A cell is None, Read or Write; its
/// read and write toggles are checkable (ReadRole, WriteRole; Qt::CheckStateRole is the write toggle, as the
/// strongest). Write implies read: turning write on turns read on, turning read off turns write off. Edits are
/// kept as pending changes beside the original matrix until changes() is applied and setMatrix() reloads.
/// Members that are not active and confirmed, and this vault's own member, cannot be edited.
class AccessMatrixModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        ReadRole = Qt::UserRole + 1, ///< bool, settable
        WriteRole,                   ///< bool, settable
        AccessRole,                  ///< int: 0 none, 1 read, 2 write (the pending value)
        OriginalAccessRole,          ///< int, as AccessRole, before any edit
        ChangedRole,                 ///< bool: the pending value differs from the original
    };

    explicit AccessMatrixModel(QObject* parent = nullptr);

    void setMatrix(sync::AccessMatrix matrix);
    void clear();
    [[nodiscard]] const sync::AccessMatrix& matrix() const noexcept { return m_matrix; }

    /// The access a cell will have (pending edits included) and had.
    [[nodiscard]] std::optional<protocol::Access> access(int row, int column) const;
    [[nodiscard]] std::optional<protocol::Access> originalAccess(int row, int column) const;
    /// Sets a cell (false when it cannot be edited or is out of range).
    bool setAccess(int row, int column, std::optional<protocol::Access> access);
    /// Whether the member of `row` may be given access here (active, confirmed, not this vault's own member).
    [[nodiscard]] bool isEditable(int row) const;

    /// The pending changes in row, then column order: one per changed cell.
    [[nodiscard]] std::vector<sync::AccessChange> changes() const;
    /// One line per change for people: "bob: app/prod Read → None (keys rotate)".
    [[nodiscard]] QStringList describeChanges() const;
    /// Whether any change takes access away (a new epoch key follows).
    [[nodiscard]] bool hasRevocations() const;
    /// Forgets the pending changes.
    void revert();

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;

Q_SIGNALS:
    /// The pending changes changed.
    void changesChanged();

private:
    [[nodiscard]] bool inRange(int row, int column) const;

    sync::AccessMatrix m_matrix;
    std::vector<std::vector<std::optional<protocol::Access>>> m_pending;
};

} // namespace coffer::ui
