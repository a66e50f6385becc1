// SPDX-License-Identifier: Apache-2.0
#include "ui/PathLabel.h"

#include <QDir>
#include <QFontMetrics>
#include <QPainter>
#include <QStyle>
#include <QStyleOption>

namespace coffer::ui {

PathLabel::PathLabel(QWidget* parent)
    : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void PathLabel::setPath(const QString& path) {
    m_path = path;
    m_display = abbreviated(path);
    setToolTip(QDir::toNativeSeparators(path));
    setAccessibleName(m_display);
    updateGeometry();
    update();
}

QSize PathLabel::sizeHint() const {
    const QFontMetrics metrics(font());
    return {metrics.horizontalAdvance(m_display) + 2, metrics.height()};
}

QSize PathLabel::minimumSizeHint() const {
    const QFontMetrics metrics(font());
    return {metrics.averageCharWidth() * 16, metrics.height()};
}

QString PathLabel::abbreviated(const QString& path) {
    const QString home = QDir::homePath();
    QString display = QDir::cleanPath(path);
    if (!home.isEmpty() && home != QStringLiteral("/") && display.startsWith(home + QLatin1Char('/'))) {
        display = QStringLiteral("~") + display.mid(home.size());
    }
    return QDir::toNativeSeparators(display);
}

void PathLabel::paintEvent(QPaintEvent* /*event*/) {
    QPainter painter(this);
    const QFontMetrics metrics(font());
    const QString text = metrics.elidedText(m_display, Qt::ElideMiddle, width());
    QStyleOption option;
    option.initFrom(this);
    style()->drawItemText(&painter, rect(), Qt::AlignLeft | Qt::AlignVCenter, option.palette, isEnabled(), text,
                          foregroundRole());
}

} // namespace coffer::ui
