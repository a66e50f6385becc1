// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/TeamService.h"

#include <QAbstractTableModel>

#include <vector>

namespace coffer::ui {

/// Secrets to rotate after a member lost access: where the secret lives, its name, the version the member could
/// read, who, and since when. Rotated ones (a newer version exists) are greyed and say "done".
class RotationListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ScopeColumn, NameColumn, VersionColumn, MemberColumn, SinceColumn, StateColumn, ColumnCount };
    enum Role { RotatedRole = Qt::UserRole + 1 };

    explicit RotationListModel(QObject* parent = nullptr);

    void setItems(std::vector<sync::RotationItem> items);
    [[nodiscard]] const sync::RotationItem* item(int row) const;
    [[nodiscard]] int openCount() const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    std::vector<sync::RotationItem> m_items;
};

} // namespace coffer::ui
