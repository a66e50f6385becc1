// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"

#include <QString>

class QLineEdit;

namespace coffer::ui {

/// The shortest master password the Create page accepts, in characters.
inline constexpr int kMinimumPasswordLength = 8;

/// The number of characters (Unicode code points) of `text`, not UTF-16 units.
[[nodiscard]] int characterCount(const QString& text);

/// Moves the password out of `edit` into guarded memory as UTF-8 and clears the field. The temporary
/// UTF-8 copy is wiped; QString's own storage cannot be, which is why the field is cleared at once.
[[nodiscard]] crypto::SecureBuffer takePassword(QLineEdit& edit);

} // namespace coffer::ui
