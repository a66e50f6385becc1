// SPDX-License-Identifier: Apache-2.0
// TeamService: exposure reports (what a removed or revoked member could read) and the rotation list.
#include "sync/TeamService.h"

#include "model/Database.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "sync/ServerClient.h"
#include "sync/TeamSupport.h"
#include "sync/protocol/Json.h"

#include <map>
#include <set>

namespace coffer::sync {

namespace {

constexpr std::size_t kAccessLogPage = 1000;
constexpr int kAccessLogPages = 200;
constexpr int kAuditScan = 100'000;

QString isoTime(std::int64_t seconds) {
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(Qt::ISODate);
}

// Every access-log entry of the team, page by page. Entries are served in time order with `since` inclusive, so
// the entries of the last second of a full page come again at the start of the next one: they are skipped.
Result<std::vector<AccessLogEntry>> wholeAccessLog(ServerClient& client, const protocol::TeamId& team) {
    std::vector<AccessLogEntry> out;
    std::int64_t since = 0;
    std::size_t skip = 0;
    for (int page = 0; page < kAccessLogPages; ++page) {
        auto entries = client.accessLog(team, since, kAccessLogPage);
        if (!entries) {
            return std::unexpected(entries.error());
        }
        const std::size_t count = entries->size();
        const std::size_t first = std::min(skip, count);
        out.insert(out.end(), entries->begin() + static_cast<std::ptrdiff_t>(first), entries->end());
        if (count < kAccessLogPage) {
            break;
        }
        const std::int64_t last = entries->back().time;
        std::size_t sameSecond = 0;
        for (auto it = entries->rbegin(); it != entries->rend() && it->time == last; ++it) {
            ++sameSecond;
        }
        if (sameSecond == count) {
            break; // a whole page in one second: nothing more can be told apart
        }
        skip = last == since ? skip + sameSecond : sameSecond;
        since = last;
    }
    return out;
}

bool isChangeAction(const QString& action) {
    static const QStringList kChanges = {
        QStringLiteral("create"),
        QStringLiteral("update"),
        QStringLiteral("rename"),
        QStringLiteral("delete"),
        QStringLiteral("restore"),
        QStringLiteral("add-project"),
        QStringLiteral("rename-project"),
        QStringLiteral("remove-project"),
        QStringLiteral("add-environment"),
        QStringLiteral("rename-environment"),
        QStringLiteral("remove-environment"),
        QStringLiteral("protect"),
        QStringLiteral("unprotect"),
    };
    return kChanges.contains(action);
}

Result<void> recordRotation(model::Database& db, const ExposedSecret& secret, const protocol::MemberId& member,
                            const QString& memberName) {
    {
        auto existing = db.prepare("SELECT count(*) FROM sync_rotations WHERE environment_id = ?1 AND secret_id = ?2 "
                                   "AND version = ?3 AND member = ?4 AND rotated_at IS NULL");
        if (!existing) {
            return fail(existing.error());
        }
        existing->bind(1, secret.environmentId)
            .bind(2, secret.secretId)
            .bind(3, secret.version)
            .bindBlob(4, member.span());
        auto row = existing->step();
        if (!row) {
            return fail(row.error());
        }
        if (*row && existing->columnInt(0) > 0) {
            return {};
        }
    }
    auto insert = db.prepare("INSERT INTO sync_rotations (environment_id, secret_id, name, version, member, "
                             "member_name, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!insert) {
        return fail(insert.error());
    }
    auto done = insert->bind(1, secret.environmentId)
                    .bind(2, secret.secretId)
                    .bind(3, secret.name)
                    .bind(4, secret.version)
                    .bindBlob(5, member.span())
                    .bind(6, memberName)
                    .bind(7, detail::nowSeconds())
                    .run();
    if (!done) {
        return fail(done.error());
    }
    return {};
}

} // namespace

Result<ExposureReport> detail::exposureReport(model::Store& store, model::Database& db, ServerClient& client,
                                              const protocol::TeamId& team, const protocol::MemberId& member,
                                              const QString& memberName,
                                              const std::vector<SharedEnvironment>& environments) {
    ExposureReport report;
    report.member = member;
    report.memberName = memberName;
    std::map<std::pair<QString, QString>, std::set<QString>> names; // (project, environment) → secret names
    for (const auto& environment : environments) {
        auto secrets = store.secrets(environment.environmentId);
        if (!secrets) {
            return fail(secrets.error());
        }
        auto& scope = names[{environment.project, environment.environment}];
        for (const auto& secret : *secrets) {
            ExposedSecret exposed;
            exposed.environmentId = environment.environmentId;
            exposed.secretId = secret.id;
            exposed.project = environment.project;
            exposed.environment = environment.environment;
            exposed.name = secret.name;
            exposed.version = secret.version;
            if (auto recorded = recordRotation(db, exposed, member, memberName); !recorded) {
                return std::unexpected(recorded.error());
            }
            scope.insert(secret.name);
            report.secrets.push_back(std::move(exposed));
        }
    }
    std::stable_sort(report.secrets.begin(), report.secrets.end(), [](const auto& a, const auto& b) {
        return std::tie(a.project, a.environment, a.name) < std::tie(b.project, b.environment, b.name);
    });

    // The server's word on what the member fetched (an admin route; an old server or a network failure leaves it
    // empty with the reason).
    auto log = wholeAccessLog(client, team);
    if (log) {
        for (const auto& environment : environments) {
            std::size_t reads = 0;
            std::size_t writes = 0;
            std::int64_t lastRead = 0;
            for (const auto& entry : *log) {
                if (entry.member != member || entry.environment != environment.id) {
                    continue;
                }
                if (entry.action == "read") {
                    ++reads;
                    lastRead = std::max(lastRead, entry.time);
                } else {
                    ++writes;
                }
            }
            const QString scope = environment.project + QLatin1Char('/') + environment.environment;
            QString line =
                reads == 0 ? QStringLiteral("%1: no pulls").arg(scope)
                           : QStringLiteral("%1: %2 pulls, last at %3").arg(scope).arg(reads).arg(isoTime(lastRead));
            if (writes > 0) {
                line += QStringLiteral(", %1 pushes").arg(writes);
            }
            report.serverAccess.append(line);
        }
    } else {
        report.accessLogError = log.error().message;
    }

    // This device's audit log about those secrets: reads (reveal, copy, export, ...) by anyone here.
    auto events = store.auditEvents(kAuditScan);
    if (!events) {
        return fail(events.error());
    }
    for (auto it = events->rbegin(); it != events->rend(); ++it) {
        const auto scope = names.find({it->project, it->environment});
        if (scope == names.end() || isChangeAction(it->action)) {
            continue;
        }
        if (!it->secret.isEmpty() && !scope->second.contains(it->secret)) {
            continue;
        }
        QString line =
            QStringLiteral("%1 %2 %3 %4/%5")
                .arg(it->at.toUTC().toString(Qt::ISODate), it->actor, it->action, it->project, it->environment);
        if (!it->secret.isEmpty()) {
            line += QLatin1Char('/') + it->secret;
        }
        report.localAudit.append(line);
    }
    return report;
}

Result<std::vector<RotationItem>> TeamService::rotationList(bool includeDone) {
    model::Database& db = m_vault.database();
    std::vector<RotationItem> all;
    {
        auto query = db.prepare("SELECT r.id, r.environment_id, r.secret_id, r.name, r.version, r.member_name, "
                                "r.created_at, r.rotated_at, p.name, e.name FROM sync_rotations r "
                                "JOIN environments e ON e.id = r.environment_id JOIN projects p ON p.id = e.project_id "
                                "ORDER BY p.position, e.position, r.name, r.id");
        if (!query) {
            return fail(query.error());
        }
        while (true) {
            auto row = query->step();
            if (!row) {
                return fail(row.error());
            }
            if (!*row) {
                break;
            }
            RotationItem item;
            item.id = query->columnInt(0);
            item.environmentId = query->columnInt(1);
            item.secretId = query->columnInt(2);
            item.name = query->columnText(3);
            item.version = static_cast<int>(query->columnInt(4));
            item.memberName = query->columnText(5);
            item.since = QDateTime::fromSecsSinceEpoch(query->columnInt(6), Qt::UTC);
            item.rotated = !query->columnIsNull(7);
            item.project = query->columnText(8);
            item.environment = query->columnText(9);
            all.push_back(std::move(item));
        }
    }

    std::vector<RotationItem> out;
    for (auto& item : all) {
        if (!item.rotated) {
            auto secret = m_store.secretById(item.secretId);
            if (!secret && secret.error().code != model::ErrorCode::NotFound) {
                return fail(secret.error());
            }
            if (!secret || secret->deleted || secret->version > item.version) {
                auto update = db.prepare("UPDATE sync_rotations SET rotated_at = ?1 WHERE id = ?2");
                if (!update) {
                    return fail(update.error());
                }
                if (auto done = update->bind(1, detail::nowSeconds()).bind(2, item.id).run(); !done) {
                    return fail(done.error());
                }
                item.rotated = true;
            }
        }
        if (includeDone || !item.rotated) {
            out.push_back(std::move(item));
        }
    }
    return out;
}

} // namespace coffer::sync
