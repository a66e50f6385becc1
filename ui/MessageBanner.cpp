// SPDX-License-Identifier: Apache-2.0
#include "ui/MessageBanner.h"

#include "ui/Icons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QStyle>

namespace coffer::ui {
namespace {

// The one accent per kind; drawn translucent over the window colour so it reads in light and dark palettes.
QColor accent(MessageBanner::Kind kind) {
    switch (kind) {
    case MessageBanner::Kind::Error:
        return {214, 69, 80};
    case MessageBanner::Kind::Warning:
        return {227, 167, 47};
    case MessageBanner::Kind::Information:
        break;
    }
    return {63, 127, 203};
}

} // namespace

MessageBanner::MessageBanner(QWidget* parent)
    : QWidget(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this)) {
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_icon->setAlignment(Qt::AlignTop | Qt::AlignHCenter);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 8, 12, 8);
    layout->setSpacing(10);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    hide();
}

void MessageBanner::showMessage(Kind kind, const QString& text) {
    m_kind = kind;
    QIcon icon;
    switch (kind) {
    case Kind::Error:
        icon = icons::error();
        break;
    case Kind::Warning:
        icon = icons::warning();
        break;
    case Kind::Information:
        icon = icons::app();
        break;
    }
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(icon.pixmap(QSize(size, size), devicePixelRatioF()));
    m_text->setText(text);
    setAccessibleName(text);
    setVisible(!text.isEmpty());
    update();
}

void MessageBanner::clearMessage() {
    m_text->clear();
    setAccessibleName({});
    hide();
}

QString MessageBanner::text() const {
    return m_text->text();
}

void MessageBanner::paintEvent(QPaintEvent* /*event*/) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QColor fill = accent(m_kind);
    QColor border = fill;
    fill.setAlphaF(0.14F);
    border.setAlphaF(0.6F);
    painter.setPen(QPen(border, 1.0));
    painter.setBrush(fill);
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6.0, 6.0);
}

} // namespace coffer::ui
