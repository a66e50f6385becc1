// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"

namespace coffer::model {

class Database;

/// The schema version this build writes. Older vaults are migrated forward on open; newer ones are refused.
inline constexpr int kSchemaVersion = 5;
/// The marker row's value in coffer_meta('format'): proves the key opened a Coffer vault.
inline constexpr const char* kFormatMarker = "coffer-vault";

/// Creates the schema at `version` (the current one unless a test builds an old-version fixture) and the
/// marker rows, in an empty database.
[[nodiscard]] Result<void> createSchema(Database& db, int version = kSchemaVersion);

/// Reads the schema version from coffer_meta, then applies each forward migration in one transaction.
/// NewerFormat when the vault's version is above kSchemaVersion; Damaged when the marker is missing.
[[nodiscard]] Result<int> migrate(Database& db);

} // namespace coffer::model
