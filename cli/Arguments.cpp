// SPDX-License-Identifier: Apache-2.0
#include "cli/Arguments.h"

#include "cli/CommandTable.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace coffer::cli {

namespace {

QString valueRefusal(const CommandSpec& command) {
    if (command.name.startsWith(u"team "_s)) {
        // team create and team join: the stray word or unknown option may be the team or invite code.
        return u"%1 never takes a code from the command line (other users could read it in the process list and "
               u"it would stay in your shell history), and this is no option of it: give the code with --code-file "
               u"FILE, pipe it on standard input, or run it in a terminal to be asked (see coffer-cli %1 --help)"_s.arg(
                   command.name);
    }
    return u"set never takes the value from the command line (other users could read it in the process list "
           u"and it would stay in your shell history): pipe it on standard input, e.g. `coffer-cli set "
           u"PROJECT/ENV/NAME < file`, or run it in a terminal to be prompted"_s;
}

const OptionSpec* findOption(const QList<OptionSpec>& options, const QString& name) {
    const auto it = std::find_if(options.cbegin(), options.cend(), [&](const OptionSpec& o) { return o.name == name; });
    return it == options.cend() ? nullptr : &*it;
}

// The short options: -o for --output (export, inject) and -i for --input (inject), as in most tools
// that read and write files.
QString expandShortOption(const QString& arg) {
    if (arg == u"-o"_s) {
        return u"--output"_s;
    }
    if (arg == u"-i"_s) {
        return u"--input"_s;
    }
    return arg;
}

/// "add, ls, rm or rename": a group's subcommands in table order.
QString subcommands(const QString& group) {
    QStringList words;
    for (const auto& command : commandTable()) {
        if (command.name.startsWith(group + u' ')) {
            words << command.name.mid(group.size() + 1);
        }
    }
    if (words.size() < 2) {
        return words.join(QString{});
    }
    const QString last = words.takeLast();
    return words.join(u", "_s) + u" or "_s + last;
}

bool isHelpWord(const QString& arg) {
    return arg == u"--help"_s || arg == u"-h"_s;
}

class Parser {
public:
    Parser(const QStringList& args, bool lenient)
        : m_args(args)
        , m_lenient(lenient) {}

    Outcome<Invocation> run() {
        bool optionsEnded = false;
        for (qsizetype i = 0; i < m_args.size(); ++i) {
            const QString& arg = m_args.at(i);
            if (!optionsEnded && arg == u"--"_s) {
                optionsEnded = true;
                continue;
            }
            const bool isOption = !optionsEnded && arg.size() > 1 && arg.startsWith(u'-');
            // In help mode a broken option is forgiven, an unknown command word is not.
            auto step = isOption ? option(i) : word(arg);
            if (!step && (!m_lenient || !isOption)) {
                return std::unexpected(step.error());
            }
        }
        return finish();
    }

private:
    [[nodiscard]] bool guarded() const { return m_inv.command != nullptr && m_inv.command->guardsValue; }

    const OptionSpec* lookup(const QString& name) const {
        if (m_inv.command != nullptr) {
            if (const auto* spec = findOption(m_inv.command->options, name)) {
                return spec;
            }
        }
        return findOption(globalOptions(), name);
    }

    Outcome<void> option(qsizetype& i) {
        const QString arg = expandShortOption(m_args.at(i));
        if (isHelpWord(arg)) {
            m_inv.help = true;
            return {};
        }
        if (!arg.startsWith(u"--"_s)) {
            return usageError(guarded() ? valueRefusal(*m_inv.command)
                                        : u"unknown option %1 (see coffer-cli --help)"_s.arg(arg));
        }
        const QString body = arg.mid(2);
        const auto equals = body.indexOf(u'=');
        const QString name = equals < 0 ? body : body.left(equals);
        const OptionSpec* spec = lookup(name);
        if (spec == nullptr) {
            if (guarded()) {
                return usageError(valueRefusal(*m_inv.command));
            }
            const QString where =
                m_inv.command ? u"coffer-cli %1 --help"_s.arg(m_inv.command->name) : u"coffer-cli --help"_s;
            return usageError(u"unknown option --%1 (see %2)"_s.arg(name, where));
        }
        QString value;
        if (spec->takesValue()) {
            if (equals >= 0) {
                value = body.mid(equals + 1);
            } else if (i + 1 < m_args.size()) {
                value = m_args.at(++i);
            } else {
                return usageError(u"--%1 needs a value: --%1 %2"_s.arg(name, spec->valueName));
            }
        } else if (equals >= 0) {
            return usageError(u"--%1 takes no value"_s.arg(name));
        }
        if (name == u"version"_s && !spec->takesValue()) {
            m_inv.version = true;
            return {};
        }
        if (!spec->repeatable && m_inv.options.contains(name)) {
            return usageError(u"--%1 given more than once"_s.arg(name));
        }
        m_inv.options[name].append(value);
        return {};
    }

    Outcome<void> word(const QString& arg) {
        if (m_inv.command != nullptr) {
            m_inv.arguments.append(arg);
            return {};
        }
        if (m_inv.group.isEmpty() && isCommandGroup(arg)) {
            m_inv.group = arg;
            return {};
        }
        const QString name = m_inv.group.isEmpty() ? arg : m_inv.group + u' ' + arg;
        m_inv.command = findCommand(name);
        if (m_inv.command == nullptr) {
            if (!m_inv.group.isEmpty()) {
                return usageError(u"unknown command: %1 %2 (see coffer-cli %1 --help)"_s.arg(m_inv.group, arg));
            }
            return usageError(u"unknown command: %1 (see coffer-cli --help)"_s.arg(arg));
        }
        return {};
    }

    Outcome<Invocation> finish() {
        if (m_inv.help || m_inv.version) {
            return std::move(m_inv);
        }
        if (m_inv.command == nullptr) {
            if (!m_inv.group.isEmpty()) {
                return usageError(u"coffer-cli %1 needs a subcommand: %2 (see coffer-cli %1 --help)"_s.arg(
                    m_inv.group, subcommands(m_inv.group)));
            }
            return usageError(u"no command given (see coffer-cli --help)"_s);
        }
        const CommandSpec& command = *m_inv.command;
        const auto count = m_inv.arguments.size();
        if (count > command.maxArguments && command.guardsValue) {
            return usageError(valueRefusal(*m_inv.command));
        }
        if (count < command.minArguments || count > command.maxArguments) {
            return usageError(u"%1 %2 (usage: coffer-cli %3 %4)"_s.arg(
                count < command.minArguments ? u"missing arguments for"_s : u"too many arguments for"_s, command.name,
                command.name, command.arguments));
        }
        return std::move(m_inv);
    }

    const QStringList& m_args;
    bool m_lenient;
    Invocation m_inv;
};

} // namespace

std::optional<QString> Invocation::value(const QString& name) const {
    const auto it = options.constFind(name);
    if (it == options.cend() || it->isEmpty()) {
        return std::nullopt;
    }
    return it->constLast();
}

bool isCommandGroup(const QString& word) {
    return word == u"project"_s || word == u"env"_s || word == u"dotenv"_s || word == u"team"_s || word == u"agent"_s;
}

Outcome<Invocation> parseArguments(const QStringList& args) {
    // With --help, a half-written command line still gets its help; only the command words must exist.
    const auto end = std::find(args.cbegin(), args.cend(), u"--"_s);
    const bool help = std::any_of(args.cbegin(), end, isHelpWord);
    return Parser(args, help).run();
}

} // namespace coffer::cli
