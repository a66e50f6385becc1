// SPDX-License-Identifier: Apache-2.0
// team create, share, invite, join, members, confirm, role, remove, fingerprint and list: the team lifecycle
// over sync::TeamService. Codes (the operator's team code, invite codes) come from a file, standard input
// or a prompt, never from the command line; only `team invite` prints one, on stdout, because it was asked.
#include "cli/Commands.h"
#include "cli/Lookup.h"
#include "cli/Output.h"
#include "cli/SecretInjection.h"
#include "cli/SyncSession.h"
#include "cli/Terminal.h"

#include <QJsonArray>
#include <QJsonObject>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::cli::commands {

namespace {

constexpr int kMaxInviteHours = 24 * 7; // the team service refuses longer

/// A line for people on stderr, with no "coffer-cli:" prefix (it is not an error).
void note(const QString& text) {
    const QByteArray bytes = (text + u'\n').toUtf8();
    [[maybe_unused]] const bool written = writeAll(
        STDERR_FILENO, std::as_bytes(std::span<const char>(bytes.constData(), static_cast<std::size_t>(bytes.size()))));
}

QString statusName(sync::MemberInfo::Status status) {
    switch (status) {
    case sync::MemberInfo::Status::Active:
        return u"active"_s;
    case sync::MemberInfo::Status::Pending:
        return u"pending"_s;
    case sync::MemberInfo::Status::KeysChanged:
        return u"keys-changed"_s;
    case sync::MemberInfo::Status::Removed:
        return u"removed"_s;
    }
    return u"active"_s;
}

/// The first 64 bits of a member id in groups of four hex digits ("b35b 8a42 06c7 d861"): what an invite
/// code shows the invitee as the inviting admin.
QString shortId(std::span<const std::byte> id) {
    const QString hex = hexId(id).left(16);
    QStringList groups;
    for (qsizetype i = 0; i < hex.size(); i += 4) {
        groups << hex.mid(i, 4);
    }
    return groups.join(u' ');
}

QString withoutSpaces(QString text) {
    text.remove(u' ');
    text.remove(u'\t');
    return text;
}

/// A light check before the vault is opened, so a pasted mistake gets a clear message at once; the team
/// service checks the contents.
// Before the vault is opened: a malformed code is a usage error with what to do.
Outcome<void> checkInviteShape(const crypto::SecureBuffer& code) {
    if (auto read = sync::readInviteCode(code); !read) {
        return usageError(read.error().message);
    }
    return {};
}

Outcome<protocol::Role> roleOption(const Session& session) {
    const QString text = session.option(u"role"_s).value_or(u"member"_s);
    if (text == u"member"_s) {
        return protocol::Role::Member;
    }
    if (text == u"admin"_s) {
        return protocol::Role::Admin;
    }
    return usageError(u"--role is member or admin (an owner is the one who created the team)"_s);
}

QString displayName(const Session& session) {
    return session.option(u"display-name"_s).value_or(Session::author());
}

} // namespace

Outcome<void> teamCreate(Session& session) {
    const auto server = session.option(u"server"_s);
    const auto name = session.option(u"name"_s);
    if (!server || !name) {
        return usageError(u"team create needs --server URL and --name NAME (the operator's team code comes from "
                          u"--code-file FILE, standard input or a prompt)"_s);
    }
    // A piped code is read before the password prompt; a typed one is asked for after it.
    auto piped = readCodeInput(session, u"code-file"_s, u"team code"_s);
    if (!piped) {
        return std::unexpected(piped.error());
    }
    return withSync(session, [&](SyncSession& sync) -> Outcome<void> {
        Outcome<crypto::SecureBuffer> code =
            *piped ? Outcome<crypto::SecureBuffer>(std::move(**piped))
                   : promptForCode(u"Team code from the server's operator: "_s, u"code-file"_s);
        if (!code) {
            return std::unexpected(code.error());
        }
        const auto team = lift(sync.teams().createTeam(*server, *name, displayName(session), *code,
                                                       session.option(u"ca-file"_s).value_or(QString{})));
        if (!team) {
            return std::unexpected(team.error());
        }
        printLine(u"Created team %1 on %2; you are its owner."_s.arg(team->name, team->serverUrl));
        printLine(u"Team fingerprint: %1"_s.arg(team->fingerprint));
        printLine(u"Next: share a project with `coffer-cli team share PROJECT`, then invite with `coffer-cli team "
                  u"invite`."_s);
        return {};
    });
}

