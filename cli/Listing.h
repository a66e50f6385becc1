// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/Address.h"
#include "cli/ExitCode.h"
#include "model/Store.h"

namespace coffer::cli {

/// The listings shared by `ls` and `project ls` / `env ls`. Text is one item per line (secrets as a
/// table); JSON is one compact document. Values are never part of either.
[[nodiscard]] Outcome<void> listProjects(model::Store& store, bool json);
[[nodiscard]] Outcome<void> listEnvironments(model::Store& store, const QString& project, bool json);
[[nodiscard]] Outcome<void> listSecrets(model::Store& store, const Address& address, bool json, bool includeDeleted);

} // namespace coffer::cli
