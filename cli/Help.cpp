// SPDX-License-Identifier: Apache-2.0
#include "cli/Help.h"

#include "cli/CommandTable.h"
#include "cli/Commands.h"
#include "cli/Output.h"
#include "cli/Session.h"

#ifndef COFFER_VERSION
#error "COFFER_VERSION must be defined by cli/CMakeLists.txt"
#endif

using namespace Qt::StringLiterals;

namespace coffer::cli {

namespace {

constexpr int kWidth = 100;
constexpr qsizetype kNameColumn = 26;

QString usageLine(const CommandSpec& command) {
    QString line = u"coffer-cli "_s + command.name;
    if (!command.arguments.isEmpty()) {
        line += u' ' + command.arguments;
    }
    if (!command.options.isEmpty()) {
        line += u" [OPTIONS]"_s;
    }
    return line;
}

QString optionLines(const QList<OptionSpec>& options) {
    const QString indent(kNameColumn, u' ');
    QString out;
    for (const auto& option : options) {
        QString name = u"  --"_s + option.name;
        if (option.takesValue()) {
            name += u' ' + option.valueName;
        }
        // The help is wrapped on its own, then its first line joins the name when the name is short.
        const QString help = wrap(option.help, kWidth, indent);
        if (name.size() + 2 > kNameColumn) {
            out += name + u'\n' + help + u'\n';
        } else {
            out += name.leftJustified(kNameColumn) + help.mid(kNameColumn) + u'\n';
        }
    }
    return out;
}

QString commandList(const QString& group) {
    QString out;
    for (const auto& command : commandTable()) {
        const bool inGroup = command.name.startsWith(group + u' ');
        if (!group.isEmpty() && !inGroup) {
            continue;
        }
        QString name = command.name;
        if (!command.arguments.isEmpty()) {
            name += u' ' + command.arguments;
        }
        out += u"  "_s + name.leftJustified(kNameColumn + 8) + u' ' + command.summary + u'\n';
    }
    return out;
}

QString exitCodes() {
    return u"Exit codes:\n"
           u"  0  success\n"
           u"  1  usage: unknown command or option, wrong arguments, invalid name, cost, code or fingerprint\n"
           u"  2  not found: no such project, environment, secret or version\n"
           u"  3  wrong password\n"
           u"  4  damaged vault, not a vault, or made by a newer Coffer\n"
           u"  5  any other error (missing vault file, file permissions, no terminal, value too large, ...)\n"
           u"  6  offline: the sync server could not be reached or failed; local changes wait for the next sync\n"
           u"  7  refused by the server (not a member, no grant, read-only) or by this client (admins only, ...)\n"
           u"  8  integrity: a record, roster event or grant failed a check, or the server broke the protocol\n"_s;
}

} // namespace

QString versionText() {
    return u"coffer-cli "_s + QStringLiteral(COFFER_VERSION);
}

QString generalHelp() {
    return u"coffer-cli: Coffer's secret vault from the command line. Secrets are addressed as PROJECT/ENV/NAME.\n\n"
           u"Usage: coffer-cli [GLOBAL OPTIONS] COMMAND [ARGUMENTS] [OPTIONS]\n\n"
           u"Commands:\n"_s +
           commandList({}) + u"\nGlobal options (before or after the command):\n"_s + optionLines(globalOptions()) +
           u"\n"_s +
           wrap(u"The password is asked for on the terminal without echo, or read from --password-file. Secret "
                u"values are never taken from the command line: set reads them from standard input or asks for them; "
                u"team and invite codes come from --code-file, standard input or a prompt. "
                u"Run `coffer-cli COMMAND --help` for a command's options."_s,
                kWidth) +
           u"\n\n"_s + exitCodes();
}

QString groupHelp(const QString& group) {
    return u"Usage: coffer-cli %1 SUBCOMMAND [ARGUMENTS] [OPTIONS]\n\nSubcommands:\n"_s.arg(group) +
           commandList(group) + u"\nRun `coffer-cli %1 SUBCOMMAND --help` for details.\n"_s.arg(group);
}

QString commandHelp(const CommandSpec& command) {
    QString out = u"Usage: "_s + usageLine(command) + u"\n\n"_s + wrap(command.details, kWidth) + u'\n';
    if (!command.options.isEmpty()) {
        out += u"\nOptions:\n"_s + optionLines(command.options);
    }
    out += u"\nGlobal options: --vault PATH, --password-file FILE (see coffer-cli --help).\n"_s;
    return out;
}

QString helpFor(const Invocation& invocation) {
    if (invocation.command != nullptr && invocation.command->name == u"help"_s && !invocation.arguments.isEmpty()) {
        const QString topic = invocation.arguments.join(u' ');
        if (const CommandSpec* command = findCommand(topic)) {
            return commandHelp(*command);
        }
        if (isCommandGroup(topic)) {
            return groupHelp(topic);
        }
    }
    if (invocation.command != nullptr) {
        return commandHelp(*invocation.command);
    }
    if (!invocation.group.isEmpty()) {
        return groupHelp(invocation.group);
    }
    return generalHelp();
}

namespace commands {

Outcome<void> help(Session& session) {
    const QString topic = session.arguments().join(u' ');
    if (topic.isEmpty()) {
        printOut(generalHelp());
    } else if (const CommandSpec* command = findCommand(topic)) {
        printOut(commandHelp(*command));
    } else if (isCommandGroup(topic)) {
        printOut(groupHelp(topic));
    } else {
        return usageError(u"no help for %1: there is no such command (see coffer-cli --help)"_s.arg(topic));
    }
    return {};
}

} // namespace commands
} // namespace coffer::cli
