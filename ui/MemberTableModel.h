// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/TeamService.h"

#include <QAbstractTableModel>

#include <vector>

namespace coffer::ui {

/// The Team page's members: name, fingerprint (digit groups), role and status. The status column's
/// StatusRole carries the status for the badge delegate.
class MemberTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, FingerprintColumn, RoleColumn, StatusColumn, ColumnCount };
    enum Role {
        StatusRole = Qt::UserRole + 1, ///< int (MemberInfo::Status), on every column
        VerifiedRole,                  ///< bool
    };

    explicit MemberTableModel(QObject* parent = nullptr);

    void setMembers(std::vector<sync::MemberInfo> members);
    [[nodiscard]] const sync::MemberInfo* member(int row) const;
    [[nodiscard]] const std::vector<sync::MemberInfo>& members() const noexcept { return m_members; }
    /// The row of the member named `name`, or -1.
    [[nodiscard]] int rowOf(const QString& name) const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    std::vector<sync::MemberInfo> m_members;
};

} // namespace coffer::ui
