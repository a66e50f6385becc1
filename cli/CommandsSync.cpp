// SPDX-License-Identifier: Apache-2.0
// grant, revoke, sync (and clearing an integrity stop), rotate-list, conflicts and resolve: access, the sync itself,
// and what it leaves to do (secrets to rotate after a removal, conflicts to resolve).
#include "cli/Address.h"
#include "cli/Commands.h"
#include "cli/Lookup.h"
#include "cli/Output.h"
#include "cli/SyncSession.h"
#include "cli/Terminal.h"
#include "model/Store.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::cli::commands {

namespace {

QString conflictKind(sync::ConflictInfo::Kind kind) {
    return kind == sync::ConflictInfo::Kind::Delete ? u"delete"_s : u"edit"_s;
}

QJsonObject errorJson(const sync::Error& error) {
    return QJsonObject{{u"code"_s, errorCodeName(error.code)},
                       {u"exitCode"_s, static_cast<int>(exitCodeFor(error.code))},
                       {u"message"_s, failure(error).message}};
}

/// sync's exit code: the worst failure wins, integrity before refusal before anything else before offline,
/// because a script that retries on 6 must never retry over an integrity error.
int rank(ExitCode code) {
    switch (code) {
    case ExitCode::Integrity:
        return 4;
    case ExitCode::Refused:
        return 3;
    case ExitCode::Offline:
        return 1;
    case ExitCode::Ok:
        return 0;
    default:
        return 2;
    }
}

ExitCode syncExitCode(const sync::SyncReport& report) {
    ExitCode worst = ExitCode::Ok;
    const auto consider = [&](const sync::Error& error) {
        ExitCode code = exitCodeFor(error.code);
        if (rank(code) == 2) {
            code = ExitCode::Failed;
        }
        if (rank(code) > rank(worst)) {
            worst = code;
        }
    };
    for (const auto& error : report.teamErrors) {
        consider(error);
    }
    for (const auto& environment : report.environments) {
        if (environment.error) {
            consider(*environment.error);
        }
    }
    return worst;
}

QString plural(std::size_t count, const QString& one, const QString& many) {
    return u"%1 %2"_s.arg(count).arg(count == 1 ? one : many);
}

Outcome<std::optional<protocol::Access>> accessOption(const Session& session, bool required) {
    const auto text = session.option(u"role"_s);
    if (!text) {
        if (required) {
            return usageError(u"grant needs --role read or --role write"_s);
        }
        return std::nullopt;
    }
    if (*text == u"read"_s) {
        return protocol::Access::Read;
    }
    if (*text == u"write"_s) {
        return protocol::Access::Write;
    }
    return usageError(u"--role is read or write"_s);
}

/// A value file for `resolve --value-file`: every byte, exactly as `set` reads standard input.
Outcome<crypto::SecureBuffer> readValueFile(const QString& path) {
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return fail(ExitCode::Failed, u"cannot open --value-file %1: %2"_s.arg(path, qt_error_string(errno)));
    }
    auto value = readAll(fd, model::kMaxValueBytes + 1, u"--value-file %1"_s.arg(path));
    ::close(fd);
    if (value && value->size() > model::kMaxValueBytes) {
        return fail(ExitCode::Failed, u"--value-file %1 is larger than 1 MiB, the most a secret can hold"_s.arg(path));
    }
    return value;
}

Outcome<void> printExposure(const QString& memberName, const sync::Result<std::vector<sync::ExposureReport>>& reports) {
    if (!reports) {
        return std::unexpected(failure(reports.error()));
    }
    if (reports->empty()) {
        printLine(u"%1 could read no secret there."_s.arg(memberName));
    }
    for (const auto& report : *reports) {
        printOut(exposureText(report));
    }
    return {};
}

