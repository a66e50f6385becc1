// SPDX-License-Identifier: Apache-2.0
#include "ui/StatusBadgeDelegate.h"

#include "ui/MemberTableModel.h"
#include "ui/TeamText.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace coffer::ui {
namespace {

constexpr int kPadX = 8;
constexpr int kPadY = 2;
constexpr int kMargin = 4;

} // namespace

void StatusBadgeDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QStyleOptionViewItem base = option;
    initStyleOption(&base, index);
    const QString text = base.text;
    base.text.clear();
    const QWidget* widget = option.widget;
    QStyle* style = widget != nullptr ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &base, painter, widget);
    if (text.isEmpty()) {
        return;
    }

    const auto status = static_cast<sync::MemberInfo::Status>(index.data(MemberTableModel::StatusRole).toInt());
    QColor colour = team::statusColour(status);
    const bool dark = option.palette.color(QPalette::Base).lightness() < 128;
    QColor fill = colour;
    fill.setAlpha(dark ? 70 : 40);
    QColor ink = dark ? colour.lighter(150) : colour.darker(125);

    painter->save();
    QFont font = option.font;
    font.setWeight(QFont::DemiBold);
    painter->setFont(font);
    // The painter's metrics: the device it paints on (a screen, a grab) decides the text's width.
    const QFontMetrics metrics = painter->fontMetrics();
    const int textWidth = metrics.horizontalAdvance(text) + 2;
    const int width = std::min(textWidth + 2 * kPadX, option.rect.width() - 2 * kMargin);
    const int height = metrics.height() + 2 * kPadY;
    const QRect badge(option.rect.left() + kMargin, option.rect.center().y() - height / 2 + 1, width, height);

    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath path;
    path.addRoundedRect(QRectF(badge).adjusted(0.5, 0.5, -0.5, -0.5), height / 2.0, height / 2.0);
    painter->fillPath(path, fill);
    QColor border = colour;
    border.setAlpha(dark ? 140 : 110);
    painter->setPen(QPen(border, 1));
    painter->drawPath(path);
    painter->setPen(ink);
    const QRect textRect = badge.adjusted(kPadX, 0, -kPadX, 0);
    painter->drawText(textRect, Qt::AlignCenter,
                      textWidth <= textRect.width() ? text
                                                    : metrics.elidedText(text, Qt::ElideRight, textRect.width()));
    painter->restore();
}

QSize StatusBadgeDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QFont font = option.font;
    font.setWeight(QFont::DemiBold);
    const QFontMetrics metrics(font);
    const QString text = index.data(Qt::DisplayRole).toString();
    const QSize base = QStyledItemDelegate::sizeHint(option, index);
    return {metrics.horizontalAdvance(text) + 2 + 2 * kPadX + 2 * kMargin + 8,
            std::max(base.height(), metrics.height() + 2 * kPadY + 6)};
}

} // namespace coffer::ui
