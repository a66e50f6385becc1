// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/Arguments.h"

#include <QList>
#include <QString>

namespace coffer::cli {

/// Every command, in the order --help lists them.
[[nodiscard]] const QList<CommandSpec>& commandTable();

/// Options every command accepts (--vault, --password-file, --help, --version).
[[nodiscard]] const QList<OptionSpec>& globalOptions();

/// The command called `name` ("get", "project add"), or nullptr.
[[nodiscard]] const CommandSpec* findCommand(const QString& name);

} // namespace coffer::cli