/// --clear-integrity PROJECT/ENV: says what stopped the environment (the evidence stays in the vault), then
/// clears the stop so that the sync that follows retries from the last verified head. A server that still serves
/// what failed stops it again, with the same message.
Outcome<void> clearIntegrityStop(SyncSession& sync, const QString& address, bool json) {
    const auto parsed = parseAddress(address, 2);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    const auto environment = findEnvironment(sync.store(), *parsed);
    if (!environment) {
        return std::unexpected(environment.error());
    }
    const auto status = sync.engine().integrityStatus(environment->id);
    if (!status) {
        if (status.error().code == sync::ErrorCode::NotFound) {
            return fail(ExitCode::NotFound, u"%1 is not shared with a team: there is no sync to clear"_s.arg(address));
        }
        return std::unexpected(failure(status.error()));
    }
    if (status->isEmpty()) {
        if (!json) {
            printLine(u"%1 was not stopped by an integrity error: nothing to clear."_s.arg(parsed->text()));
        }
        return {};
    }
    if (auto cleared = lift(sync.engine().clearIntegrityError(environment->id)); !cleared) {
        return std::unexpected(cleared.error());
    }
    if (!json) {
        printLine(u"Cleared the integrity stop of %1. It said: %2"_s.arg(parsed->text(), *status));
        printLine(u"The offending bytes stay in the vault as evidence. Syncing again from the last verified state:"_s);
    }
    return {};
}

} // namespace

Outcome<void> grant(Session& session) {
    const auto access = accessOption(session, true);
    if (!access) {
        return std::unexpected(access.error());
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
        const auto environment = sync.sharedEnvironment(*team, session.argument(1));
        if (!environment) {
            return std::unexpected(environment.error());
        }
        const auto applied =
            sync.teams().applyAccess(team->team, {sync::AccessChange{member->id, environment->environmentId, *access}});
        if (!applied) {
            return std::unexpected(failure(applied.error()));
        }
        printLine(u"Granted %1 %2 access to %3/%4; they get it on their next `coffer-cli sync`."_s.arg(
            member->name, accessName(**access), environment->project, environment->environment));
        return {};
    });
}

Outcome<void> revoke(Session& session) {
    if (session.arguments().size() < 2) {
        return teamRemove(session);
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
        const auto environment = sync.sharedEnvironment(*team, session.argument(1));
        if (!environment) {
            return std::unexpected(environment.error());
        }
        const auto reports = sync.teams().applyAccess(
            team->team, {sync::AccessChange{member->id, environment->environmentId, std::nullopt}});
        if (reports) {
            printLine(u"Revoked %1's access to %2/%3; it has a new key now."_s.arg(member->name, environment->project,
                                                                                   environment->environment));
        }
        return printExposure(member->name, reports);
    });
}

