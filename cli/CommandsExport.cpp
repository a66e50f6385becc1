// SPDX-License-Identifier: Apache-2.0
// export: an environment's secrets to stdout or, safely, to a file (atomic, 0600, never through a symlink,
// never into a file git tracks or may pick up).
#include "agent/VaultReads.h"
#include "cli/AgentAccess.h"
#include "cli/Commands.h"
#include "cli/Lookup.h"
#include "cli/Output.h"
#include "cli/SecretInjection.h"
#include "model/Dotenv.h"
#include "model/DotenvExport.h"
#include "model/GitCheck.h"
#include "model/SafeFile.h"

#include <QDir>
#include <QFileInfo>

#include <functional>

#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::cli::commands {

namespace {

struct ExportRequest {
    Address address;
    std::optional<QString> output; ///< absolute; nullopt for stdout
    model::dotenv::Dialect dialect = model::dotenv::Dialect::Dotenv;
    bool merge = false;
};

Failure fileFailure(const QString& path, const model::Error& error) {
    return Failure{ExitCode::Failed, u"cannot export to %1: %2"_s.arg(path, error.detail)};
}

Outcome<ExportRequest> request(const Session& session) {
    const auto address = addressArgument(session, 2);
    if (!address) {
        return std::unexpected(address.error());
    }
    ExportRequest result{*address, {}, model::dotenv::Dialect::Dotenv, session.flag(u"merge"_s)};
    if (const auto output = session.option(u"output"_s)) {
        if (output->isEmpty()) {
            return usageError(u"-o needs a file name"_s);
        }
        result.output = QFileInfo(*output).absoluteFilePath();
    }
    if (const auto name = session.option(u"format"_s)) {
        const auto dialect = model::dotenv::dialectFromName(*name);
        if (!dialect) {
            return usageError(u"unknown format '%1': use dotenv, docker, shell, systemd, json or yaml"_s.arg(*name));
        }
        result.dialect = *dialect;
    } else if (result.output) {
        result.dialect = model::dotenv::dialectForPath(*result.output);
    }
    if (result.merge && (!result.output || result.dialect != model::dotenv::Dialect::Dotenv)) {
        return usageError(u"--merge updates an existing dotenv file: give -o FILE and the dotenv format"_s);
    }
    return result;
}

/// Refuses a target git tracks, and one git might pick up unless the user said --allow-unignored.
Outcome<void> checkGit(const Session& session, const QString& path) {
    const auto git = model::gitStatus(path);
    const QString advice = u"add this line to %1/.gitignore: %2"_s.arg(git.workTree, git.ignoreLine);
    switch (git.state) {
    case model::GitState::NotInWorkTree:
    case model::GitState::Ignored:
        return {};
    case model::GitState::Tracked:
        return fail(ExitCode::Failed, u"%1 is tracked by git: secrets written there would be committed. Untrack it "
                                      u"(git rm --cached -- %1), then %2"_s.arg(path, advice));
    case model::GitState::NotIgnored:
        if (!session.flag(u"allow-unignored"_s)) {
            return fail(ExitCode::Failed,
                        u"%1 is inside the git work tree %2 and not ignored: one `git add` would commit the secrets. "
                        u"To ignore it, %3; or pass --allow-unignored"_s.arg(path, git.workTree, advice));
        }
        printError(u"warning: %1 is not ignored by git; %2"_s.arg(path, advice));
        return {};
    }
    return {};
}

Failure exportFailure(const model::dotenv::FileError& error) {
    return Failure{exitCodeFor(error.code), error.message};
}

std::vector<model::dotenv::Entry> entriesOf(agent::reads::Gathered& gathered) {
    std::vector<model::dotenv::Entry> entries;
    for (auto& variable : gathered.variables) {
        entries.push_back(model::dotenv::Entry{variable.name, std::move(variable.value), 0});
    }
    return entries;
}

model::dotenv::ExportTarget targetOf(const ExportRequest& req) {
    return model::dotenv::ExportTarget{req.output.value_or(QString()), req.dialect, req.merge};
}

} // namespace

Outcome<void> exportEnvironment(Session& session) {
    const auto req = request(session);
    if (!req) {
        return std::unexpected(req.error());
    }
    // Everything that can be refused without the vault is refused before the password is asked for.
    if (req->output) {
        if (auto target = model::checkWritableTarget(*req->output); !target) {
            return std::unexpected(fileFailure(*req->output, target.error()));
        }
        if (auto git = checkGit(session, *req->output); !git) {
            return git;
        }
    }
    const agent::reads::Path scope{req->address.project, req->address.environment, {}};
    const QString where = req->output.value_or(u"standard output"_s);
    // After the audit: the entries rendered and written, the same way whichever path read them.
    auto write = [&](const std::vector<model::dotenv::Entry>& entries,
                     const std::function<Outcome<void>()>& audit) -> Outcome<void> {
        const auto bytes = model::dotenv::render(targetOf(*req), entries);
        if (!bytes) {
            return std::unexpected(exportFailure(bytes.error()));
        }
        if (auto audited = audit(); !audited) {
            return audited;
        }
        if (!req->output) {
            if (!writeAll(STDOUT_FILENO, bytes->bytes())) {
                return fail(ExitCode::Failed, u"cannot write to standard output"_s);
            }
            return {};
        }
        if (auto written = model::writeFileAtomically(*req->output, bytes->bytes()); !written) {
            return std::unexpected(fileFailure(*req->output, written.error()));
        }
        printLine(u"Exported %1 secrets of %2 to %3 (owner-only, mode 0600)."_s.arg(entries.size())
                      .arg(req->address.text(), *req->output));
        return {};
    };
    if (const auto target = agentTarget(session)) {
        // The agent asks consent for a protected environment and audits before it answers.
        auto gathered = agent::client::exportValues(*target, scope, req->output.value_or(u"stdout"_s));
        if (gathered) {
            return write(entriesOf(*gathered), [] { return Outcome<void>(); });
        }
        if (auto failed = agentFailure(gathered.error())) {
            return std::unexpected(*failed);
        }
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        auto gathered = agent::reads::exportValues(store, scope);
        if (!gathered) {
            return std::unexpected(readFailure(gathered.error()));
        }
        const auto entries = entriesOf(*gathered);
        if (!gathered->protectedScopes.isEmpty()) {
            const QString question = u"Export %1 secrets of the protected environment %2 to %3?"_s.arg(entries.size())
                                         .arg(req->address.text(), where);
            if (auto confirmed = confirmOnTerminal(session, question, u"export cancelled"_s); !confirmed) {
                return confirmed;
            }
        }
        // Audited before anything is written: an export that cannot be recorded does not happen.
        return write(entries, [&]() -> Outcome<void> {
            return lift(model::dotenv::auditExport(store, req->address.project, req->address.environment,
                                                   req->output.value_or(u"stdout"_s), entries.size()));
        });
    });
}

} // namespace coffer::cli::commands