Outcome<void> teamShare(Session& session) {
    const QString projectName = session.argument(0);
    return withSync(session, [&](SyncSession& sync) -> Outcome<void> {
        const auto team = sync.team();
        if (!team) {
            return std::unexpected(team.error());
        }
        const auto project = findProject(sync.store(), projectName);
        if (!project) {
            return std::unexpected(project.error());
        }
        const auto shared = lift(sync.teams().shareProject(team->team, project->id));
        if (!shared) {
            return std::unexpected(shared.error());
        }
        printLine(
            u"Project %1 is shared with team %2 (%3 environments):"_s.arg(projectName, team->name).arg(shared->size()));
        for (const auto& environment : *shared) {
            printLine(u"  %1/%2%3"_s.arg(environment.project, environment.environment,
                                         environment.isProtected ? u" (protected)"_s : QString{}));
        }
        printLine(u"Members see an environment only once you grant it: `coffer-cli grant MEMBER %1/ENV --role "
                  u"read|write`."_s.arg(projectName));
        return {};
    });
}

Outcome<void> teamInvite(Session& session) {
    const auto hours = session.intOption(u"valid"_s, 1, kMaxInviteHours);
    if (!hours) {
        return std::unexpected(hours.error());
    }
    const int validHours = hours->value_or(24);
    return withSync(session, [&](SyncSession& sync) -> Outcome<void> {
        const auto team = sync.team();
        if (!team) {
            return std::unexpected(team.error());
        }
        const auto code = lift(sync.teams().invite(team->team, std::chrono::hours(validHours)));
        if (!code) {
            return std::unexpected(code.error());
        }
        // Only the code goes to stdout, so `coffer-cli team invite > file` captures exactly it.
        note(u"Invite code for ONE new member of team %1, valid %2 hours. It is a secret: give it to that person "
             u"over a private channel. They run `coffer-cli team join` and paste it; then you compare "
             u"fingerprints and run `coffer-cli team confirm NAME`."_s.arg(team->name)
                 .arg(validHours));
        const std::byte newline{'\n'};
        if (!writeAll(STDOUT_FILENO, code->bytes()) || !writeAll(STDOUT_FILENO, std::span(&newline, 1))) {
            return fail(ExitCode::Failed, u"cannot write the invite code to standard output"_s);
        }
        return {};
    });
}

Outcome<void> teamJoin(Session& session) {
    auto piped = readCodeInput(session, u"code-file"_s, u"invite code"_s);
    if (!piped) {
        return std::unexpected(piped.error());
    }
    if (*piped) {
        if (auto shape = checkInviteShape(**piped); !shape) {
            return std::unexpected(shape.error());
        }
    }
    return withSync(session, [&](SyncSession& sync) -> Outcome<void> {
        Outcome<crypto::SecureBuffer> code = *piped ? Outcome<crypto::SecureBuffer>(std::move(**piped))
                                                    : promptForCode(u"Invite code: "_s, u"code-file"_s);
        if (!code) {
            return std::unexpected(code.error());
        }
        if (auto shape = checkInviteShape(*code); !shape) {
            return std::unexpected(shape.error());
        }
        const auto joined =
            lift(sync.teams().join(*code, displayName(session), session.option(u"ca-file"_s).value_or(QString{})));
        if (!joined) {
            return std::unexpected(joined.error());
        }
        printLine(u"Joined the team as %1; an admin must confirm you before you can sync."_s.arg(displayName(session)));
        printLine(u"Team fingerprint:  %1"_s.arg(joined->teamFingerprint));
        printLine(u"Admin fingerprint: %1"_s.arg(joined->adminFingerprint));
        printLine(u"Compare both with what your admin reads out (for example on a call); if they differ, stop."_s);
        printLine(u"Then read this to your admin: %1"_s.arg(joined->myFingerprint));
        return {};
    });
}

