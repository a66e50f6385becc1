// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/ExitCode.h"

#include <QString>

namespace coffer::cli {

/// Where a command points: PROJECT, PROJECT/ENV or PROJECT/ENV/NAME. Parsing only checks the shape;
/// the model checks the names themselves when something is created.
struct Address {
    QString project;
    QString environment; ///< empty for a project address
    QString secret;      ///< empty for a project or environment address

    /// The address as typed back to people: "web/dev/API_KEY".
    [[nodiscard]] QString text() const;
    [[nodiscard]] int depth() const noexcept { return secret.isEmpty() ? (environment.isEmpty() ? 1 : 2) : 3; }
};

/// Exactly `depth` non-empty parts separated by '/' (1: PROJECT, 2: PROJECT/ENV, 3: PROJECT/ENV/NAME).
/// A usage failure otherwise; the message never repeats the text, which may be a mistyped value.
[[nodiscard]] Outcome<Address> parseAddress(const QString& text, int depth);

/// PROJECT or PROJECT/ENV (for `ls`).
[[nodiscard]] Outcome<Address> parseScope(const QString& text);

} // namespace coffer::cli
