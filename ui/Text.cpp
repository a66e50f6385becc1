// SPDX-License-Identifier: Apache-2.0
#include "ui/Text.h"

#include <QLocale>

namespace coffer::ui {

QString countText(qint64 count, const QString& singular, const QString& plural) {
    // In the user's locale: "100,000 secrets" reads at a glance, "100000 secrets" does not.
    return QStringLiteral("%1 %2").arg(QLocale().toString(count), count == 1 ? singular : plural);
}

QString maskedValue() {
    return {8, QChar(0x2022)};
}

} // namespace coffer::ui
