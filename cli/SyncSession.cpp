// SPDX-License-Identifier: Apache-2.0
#include "cli/SyncSession.h"

#include "cli/Address.h"
#include "cli/Lookup.h"
#include "cli/PasswordFile.h"
#include "cli/Terminal.h"
#include "crypto/Hash.h"

#include <algorithm>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::cli {

namespace {

/// What to do next, by error code: the sync layer says what happened, the CLI says which command helps.
QString advice(sync::ErrorCode code) {
    using sync::ErrorCode;
    switch (code) {
    case ErrorCode::Offline:
        return u"Check the server address and your network, then run it again; local changes are kept and sent "
               u"by the next `coffer-cli sync`."_s;
    case ErrorCode::Server:
        return u"The server has trouble: try again later (local changes are kept)."_s;
    case ErrorCode::Tls:
        return u"The server's certificate was not accepted; give the CA that signed it with --ca-file (TLS "
               u"verification is never turned off)."_s;
    case ErrorCode::Redirect:
        return u"Redirects are never followed: use the server's real address."_s;
    case ErrorCode::Refused:
        return u"Ask a team admin whether you are a confirmed member with access (`coffer-cli team members`)."_s;
    case ErrorCode::NotAllowed:
        return u"Ask a team admin, or see your role and access with `coffer-cli team members`."_s;
    case ErrorCode::Integrity:
        return u"Nothing from it was applied and that sync stopped. Tell your team admin; compare `coffer-cli team "
               u"fingerprint` with a teammate."_s;
    case ErrorCode::HostileResponse:
        return u"Nothing from the reply was used. Tell your server's operator."_s;
    case ErrorCode::Conflict:
        return u"Others kept writing at the same time: run `coffer-cli sync` again."_s;
    case ErrorCode::NotFound:
    case ErrorCode::InvalidInput:
    case ErrorCode::Vault:
        return {};
    }
    return {};
}

} // namespace

ExitCode exitCodeFor(sync::ErrorCode code) noexcept {
    using sync::ErrorCode;
    switch (code) {
    case ErrorCode::Offline:
    case ErrorCode::Server:
        return ExitCode::Offline;
    case ErrorCode::Refused:
    case ErrorCode::NotAllowed:
        return ExitCode::Refused;
    // A server that breaks the protocol, TLS or the redirect rule is not trusted any more than one that
    // serves a bad record: a script stops the same way.
    case ErrorCode::Integrity:
    case ErrorCode::HostileResponse:
    case ErrorCode::Tls:
    case ErrorCode::Redirect:
        return ExitCode::Integrity;
    case ErrorCode::InvalidInput:
        return ExitCode::Usage;
    case ErrorCode::NotFound:
        return ExitCode::NotFound;
    case ErrorCode::Conflict:
    case ErrorCode::Vault:
        return ExitCode::Failed;
    }
    return ExitCode::Failed;
}

Failure failure(const sync::Error& error) {
    QString message = error.message.trimmed();
    if (message.isEmpty()) {
        message = sync::codeName(error.code);
    }
    if (!message.endsWith(u'.')) {
        message += u'.';
    }
    if (const QString next = advice(error.code); !next.isEmpty()) {
        message += u' ' + next;
    }
    return Failure{exitCodeFor(error.code), message};
}

SyncSession::SyncSession(const Session& session, model::Vault& vault)
    : m_session(session)
    , m_store(vault, Session::author())
    , m_engine(vault, m_store)
    , m_teams(vault, m_store, m_engine) {}

Outcome<sync::TeamSummary> SyncSession::team() {
    const QString wanted = m_session.option(u"team"_s).value_or(QString{});
    if (wanted.isEmpty()) {
        const auto all = m_teams.teams();
        if (!all) {
            return std::unexpected(failure(all.error()));
        }
        if (all->empty()) {
            return fail(ExitCode::NotFound, u"this vault belongs to no team: create one with `coffer-cli team "
                                            u"create` or join one with `coffer-cli team join`"_s);
        }
        if (all->size() > 1) {
            QStringList names;
            for (const auto& team : *all) {
                names << team.name;
            }
            return usageError(u"this vault belongs to %1 teams (%2): say which with --team NAME"_s.arg(all->size())
                                  .arg(names.join(u", "_s)));
        }
        return all->front();
    }
    return lift(m_teams.findTeam(wanted));
}

Outcome<sync::MemberInfo> SyncSession::member(const sync::TeamSummary& team, const QString& nameOrFingerprint) {
    return lift(m_teams.findMember(team.team, nameOrFingerprint));
}

Outcome<sync::SharedEnvironment> SyncSession::sharedEnvironment(const sync::TeamSummary& team, const QString& address) {
    const auto parsed = parseAddress(address, 2);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    const auto environment = findEnvironment(m_store, *parsed);
    if (!environment) {
        return std::unexpected(environment.error());
    }
    const auto shared = m_teams.sharedEnvironments(team.team);
    if (!shared) {
        return std::unexpected(failure(shared.error()));
    }
    const auto it = std::find_if(shared->cbegin(), shared->cend(), [&](const sync::SharedEnvironment& candidate) {
        return candidate.environmentId == environment->id;
    });
    if (it == shared->cend()) {
        return fail(ExitCode::NotFound, u"%1 is not shared with team %2: share its project with `coffer-cli team "
                                        u"share %3`"_s.arg(parsed->text(), team.name, parsed->project));
    }
    return *it;
}