Outcome<void> syncNow(Session& session) {
    return withSync(session, [&](SyncSession& sync) -> Outcome<void> {
        const auto teams = lift(sync.teams().teams());
        if (!teams) {
            return std::unexpected(teams.error());
        }
        const bool json = session.flag(u"json"_s);
        if (const auto address = session.option(u"clear-integrity"_s)) {
            if (auto cleared = clearIntegrityStop(sync, *address, json); !cleared) {
                return cleared;
            }
        }
        if (teams->empty()) {
            if (json) {
                printJson(QJsonObject{{u"ok"_s, true},
                                      {u"environments"_s, QJsonArray{}},
                                      {u"teamErrors"_s, QJsonArray{}},
                                      {u"openConflicts"_s, 0},
                                      {u"pending"_s, 0},
                                      {u"exitCode"_s, 0}});
            } else {
                printLine(u"Nothing to sync: this vault belongs to no team."_s);
            }
            return {};
        }
        const auto report = lift(sync.engine().syncAll());
        if (!report) {
            return std::unexpected(report.error());
        }
        const ExitCode code = syncExitCode(*report);
        if (json) {
            QJsonArray environments;
            for (const auto& environment : report->environments) {
                environments.append(QJsonObject{
                    {u"project"_s, environment.project},
                    {u"environment"_s, environment.environment},
                    {u"pulled"_s, static_cast<qint64>(environment.pulled)},
                    {u"pushed"_s, static_cast<qint64>(environment.pushed)},
                    {u"newConflicts"_s, static_cast<qint64>(environment.newConflicts)},
                    {u"error"_s, environment.error ? QJsonValue(errorJson(*environment.error)) : QJsonValue()},
                });
            }
            QJsonArray teamErrors;
            for (const auto& error : report->teamErrors) {
                teamErrors.append(errorJson(error));
            }
            printJson(QJsonObject{{u"ok"_s, code == ExitCode::Ok},
                                  {u"environments"_s, environments},
                                  {u"teamErrors"_s, teamErrors},
                                  {u"openConflicts"_s, static_cast<qint64>(report->openConflicts)},
                                  {u"pending"_s, static_cast<qint64>(report->pending)},
                                  {u"exitCode"_s, static_cast<int>(code)}});
        } else {
            // The engine repeats a team's failure on each of its environments: said once, on the team's line.
            QStringList teamMessages;
            const QString teamLabel = teams->size() == 1 ? u"team %1"_s.arg(teams->front().name) : u"team"_s;
            for (const auto& error : report->teamErrors) {
                teamMessages << error.message;
                printLine(u"%1: %2: %3"_s.arg(teamLabel, errorCodeName(error.code).toUpper(), failure(error).message));
            }
            for (const auto& environment : report->environments) {
                const QString scope = environment.project + u'/' + environment.environment;
                if (environment.error && teamMessages.contains(environment.error->message)) {
                    printLine(u"%1: not synced (the team's error above)"_s.arg(scope));
                    continue;
                }
                QString line = u"%1: pulled %2, pushed %3"_s.arg(scope).arg(environment.pulled).arg(environment.pushed);
                if (environment.newConflicts > 0) {
                    line += u", "_s + plural(environment.newConflicts, u"new conflict"_s, u"new conflicts"_s);
                }
                if (environment.error) {
                    line += u"; %1: %2"_s.arg(errorCodeName(environment.error->code).toUpper(),
                                              failure(*environment.error).message);
                }
                printLine(line);
            }
            if (report->openConflicts > 0) {
                printLine(u"%1 to resolve: see `coffer-cli conflicts`."_s.arg(
                    plural(report->openConflicts, u"conflict"_s, u"conflicts"_s)));
            }
            if (report->pending > 0) {
                printLine(u"%1 waiting to be sent."_s.arg(plural(report->pending, u"change"_s, u"changes"_s)));
            }
        }
        switch (code) {
        case ExitCode::Ok:
            return {};
        case ExitCode::Integrity:
            return fail(code, u"sync stopped on an integrity error (see above): nothing that failed a check was "
                              u"applied; tell your team admin. After reading it, `coffer-cli sync --clear-integrity "
                              u"PROJECT/ENV` retries that environment"_s);
        case ExitCode::Refused:
            return fail(code, u"the server or this client refused part of the sync (see above)"_s);
        case ExitCode::Offline:
            return fail(code, u"offline: the server could not be reached; local changes are kept and sent next "
                              u"time"_s);
        default:
            return fail(code, u"part of the sync failed (see above)"_s);
        }
    });
}

Outcome<void> rotateList(Session& session) {
    return withSync(session, [&](SyncSession& sync) -> Outcome<void> {
        const auto items = lift(sync.teams().rotationList(session.flag(u"all"_s)));
        if (!items) {
            return std::unexpected(items.error());
        }
        if (session.flag(u"json"_s)) {
            QJsonArray array;
            for (const auto& item : *items) {
                array.append(QJsonObject{
                    {u"id"_s, static_cast<qint64>(item.id)},
                    {u"project"_s, item.project},
                    {u"environment"_s, item.environment},
                    {u"name"_s, item.name},
                    {u"version"_s, item.version},
                    {u"member"_s, item.memberName},
                    {u"since"_s, isoTime(item.since)},
                    {u"rotated"_s, item.rotated},
                });
            }
            printJson(QJsonObject{{u"items"_s, array}});
            return {};
        }
        if (items->empty()) {
            printLine(u"Nothing to rotate."_s);
            return {};
        }
        QList<QStringList> rows{{u"STATUS"_s, u"SECRET"_s, u"VERSION"_s, u"READABLE BY"_s, u"SINCE"_s}};
        for (const auto& item : *items) {
            rows << QStringList{item.rotated ? u"rotated"_s : u"to rotate"_s,
                                item.project + u'/' + item.environment + u'/' + item.name,
                                QString::number(item.version), item.memberName, isoTime(item.since)};
        }
        printOut(formatTable(rows));
        printLine(u"Give each secret a new value (at its source, then `coffer-cli set`) and run `coffer-cli sync`; "
                  u"it then leaves the list."_s);
        return {};
    });
}

