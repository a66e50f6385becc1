// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

namespace coffer::cli {

/// Runs coffer-cli with `args` (without the program name) and returns the process exit code
/// (cli/ExitCode.h). Output goes to stdout, one-line errors to stderr.
[[nodiscard]] int run(const QStringList& args);

/// The same with main()'s arguments.
[[nodiscard]] int run(int argc, char** argv);

} // namespace coffer::cli
