// SPDX-License-Identifier: Apache-2.0
// run: a program started with an environment's secrets in its environment, nothing written to disk.
#include "agent/VaultReads.h"
#include "cli/AgentAccess.h"
#include "cli/ChildProcess.h"
#include "cli/Commands.h"
#include "cli/DotenvFiles.h"
#include "cli/Lookup.h"
#include "cli/Output.h"
#include "cli/SecretInjection.h"
#include "model/References.h"

#include <QFileInfo>

#include <cstdlib>
#include <cstring>

using namespace Qt::StringLiterals;

namespace coffer::cli::commands {

namespace {

using Variable = agent::reads::Variable;

/// The template's values as reference text: `coffer://P/E/N` becomes `${P/E/N}`, so one resolver handles
/// both forms (and `${NAME}` picks NAME from the PROJECT/ENV given on the command line).
Outcome<crypto::SecureBuffer> asReferenceText(std::span<const std::byte> value,
                                              std::vector<CofferReference>& references) {
    auto found = findCofferReferences(value);
    if (!found) {
        return std::unexpected(found.error());
    }
    std::string text;
    std::size_t from = 0;
    const auto* chars = reinterpret_cast<const char*>(value.data());
    for (const auto& reference : *found) {
        text.append(chars + from, reference.offset - from);
        text += "${" + reference.address.text().toStdString() + "}";
        from = reference.offset + reference.length;
        references.push_back(reference);
    }
    text.append(chars + from, value.size() - from);
    auto buffer = crypto::SecureBuffer::copyOf(std::string_view(text));
    crypto::wipe(text);
    return buffer;
}

bool mentionsReference(std::span<const std::byte> value) {
    const std::string_view text(reinterpret_cast<const char*>(value.data()), value.size());
    return text.find("${") != std::string_view::npos;
}

/// The template's lines as the reads take them: `coffer://` written as `${...}`, and whether each is a secret
/// (it names one, so its value is masked).
Outcome<std::vector<agent::reads::TemplateLine>> templateLines(std::vector<model::dotenv::Entry>& entries,
                                                               std::vector<CofferReference>& references) {
    std::vector<agent::reads::TemplateLine> lines;
    for (auto& entry : entries) {
        const std::size_t before = references.size();
        auto text = asReferenceText(entry.value.bytes(), references);
        if (!text) {
            text.error().message.prepend(u"%1 in the template: "_s.arg(entry.name));
            return std::unexpected(text.error());
        }
        const bool secret = references.size() > before || mentionsReference(text->bytes());
        lines.push_back(agent::reads::TemplateLine{entry.name, std::move(*text), secret});
    }
    return lines;
}

/// What the child gets: "NAME=value" entries (with the NUL execve needs), and the values to mask.
Outcome<ChildSpec> childSpec(const Session& session, std::vector<Variable>& variables,
                             std::vector<crypto::SecureBuffer>& extraMasked) {
    ChildSpec spec;
    spec.command = session.arguments().mid(1);
    spec.mask = !session.flag(u"no-masking"_s);
    for (auto& variable : variables) {
        const auto value = variable.value.bytes();
        if (std::find(value.begin(), value.end(), std::byte{0}) != value.end()) {
            return fail(ExitCode::Failed,
                        u"%1 holds a NUL byte, which an environment variable cannot carry"_s.arg(variable.name));
        }
        const QByteArray name = variable.name.toUtf8();
        crypto::SecureBuffer entry(static_cast<std::size_t>(name.size()) + 1 + value.size() + 1);
        std::memcpy(entry.data(), name.constData(), static_cast<std::size_t>(name.size()));
        entry.data()[name.size()] = std::byte{'='};
        if (!value.empty()) {
            std::memcpy(entry.data() + name.size() + 1, value.data(), value.size());
        }
        // The trailing NUL is part of the buffer (zeroed at allocation), so view() ends before it.
        spec.variables.push_back(std::move(entry));
        if (variable.secret) {
            spec.maskedValues.push_back(variable.value.bytes());
        }
    }
    for (const auto& value : extraMasked) {
        spec.maskedValues.push_back(value.bytes());
    }
    return spec;
}

/// Everything up to the start of the child, with the vault open; the vault is closed before the fork.
Outcome<int> prepareAndRun(Session& session) {
    const auto address = addressArgument(session, 2);
    if (!address) {
        return std::unexpected(address.error());
    }
    const QStringList allowed = session.options(u"allow-name"_s);
    std::optional<std::vector<model::dotenv::Entry>> entries;
    if (const auto path = session.option(u"env-file"_s)) {
        auto read = readEntries(*path, model::dotenv::Dialect::Dotenv);
        if (!read) {
            return std::unexpected(read.error());
        }
        entries = std::move(*read);
    }
    auto refuse = [&](const QStringList& names) -> Outcome<void> {
        const QStringList refused = refusedNames(names, allowed);
        if (refused.isEmpty()) {
            return {};
        }
        return fail(ExitCode::Failed, u"refusing to set %1: such variables change how programs load or start and "
                                      u"could run code of the value's choosing; if you mean it, pass --allow-name "
                                      u"for each"_s.arg(refused.join(u", "_s)));
    };
    if (entries) {
        QStringList names;
        for (const auto& entry : *entries) {
            names << entry.name;
        }
        if (auto ok = refuse(names); !ok) {
            return std::unexpected(ok.error());
        }
    }

    std::vector<CofferReference> references;
    std::optional<std::vector<agent::reads::TemplateLine>> lines;
    if (entries) {
        auto converted = templateLines(*entries, references);
        if (!converted) {
            return std::unexpected(converted.error());
        }
        lines = std::move(*converted);
    }
    std::vector<agent::reads::Path> referencePaths;
    for (const auto& reference : references) {
        referencePaths.push_back(
            agent::reads::Path{reference.address.project, reference.address.environment, reference.address.secret});
    }
    const agent::reads::Path scope{address->project, address->environment, {}};
    const QString program = QFileInfo(session.argument(1)).fileName();
    auto namesOf = [](const agent::reads::Gathered& gathered) {
        QStringList names;
        for (const auto& variable : gathered.variables) {
            names << variable.name;
        }
        return names;
    };

    std::optional<agent::reads::Gathered> gathered;
    if (const auto target = agentTarget(session)) {
        // The agent asks consent for protected environments and audits before it answers.
        auto answer = agent::client::runValues(*target, scope, program, lines, referencePaths);
        if (answer) {
            if (auto ok = refuse(namesOf(*answer)); !ok) {
                return std::unexpected(ok.error());
            }
            gathered = std::move(*answer);
        } else if (auto failed = agentFailure(answer.error())) {
            return std::unexpected(*failed);
        }
    }
    if (!gathered) {
        auto prepared = withStore(session, [&](model::Store& store) -> Outcome<void> {
            auto read = lines ? agent::reads::templateValues(store, scope, *lines, referencePaths)
                              : agent::reads::runValues(store, scope);
            if (!read) {
                return std::unexpected(readFailure(read.error()));
            }
            const QStringList names = namesOf(*read);
            if (auto ok = refuse(names); !ok) {
                return ok;
            }
            if (!read->protectedScopes.isEmpty()) {
                const QString question = u"Run %1 with secrets of the protected environment %2?"_s.arg(
                    program, read->protectedScopes.join(u", "_s));
                if (auto confirmed = confirmOnTerminal(session, question, u"run cancelled"_s); !confirmed) {
                    return confirmed;
                }
            }
            // Audited before the child starts: a run that cannot be recorded does not happen. Names only.
            if (auto audited = lift(store.audit(u"run"_s, address->project, address->environment, {},
                                                agent::reads::runDetail(program, names)));
                !audited) {
                return audited;
            }
            gathered = std::move(*read);
            return {};
        });
        if (!prepared) {
            return std::unexpected(prepared.error());
        }
    }
    auto& variables = gathered->variables;
    auto& referenced = gathered->referenced;
    auto spec = childSpec(session, variables, referenced);
    if (!spec) {
        return std::unexpected(spec.error());
    }
    return runChild(*spec);
}

} // namespace

Outcome<void> run(Session& session) {
    const auto status = prepareAndRun(session);
    if (!status) {
        return std::unexpected(status.error());
    }
    // The child's status is ours, with no message of our own; every secret was wiped when prepareAndRun()
    // returned, so leaving from here skips nothing that matters.
    if (*status != 0) {
        std::exit(*status);
    }
    return {};
}

} // namespace coffer::cli::commands