Outcome<void> conflicts(Session& session) {
    return withSync(session, [&](SyncSession& sync) -> Outcome<void> {
        const auto list = lift(sync.engine().conflicts(session.flag(u"all"_s)));
        if (!list) {
            return std::unexpected(list.error());
        }
        if (session.flag(u"json"_s)) {
            QJsonArray array;
            for (const auto& conflict : *list) {
                array.append(QJsonObject{
                    {u"id"_s, static_cast<qint64>(conflict.id)},
                    {u"project"_s, conflict.project},
                    {u"environment"_s, conflict.environment},
                    {u"name"_s, conflict.name},
                    {u"kind"_s, conflictKind(conflict.kind)},
                    {u"currentVersion"_s, conflict.currentVersion},
                    {u"otherVersion"_s, conflict.otherVersion},
                    {u"currentAuthor"_s, conflict.currentAuthor},
                    {u"otherAuthor"_s, conflict.otherAuthor},
                    {u"detectedAt"_s, isoTime(conflict.detectedAt)},
                    {u"resolved"_s, conflict.resolved},
                });
            }
            printJson(QJsonObject{{u"conflicts"_s, array}});
            return {};
        }
        if (list->empty()) {
            printLine(u"No conflicts."_s);
            return {};
        }
        QList<QStringList> rows{{u"ID"_s, u"SECRET"_s, u"KIND"_s, u"CURRENT"_s, u"OTHER"_s, u"STATUS"_s}};
        for (const auto& conflict : *list) {
            rows << QStringList{
                QString::number(conflict.id),
                conflict.project + u'/' + conflict.environment + u'/' + conflict.name,
                conflictKind(conflict.kind),
                u"v%1 by %2"_s.arg(conflict.currentVersion).arg(conflict.currentAuthor),
                conflict.otherVersion > 0 ? u"v%1 by %2"_s.arg(conflict.otherVersion).arg(conflict.otherAuthor)
                                          : u"delete by %1"_s.arg(conflict.otherAuthor),
                conflict.resolved ? u"resolved"_s : u"open"_s,
            };
        }
        printOut(formatTable(rows));
        printLine(u"Both versions are in the history (`coffer-cli history`). Resolve with `coffer-cli resolve ID "
                  u"--keep current|other` or `--value-file FILE`."_s);
        return {};
    });
}

Outcome<void> resolve(Session& session) {
    bool ok = false;
    const qint64 id = session.argument(0).toLongLong(&ok);
    if (!ok || id <= 0) {
        return usageError(u"resolve needs a conflict ID, a whole number from `coffer-cli conflicts`"_s);
    }
    const auto keep = session.option(u"keep"_s);
    const auto valueFile = session.option(u"value-file"_s);
    if (keep.has_value() == valueFile.has_value()) {
        return usageError(u"resolve needs --keep current, --keep other, or --value-file FILE (a new value), one "
                          u"of them"_s);
    }
    sync::Resolution resolution = sync::Resolution::Edit;
    if (keep) {
        if (*keep == u"current"_s) {
            resolution = sync::Resolution::KeepCurrent;
        } else if (*keep == u"other"_s) {
            resolution = sync::Resolution::KeepOther;
        } else {
            return usageError(u"--keep is current or other"_s);
        }
    }
    std::optional<crypto::SecureBuffer> value;
    if (valueFile) {
        auto read = readValueFile(*valueFile);
        if (!read) {
            return std::unexpected(read.error());
        }
        value = std::move(*read);
    }
    return withSync(session, [&](SyncSession& sync) -> Outcome<void> {
        const auto resolved =
            lift(sync.engine().resolveConflict(id, resolution, value ? value->bytes() : std::span<const std::byte>{}));
        if (!resolved) {
            return std::unexpected(resolved.error());
        }
        const QString how = resolution == sync::Resolution::KeepCurrent ? u"kept the current version"_s
                            : resolution == sync::Resolution::KeepOther ? u"the other version is current again"_s
                                                                        : u"stored the new value"_s;
        printLine(u"Resolved conflict %1: %2. Run `coffer-cli sync` to send it to the team."_s.arg(id).arg(how));
        return {};
    });
}

} // namespace coffer::cli::commands
