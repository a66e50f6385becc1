// SPDX-License-Identifier: Apache-2.0
#include "ui/EnvironmentColour.h"

#include "model/Store.h"
#include "ui/Icons.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>

#include <array>

namespace coffer::ui::colours {
namespace {

constexpr std::array kPalette{
    NamedColour{QT_TRANSLATE_NOOP("coffer::ui::colours", "&Green"), "#2e9d5b"},
    NamedColour{QT_TRANSLATE_NOOP("coffer::ui::colours", "&Teal"), "#1a9aa0"},
    NamedColour{QT_TRANSLATE_NOOP("coffer::ui::colours", "&Blue"), "#3b78d8"},
    NamedColour{QT_TRANSLATE_NOOP("coffer::ui::colours", "&Purple"), "#8a5cd0"},
    NamedColour{QT_TRANSLATE_NOOP("coffer::ui::colours", "&Pink"), "#c8508f"},
    NamedColour{QT_TRANSLATE_NOOP("coffer::ui::colours", "&Red"), "#d0453a"},
    NamedColour{QT_TRANSLATE_NOOP("coffer::ui::colours", "&Orange"), "#e07b24"},
    NamedColour{QT_TRANSLATE_NOOP("coffer::ui::colours", "&Yellow"), "#c9a227"},
    NamedColour{QT_TRANSLATE_NOOP("coffer::ui::colours", "Gr&ey"), "#7d8590"},
};

// Common names get the colours people expect: production red, staging orange, development green.
QString conventionalColour(const QString& name) {
    const QString lower = name.toLower();
    if (lower.startsWith(QStringLiteral("prod")) || lower == QStringLiteral("live")) {
        return QStringLiteral("#d0453a");
    }
    if (lower.startsWith(QStringLiteral("stag")) || lower == QStringLiteral("preprod")) {
        return QStringLiteral("#e07b24");
    }
    if (lower.startsWith(QStringLiteral("dev")) || lower == QStringLiteral("local")) {
        return QStringLiteral("#2e9d5b");
    }
    return {};
}

} // namespace

std::span<const NamedColour> palette() {
    return kPalette;
}

QColor environmentColour(const model::Environment& environment) {
    if (!environment.colour.isEmpty()) {
        return QColor(environment.colour);
    }
    if (const QString conventional = conventionalColour(environment.name); !conventional.isEmpty()) {
        return QColor(conventional);
    }
    // A stable hash (qHash is seeded per process): the same name keeps its colour across runs.
    unsigned hash = 2166136261U;
    for (const QChar c : environment.name) {
        hash = (hash ^ c.unicode()) * 16777619U;
    }
    return QColor(QString::fromLatin1(kPalette[hash % kPalette.size()].hex));
}

QIcon chip(const QColor& colour, bool isProtected) {
    // Views ask for decorations on every paint; a handful of chips is all a vault has.
    static QHash<QString, QIcon> cache;
    const QString key = colour.name() + (isProtected ? QStringLiteral("+lock") : QString());
    if (const auto found = cache.constFind(key); found != cache.cend()) {
        return *found;
    }
    QIcon icon;
    // Drawn at the sizes views ask for, so the chip stays crisp at 200%.
    for (const int size : {16, 24, 32, 48}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(colour);
        const qreal inset = size * 0.125;
        const QRectF box(inset, inset, size - 2 * inset, size - 2 * inset);
        painter.drawRoundedRect(box, size * 0.2, size * 0.2);
        if (isProtected) {
            // The lock sits on a white disc at the corner, readable on any chip colour.
            const qreal badge = size * 0.6;
            const QRectF disc(size - badge, size - badge, badge, badge);
            painter.setBrush(Qt::white);
            painter.drawEllipse(disc);
            icons::lock().paint(&painter,
                                disc.adjusted(badge * 0.12, badge * 0.12, -badge * 0.12, -badge * 0.12).toRect());
        }
        painter.end();
        icon.addPixmap(pixmap);
    }
    cache.insert(key, icon);
    return icon;
}

} // namespace coffer::ui::colours
