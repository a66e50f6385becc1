// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/Arguments.h"

#include <QString>

namespace coffer::cli {

/// `coffer-cli --help`: the commands, the global options and the exit codes.
[[nodiscard]] QString generalHelp();
/// `coffer-cli project --help`: a group's subcommands.
[[nodiscard]] QString groupHelp(const QString& group);
/// `coffer-cli COMMAND --help`.
[[nodiscard]] QString commandHelp(const CommandSpec& command);
/// "coffer-cli VERSION".
[[nodiscard]] QString versionText();

/// The help asked for by an invocation with --help (or by `help WORDS`).
[[nodiscard]] QString helpFor(const Invocation& invocation);

} // namespace coffer::cli
