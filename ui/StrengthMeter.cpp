// SPDX-License-Identifier: Apache-2.0
#include "ui/StrengthMeter.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <array>

namespace coffer::ui {
namespace {

constexpr int kSegments = model::PasswordStrength::kMaxScore + 1;
constexpr int kBarHeight = 6;
constexpr int kBarWidth = 150;
constexpr int kGap = 3;

} // namespace

StrengthMeter::StrengthMeter(QWidget* parent)
    : QWidget(parent)
    , m_label(new QLabel(this))
    , m_hint(new QLabel(this)) {
    setAccessibleName(tr("Password strength"));
    m_label->setObjectName(QStringLiteral("strengthLabel"));
    m_label->setTextFormat(Qt::PlainText);
    QFont bold = m_label->font();
    bold.setWeight(QFont::DemiBold);
    m_label->setFont(bold);
    m_label->setMinimumHeight(m_label->fontMetrics().height()); // the bar sits beside it, even when empty
    m_hint->setObjectName(QStringLiteral("strengthHint"));
    m_hint->setTextFormat(Qt::PlainText);
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);

    // The bar is painted in the first column's space, left of the label.
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setHorizontalSpacing(10);
    layout->setVerticalSpacing(2);
    layout->setColumnMinimumWidth(0, kBarWidth);
    layout->addWidget(m_label, 0, 1);
    layout->addWidget(m_hint, 1, 0, 1, 2);
    layout->setColumnStretch(1, 1);
    refresh();
}

void StrengthMeter::setStrength(const model::PasswordStrength& strength) {
    m_strength = strength;
    refresh();
}

void StrengthMeter::setShowsBits(bool shows) {
    m_showsBits = shows;
    refresh();
}

QString StrengthMeter::labelText() const {
    return m_label->text();
}

QString StrengthMeter::hintText() const {
    return m_hint->text();
}

void StrengthMeter::refresh() {
    QString label = m_strength.label();
    if (m_showsBits && !label.isEmpty()) {
        label = tr("%1 \u00b7 %2 bits of entropy").arg(label, QLocale().toString(m_strength.bits, 'f', 1));
    }
    m_label->setText(label);
    m_hint->setText(m_strength.hintText());
    setAccessibleDescription(label.isEmpty() ? m_hint->text() : QStringLiteral("%1. %2").arg(label, m_hint->text()));
    update();
}

QColor StrengthMeter::scoreColour(int score, const QColor& background) {
    // Red to green; the dark-theme set is lighter so it keeps its contrast on a dark window.
    static constexpr std::array<QRgb, kSegments> light = {0xd93025, 0xe8710a, 0xd39e00, 0x1e8e3e, 0x137333};
    static constexpr std::array<QRgb, kSegments> dark = {0xf28b82, 0xfcad70, 0xfdd663, 0x81c995, 0x5bb974};
    const auto& colours = background.lightness() < 128 ? dark : light;
    return QColor::fromRgb(colours[static_cast<std::size_t>(std::clamp(score, 0, kSegments - 1))]);
}

QRect StrengthMeter::barRect() const {
    const QRect labelRect = m_label->geometry();
    return {0, labelRect.center().y() - kBarHeight / 2, kBarWidth, kBarHeight};
}

QSize StrengthMeter::sizeHint() const {
    return QWidget::sizeHint().expandedTo(QSize(kBarWidth * 2, 0));
}

QSize StrengthMeter::minimumSizeHint() const {
    return QWidget::minimumSizeHint().expandedTo(QSize(kBarWidth + 60, 0));
}

void StrengthMeter::paintEvent(QPaintEvent* /*event*/) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRect bar = barRect();
    const bool empty = m_strength.hint == model::PasswordStrength::Hint::Empty;
    const int filled = empty ? 0 : m_strength.score + 1;
    const QColor on = scoreColour(m_strength.score, palette().color(QPalette::Window));
    QColor off = palette().color(QPalette::WindowText);
    off.setAlphaF(0.15F);
    const double segment = (bar.width() - kGap * (kSegments - 1)) / static_cast<double>(kSegments);
    for (int i = 0; i < kSegments; ++i) {
        const QRectF rect(bar.left() + i * (segment + kGap), bar.top(), segment, bar.height());
        QPainterPath path;
        path.addRoundedRect(rect, kBarHeight / 2.0, kBarHeight / 2.0);
        painter.fillPath(path, i < filled ? on : off);
    }
}

} // namespace coffer::ui