Outcome<void> teamMembers(Session& session) {
    return withSync(session, [&](SyncSession& sync) -> Outcome<void> {
        const auto team = sync.team();
        if (!team) {
            return std::unexpected(team.error());
        }
        const auto members = lift(sync.teams().members(team->team));
        if (!members) {
            return std::unexpected(members.error());
        }
        if (session.flag(u"json"_s)) {
            QJsonArray array;
            for (const auto& member : *members) {
                array.append(QJsonObject{
                    {u"id"_s, hexId(member.id.span())},
                    {u"name"_s, member.name},
                    {u"fingerprint"_s, member.fingerprint},
                    {u"role"_s, member.role ? QJsonValue(roleName(*member.role)) : QJsonValue()},
                    {u"status"_s, statusName(member.status)},
                    {u"verified"_s, member.verified},
                    {u"me"_s, member.isMe},
                });
            }
            printJson(QJsonObject{{u"team"_s, team->name}, {u"members"_s, array}});
            return {};
        }
        QList<QStringList> rows{{u"NAME"_s, u"ROLE"_s, u"STATUS"_s, u"FINGERPRINT"_s, u"ID"_s}};
        bool unverified = false;
        for (const auto& member : *members) {
            QString status = statusName(member.status);
            if (member.status == sync::MemberInfo::Status::Active && !member.verified && !member.isMe) {
                status += u" (unverified)"_s;
                unverified = true;
            }
            rows << QStringList{member.isMe ? member.name + u" (you)"_s : member.name,
                                member.role ? roleName(*member.role) : u"-"_s, status, member.fingerprint,
                                shortId(member.id.span())};
        }
        printOut(formatTable(rows));
        if (unverified) {
            printLine(u"Unverified: confirmed without comparing fingerprints; compare them with that person."_s);
        }
        return {};
    });
}

Outcome<void> teamConfirm(Session& session) {
    const auto role = roleOption(session);
    if (!role) {
        return std::unexpected(role.error());
    }
    const auto typed = session.option(u"fingerprint"_s);
    const bool skip = session.flag(u"skip-verification"_s);
    if (typed && skip) {
        return usageError(u"give --fingerprint or --skip-verification, not both"_s);
    }
    return withSync(session, [&](SyncSession& sync) -> Outcome<void> {
        const auto team = sync.team();
        if (!team) {
            return std::unexpected(team.error());
        }
        const auto member = sync.member(*team, session.argument(0));
        if (!member) {
            return std::unexpected(member.error());
        }
        QString fingerprint;
        if (skip) {
            note(u"WARNING: confirming %1 WITHOUT comparing fingerprints. Anyone who got hold of the invite code "
                 u"could be this \"%1\" and will read what you grant. Compare later: their fingerprint is %2."_s.arg(
                     member->name, member->fingerprint));
        } else if (typed) {
            if (withoutSpaces(*typed) != withoutSpaces(member->fingerprint)) {
                return usageError(
                    u"the fingerprint you gave is not %1's: do not confirm. Ask %1 to read out the "
                    u"fingerprint `coffer-cli team join` printed, and check it is the same person"_s.arg(member->name));
            }
            fingerprint = *typed;
        } else {
            auto terminal = Terminal::open(u"give the fingerprint %1 read to you with --fingerprint \"...\" (or "
                                           u"--skip-verification, with a warning)"_s.arg(member->name));
            if (!terminal) {
                return std::unexpected(terminal.error());
            }
            terminal->say(u"%1's fingerprint: %2"_s.arg(member->name, member->fingerprint));
            if (auto answer = confirmOnTerminal(
                    session, u"Is it exactly what %1 read to you?"_s.arg(member->name),
                    u"not confirmed: %1 stays pending until the fingerprints match"_s.arg(member->name));
                !answer) {
                return std::unexpected(answer.error());
            }
            fingerprint = member->fingerprint;
        }
        const auto confirmed = lift(sync.teams().confirm(team->team, member->id, *role, fingerprint, skip));
        if (!confirmed) {
            return std::unexpected(confirmed.error());
        }
        printLine(u"Confirmed %1 as %2 of team %3 (%4)."_s.arg(confirmed->name, roleName(*role), team->name,
                                                               skip ? u"fingerprint NOT verified"_s
                                                                    : u"fingerprint verified"_s));
        printLine(u"Grant access with `coffer-cli grant %1 PROJECT/ENV --role read|write`."_s.arg(confirmed->name));
        return {};
    });
}

