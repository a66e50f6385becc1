// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Compare.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QIcon>

#include <vector>

namespace coffer::ui {

/// The comparison matrix of one project for a table view: a Secret column with the names, then one column per
/// environment. Never holds a value, its length or its digest: only whether each environment has the name and
/// which cells share a value (a group letter). "Only differences" hides the rows equal everywhere.
class CompareModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int NameColumn = 0;

    /// What a cell says, for views, tests and the legend.
    enum class CellKind {
        Name,     ///< the Secret column
        Missing,  ///< the environment has no live secret of that name
        Same,     ///< present, with the same value as at least one other environment (a group letter)
        Differs,  ///< present, with a value no other environment has
        OnlyHere, ///< present here and nowhere else
    };
    enum Role {
        CellKindRole = Qt::UserRole + 1, ///< int(CellKind)
        SecretIdRole,                    ///< qint64, 0 when missing or on the Secret column
        EnvironmentIdRole,               ///< qint64 on environment columns (cells and headers)
        GroupRole,                       ///< int, -1 when missing
        ProtectedRole,                   ///< bool, on environment headers
    };

    explicit CompareModel(QObject* parent = nullptr);

    /// Shows `matrix`.
    void setMatrix(model::CompareMatrix matrix);
    /// Forgets everything (on lock).
    void clear();
    /// Hides the rows whose value is the same in every environment.
    void setOnlyDifferences(bool only);
    [[nodiscard]] bool onlyDifferences() const noexcept { return m_onlyDifferences; }

    /// The environment of `column`, or nullptr for the Secret column or out of range.
    [[nodiscard]] const model::Environment* environment(int column) const;
    /// The matrix row shown at `row`, or nullptr.
    [[nodiscard]] const model::CompareRow* compareRow(int row) const;
    [[nodiscard]] CellKind cellKind(const QModelIndex& index) const;
    /// All names (also the hidden ones), those whose values differ somewhere, those missing somewhere.
    [[nodiscard]] int nameCount() const noexcept { return static_cast<int>(m_matrix.rows.size()); }
    [[nodiscard]] int differingCount() const noexcept;
    [[nodiscard]] int incompleteCount() const noexcept;

    /// The letter of an equality group: "A" for 0, "B" for 1, ...
    [[nodiscard]] static QString groupLetter(int group);
    /// The chip colour of an equality group (legible on light and dark backgrounds).
    [[nodiscard]] static QColor groupColour(int group);
    /// A round chip of `colour` (blank when invalid), the size of a small icon.
    [[nodiscard]] static QIcon chipIcon(const QColor& colour);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    void rebuildVisibleRows();
    [[nodiscard]] QVariant nameData(const model::CompareRow& row, int role) const;
    [[nodiscard]] QVariant cellData(const model::CompareRow& row, int column, int role) const;
    [[nodiscard]] QString cellText(CellKind kind, int group) const;
    [[nodiscard]] QString cellToolTip(const model::CompareRow& row, int column) const;
    [[nodiscard]] QString rowToolTip(const model::CompareRow& row) const;
    [[nodiscard]] QIcon groupIcon(int group) const;

    model::CompareMatrix m_matrix;
    std::vector<int> m_visibleRows; ///< indexes into m_matrix.rows
    bool m_onlyDifferences = false;
    std::vector<QIcon> m_environmentIcons;
    mutable std::vector<QIcon> m_groupIcons;
};

} // namespace coffer::ui
