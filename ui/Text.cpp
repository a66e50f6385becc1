// SPDX-License-Identifier: Apache-2.0
#include "ui/Text.h"

namespace coffer::ui {

QString countText(qint64 count, const QString& singular, const QString& plural) {
    return QStringLiteral("%1 %2").arg(count).arg(count == 1 ? singular : plural);
}

QString maskedValue() {
    return {8, QChar(0x2022)};
}

} // namespace coffer::ui