Outcome<void> teamRemove(Session& session) {
    return withSync(session, [&](SyncSession& sync) -> Outcome<void> {
        const auto team = sync.team();
        if (!team) {
            return std::unexpected(team.error());
        }
        const auto member = sync.member(*team, session.argument(0));
        if (!member) {
            return std::unexpected(member.error());
        }
        const auto report = lift(sync.teams().removeMember(team->team, member->id));
        if (!report) {
            return std::unexpected(report.error());
        }
        printLine(u"Removed %1 from team %2; every environment they could read has a new key."_s.arg(member->name,
                                                                                                     team->name));
        printOut(exposureText(*report));
        return {};
    });
}

Outcome<void> teamRole(Session& session) {
    const QString text = session.argument(1);
    protocol::Role role = protocol::Role::Member;
    if (text == u"owner"_s) {
        role = protocol::Role::Owner;
    } else if (text == u"admin"_s) {
        role = protocol::Role::Admin;
    } else if (text != u"member"_s) {
        return usageError(u"ROLE is owner, admin or member, not \"%1\""_s.arg(text));
    }
    return withSync(session, [&](SyncSession& sync) -> Outcome<void> {
        const auto team = sync.team();
        if (!team) {
            return std::unexpected(team.error());
        }
        const auto member = sync.member(*team, session.argument(0));
        if (!member) {
            return std::unexpected(member.error());
        }
        if (member->role == role) {
            printLine(u"%1 is %2 of team %3 already."_s.arg(member->name, roleName(role), team->name));
            return {};
        }
        if (auto changed = lift(sync.teams().setRole(team->team, member->id, role)); !changed) {
            return std::unexpected(changed.error());
        }
        printLine(u"%1 is now %2 of team %3 (was %4)."_s.arg(member->name, roleName(role), team->name,
                                                             member->role ? roleName(*member->role) : u"-"_s));
        return {};
    });
}

Outcome<void> teamFingerprint(Session& session) {
    return withSync(session, [&](SyncSession& sync) -> Outcome<void> {
        const auto team = sync.team();
        if (!team) {
            return std::unexpected(team.error());
        }
        std::vector<sync::SharedEnvironment> environments;
        if (!session.arguments().isEmpty()) {
            auto one = sync.sharedEnvironment(*team, session.argument(0));
            if (!one) {
                return std::unexpected(one.error());
            }
            environments.push_back(std::move(*one));
        } else {
            auto all = lift(sync.teams().sharedEnvironments(team->team));
            if (!all) {
                return std::unexpected(all.error());
            }
            environments = std::move(*all);
        }
        QList<QStringList> rows{{u"SCOPE"_s, u"FINGERPRINT"_s}};
        rows << QStringList{u"team "_s + team->name, team->fingerprint};
        for (const auto& environment : environments) {
            const auto fingerprint = lift(sync.engine().environmentFingerprint(environment.environmentId));
            if (!fingerprint) {
                return std::unexpected(fingerprint.error());
            }
            rows << QStringList{environment.project + u'/' + environment.environment, *fingerprint};
        }
        printOut(formatTable(rows));
        printLine(u"The same fingerprints as a teammate's mean the same roster and the same log (after you both "
                  u"ran `coffer-cli sync`)."_s);
        return {};
    });
}

Outcome<void> teamList(Session& session) {
    return withSync(session, [&](SyncSession& sync) -> Outcome<void> {
        const auto teams = lift(sync.teams().teams());
        if (!teams) {
            return std::unexpected(teams.error());
        }
        if (teams->empty()) {
            printLine(u"This vault belongs to no team: create one with `coffer-cli team create` or join one with "
                      u"`coffer-cli team join`."_s);
            return {};
        }
        QList<QStringList> rows{{u"NAME"_s, u"SERVER"_s, u"ROLE"_s, u"FINGERPRINT"_s, u"STATUS"_s}};
        for (const auto& team : *teams) {
            rows << QStringList{team.name, team.serverUrl, team.myRole ? roleName(*team.myRole) : u"pending"_s,
                                team.fingerprint, team.status.isEmpty() ? u"ok"_s : team.status};
        }
        printOut(formatTable(rows));
        return {};
    });
}

} // namespace coffer::cli::commands
