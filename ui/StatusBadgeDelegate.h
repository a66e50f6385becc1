// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStyledItemDelegate>

namespace coffer::ui {

/// Draws a member's status as a rounded badge: a soft tint of the status colour behind its name in that colour
/// (green active, amber pending confirmation, red keys changed, grey removed). The text is the model's display
/// text; the status comes from MemberTableModel::StatusRole.
class StatusBadgeDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace coffer::ui
