// SPDX-License-Identifier: Apache-2.0
// run: a program started with an environment's secrets in its environment, nothing written to disk.
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

/// One variable for the child, with whether its value came from the vault (then it is masked).
struct Variable {
    QString name;
    crypto::SecureBuffer value;
    bool secret = true;
};

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

/// The environment's live secrets, references resolved.
Outcome<std::vector<Variable>> secretsOf(model::Store& store, const model::Environment& environment,
                                         const Address& address) {
    const auto secrets = store.secrets(environment.id);
    if (!secrets) {
        return std::unexpected(failure(secrets.error()));
    }
    std::vector<Variable> variables;
    for (const auto& secret : *secrets) {
        const auto stored = store.value(secret.id);
        if (!stored) {
            return std::unexpected(failure(stored.error()));
        }
        auto resolved = lift(model::resolveReferences(store, environment.id, stored->bytes()));
        if (!resolved) {
            resolved.error().message.prepend(u"%1/%2: "_s.arg(address.text(), secret.name));
            return std::unexpected(resolved.error());
        }
        variables.push_back(Variable{secret.name, std::move(*resolved), true});
    }
    return variables;
}

/// The template's names with their values resolved; each referenced secret's own value is masked too.
Outcome<std::vector<Variable>> templateVariables(model::Store& store, const model::Environment& environment,
                                                 std::vector<model::dotenv::Entry>& entries,
                                                 std::vector<CofferReference>& references) {
    std::vector<Variable> variables;
    for (auto& entry : entries) {
        const std::size_t before = references.size();
        auto text = asReferenceText(entry.value.bytes(), references);
        if (!text) {
            text.error().message.prepend(u"%1 in the template: "_s.arg(entry.name));
            return std::unexpected(text.error());
        }
        const bool secret = references.size() > before || mentionsReference(text->bytes());
        auto resolved = lift(model::resolveReferences(store, environment.id, text->bytes()));
        if (!resolved) {
            resolved.error().message.prepend(u"%1 in the template: "_s.arg(entry.name));
            return std::unexpected(resolved.error());
        }
        variables.push_back(Variable{entry.name, std::move(*resolved), secret});
    }
    return variables;
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

    std::vector<Variable> variables;
    std::vector<crypto::SecureBuffer> referenced;
    auto prepared = withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto environment = findEnvironment(store, *address);
        if (!environment) {
            return std::unexpected(environment.error());
        }
        std::vector<CofferReference> references;
        auto collected = entries ? templateVariables(store, *environment, *entries, references)
                                 : secretsOf(store, *environment, *address);
        if (!collected) {
            return std::unexpected(collected.error());
        }
        variables = std::move(*collected);
        QStringList names;
        for (const auto& variable : variables) {
            names << variable.name;
        }
        if (auto ok = refuse(names); !ok) {
            return ok;
        }
        // A referenced secret may be printed on its own (a password inside a URL): mask it alone too.
        QStringList protectedScopes;
        if (environment->isProtected) {
            protectedScopes << address->text();
        }
        for (const auto& reference : references) {
            const auto target = findEnvironment(store, reference.address);
            if (!target) {
                return std::unexpected(target.error());
            }
            const QString scope = Address{reference.address.project, reference.address.environment, {}}.text();
            if (target->isProtected && !protectedScopes.contains(scope)) {
                protectedScopes << scope;
            }
            const auto secret = findSecret(store, *target, reference.address, false);
            if (!secret) {
                return std::unexpected(secret.error());
            }
            const auto stored = store.value(secret->id);
            if (!stored) {
                return std::unexpected(failure(stored.error()));
            }
            auto resolved = lift(model::resolveReferences(store, target->id, stored->bytes()));
            if (!resolved) {
                return std::unexpected(resolved.error());
            }
            referenced.push_back(std::move(*resolved));
        }
        const QString program = QFileInfo(session.argument(1)).fileName();
        if (!protectedScopes.isEmpty()) {
            const QString question =
                u"Run %1 with secrets of the protected environment %2?"_s.arg(program, protectedScopes.join(u", "_s));
            if (auto confirmed = confirmOnTerminal(session, question, u"run cancelled"_s); !confirmed) {
                return confirmed;
            }
        }
        // Audited before the child starts: a run that cannot be recorded does not happen. Names only.
        const QString detail = u"coffer-cli run %1; names: %2"_s.arg(program, names.join(u", "_s));
        return lift(store.audit(u"run"_s, address->project, address->environment, {}, detail));
    });
    if (!prepared) {
        return std::unexpected(prepared.error());
    }
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
