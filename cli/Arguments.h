// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/ExitCode.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace coffer::cli {

class Session;

struct OptionSpec {
    QString name;      ///< without the leading "--"
    QString valueName; ///< e.g. "FILE"; empty for a flag
    QString help;
    bool repeatable = false;

    [[nodiscard]] bool takesValue() const noexcept { return !valueName.isEmpty(); }
};

using Handler = Outcome<void> (*)(Session& session);

/// One command as the parser, the help and the dispatcher see it.
struct CommandSpec {
    QString name;      ///< "get", or "project add" for a group's subcommand
    QString arguments; ///< e.g. "PROJECT/ENV/NAME"
    int minArguments = 0;
    int maxArguments = 0;
    QList<OptionSpec> options;
    QString summary; ///< one line for the command list
    QString details; ///< a paragraph for COMMAND --help
    Handler handler = nullptr;
    /// For `set`: a stray argument or unknown option may be the value itself, so errors never repeat it.
    bool guardsValue = false;
};

/// What the command line asked for.
struct Invocation {
    const CommandSpec* command = nullptr;
    QString group; ///< "project" or "env" when given without a subcommand (for help)
    QStringList arguments;
    QMap<QString, QStringList> options; ///< flags map to one empty string per use
    bool help = false;
    bool version = false;

    [[nodiscard]] bool has(const QString& name) const { return options.contains(name); }
    [[nodiscard]] std::optional<QString> value(const QString& name) const;
    [[nodiscard]] QStringList values(const QString& name) const { return options.value(name); }
};

/// Splits the arguments (without the program name) into command, arguments and options. Global options
/// may come before or after the command; `--name=value` and `--name value` both work; `--` ends options.
/// With --help anywhere, only the command words must make sense. Usage failures otherwise.
[[nodiscard]] Outcome<Invocation> parseArguments(const QStringList& args);

/// The subcommand groups ("project", "env").
[[nodiscard]] bool isCommandGroup(const QString& word);

} // namespace coffer::cli
