// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace coffer::ui {

/// "1 secret", "12 secrets", "100,000 secrets": the count in the default locale, then the singular or plural noun.
[[nodiscard]] QString countText(qint64 count, const QString& singular, const QString& plural);

/// The masked stand-in for a secret value; the same for every value, so it tells nothing about its length.
[[nodiscard]] QString maskedValue();

} // namespace coffer::ui
