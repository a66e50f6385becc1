// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"

#include <QString>

namespace coffer::model {

/// Secret names follow environment-variable rules: [A-Za-z_][A-Za-z0-9_]*, at most 255 characters.
/// InvalidName with a sentence saying which rule is broken.
[[nodiscard]] Result<void> checkSecretName(const QString& name);

/// Project and environment names: 1..64 characters of letters, digits, '-', '_' and '.', starting with a
/// letter or digit (they appear in PROJECT/ENV/NAME addresses, so never '/').
[[nodiscard]] Result<void> checkScopeName(const QString& name);

/// Whether an environment of this name is protected by default (prod, production, prd, live, and
/// names starting with "prod-" or "production-"; case-insensitive).
[[nodiscard]] bool isProtectedByDefault(const QString& environmentName);

} // namespace coffer::model
