// SPDX-License-Identifier: Apache-2.0
#include "ui/LinkButton.h"

#include <QStyleOptionButton>
#include <QStylePainter>

namespace coffer::ui {

LinkButton::LinkButton(const QString& text, QWidget* parent)
    : QPushButton(text, parent) {
    setFlat(true);
    setAutoDefault(false);
    setCursor(Qt::PointingHandCursor);
}

void LinkButton::paintEvent(QPaintEvent* /*event*/) {
    QStyleOptionButton option;
    initStyleOption(&option);
    if (isEnabled()) {
        option.palette.setColor(QPalette::ButtonText, option.palette.color(QPalette::Link));
    }
    QStylePainter painter(this);
    painter.drawControl(QStyle::CE_PushButton, option);
}

} // namespace coffer::ui