Outcome<std::optional<crypto::SecureBuffer>> readCodeInput(const Session& session, const QString& fileOption,
                                                           const QString& what) {
    Outcome<crypto::SecureBuffer> raw;
    if (const auto file = session.option(fileOption)) {
        raw = readPasswordFile(*file);
    } else if (!stdinIsTerminal()) {
        raw = readAll(STDIN_FILENO, kMaxPasswordBytes + 1, u"standard input"_s);
        if (raw && raw->size() > kMaxPasswordBytes) {
            return fail(ExitCode::Usage,
                        u"standard input holds more than a %1 (over %2 bytes)"_s.arg(what).arg(kMaxPasswordBytes));
        }
    } else {
        return std::optional<crypto::SecureBuffer>{};
    }
    if (!raw) {
        return std::unexpected(raw.error());
    }
    // Codes are printable ASCII: the whitespace around them (a newline, a CR from a Windows editor) is
    // never part of one.
    const auto bytes = raw->bytes();
    auto isSpace = [](std::byte b) { return b == std::byte{' '} || (b >= std::byte{'\t'} && b <= std::byte{'\r'}); };
    const auto first = std::find_if_not(bytes.begin(), bytes.end(), isSpace);
    const auto last = std::find_if_not(bytes.rbegin(), std::make_reverse_iterator(first), isSpace).base();
    if (first == last) {
        const QString source = session.option(fileOption) ? u"--%1"_s.arg(fileOption) : u"standard input"_s;
        return fail(ExitCode::Usage, u"no %1 in %2: give it with --%3 FILE, on standard input, or run in a "
                                     u"terminal to be asked for it"_s.arg(what, source, fileOption));
    }
    return std::optional<crypto::SecureBuffer>(
        crypto::SecureBuffer::copyOf(std::span<const std::byte>(&*first, static_cast<std::size_t>(last - first))));
}

Outcome<crypto::SecureBuffer> promptForCode(const QString& prompt, const QString& fileOption) {
    auto terminal =
        Terminal::open(u"give it with --%1 FILE (owner-only, chmod 600) or on standard input"_s.arg(fileOption));
    if (!terminal) {
        return std::unexpected(terminal.error());
    }
    return terminal->readHidden(prompt, kMaxPasswordBytes);
}

QString errorCodeName(sync::ErrorCode code) {
    using sync::ErrorCode;
    switch (code) {
    case ErrorCode::Offline:
        return u"offline"_s;
    case ErrorCode::Tls:
        return u"tls"_s;
    case ErrorCode::Redirect:
        return u"redirect"_s;
    case ErrorCode::Server:
        return u"server"_s;
    case ErrorCode::Refused:
        return u"refused"_s;
    case ErrorCode::NotFound:
        return u"not-found"_s;
    case ErrorCode::HostileResponse:
        return u"hostile-response"_s;
    case ErrorCode::Integrity:
        return u"integrity"_s;
    case ErrorCode::NotAllowed:
        return u"not-allowed"_s;
    case ErrorCode::InvalidInput:
        return u"invalid-input"_s;
    case ErrorCode::Conflict:
        return u"conflict"_s;
    case ErrorCode::Vault:
        return u"vault"_s;
    }
    return u"server"_s;
}

QString exposureText(const sync::ExposureReport& report) {
    QString out;
    if (report.secrets.empty()) {
        out += u"%1 could read no secret.\n"_s.arg(report.memberName);
    } else {
        out +=
            u"Exposure report: %1 could read these secrets; each is \"to rotate\" until it has a new version:\n"_s.arg(
                report.memberName);
        for (const auto& secret : report.secrets) {
            out +=
                u"  %1/%2/%3  version %4\n"_s.arg(secret.project, secret.environment, secret.name).arg(secret.version);
        }
    }
    if (!report.accessLogError.isEmpty()) {
        out += u"The server's access log could not be read: %1\n"_s.arg(report.accessLogError);
    } else if (report.serverAccess.isEmpty()) {
        out += u"The server's access log shows no pull by %1.\n"_s.arg(report.memberName);
    } else {
        out += u"The server's access log for %1:\n"_s.arg(report.memberName);
        for (const auto& line : report.serverAccess) {
            out += u"  "_s + line + u'\n';
        }
    }
    if (!report.localAudit.isEmpty()) {
        out += u"This device's audit log about those secrets:\n"_s;
        for (const auto& line : report.localAudit) {
            out += u"  "_s + line + u'\n';
        }
    }
    if (!report.secrets.empty()) {
        out += u"Change each value at its source, store it with `coffer-cli set`, then `coffer-cli sync`; "
               u"`coffer-cli rotate-list` shows what is left.\n"_s;
    }
    return out;
}

QString roleName(protocol::Role role) {
    switch (role) {
    case protocol::Role::Owner:
        return u"owner"_s;
    case protocol::Role::Admin:
        return u"admin"_s;
    case protocol::Role::Member:
        return u"member"_s;
    }
    return u"member"_s;
}

QString accessName(protocol::Access access) {
    return access == protocol::Access::Write ? u"write"_s : u"read"_s;
}

QString hexId(std::span<const std::byte> id) {
    return QString::fromStdString(crypto::toHex(id));
}

} // namespace coffer::cli
