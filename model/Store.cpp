// SPDX-License-Identifier: Apache-2.0
// The Store's shared parts: the audit log, counts and transactions. Projects and environments live in
// StoreScopes.cpp, secrets and their history in StoreSecrets.cpp.
#include "model/Store.h"

#include "model/Database.h"
#include "model/Vault.h"

#include <utility>

namespace coffer::model {

Store::Store(Vault& vault, QString author)
    : m_vault(vault)
    , m_author(std::move(author)) {}

Result<Store::Counts> Store::counts() {
    auto q = m_vault.database().prepare("SELECT (SELECT count(*) FROM projects), (SELECT count(*) FROM environments), "
                                        "(SELECT count(*) FROM secrets WHERE deleted = 0), "
                                        "(SELECT count(*) FROM secret_versions), (SELECT count(*) FROM audit_events)");
    if (!q) {
        return std::unexpected(q.error());
    }
    auto row = q->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    Q_ASSERT(*row); // an aggregate always yields one row
    return Counts{q->columnInt(0), q->columnInt(1), q->columnInt(2), q->columnInt(3), q->columnInt(4)};
}

Result<void> Store::audit(const QString& action, const QString& project, const QString& environment,
                          const QString& secret, const QString& detail) {
    // One statement, so no transaction of its own: inside a change it commits or rolls back with the change.
    auto q = m_vault.database().prepare("INSERT INTO audit_events (at, actor, action, project, environment, secret, "
                                        "detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!q) {
        return std::unexpected(q.error());
    }
    return q->bind(1, static_cast<std::int64_t>(QDateTime::currentMSecsSinceEpoch()))
        .bind(2, m_author)
        .bind(3, action)
        .bind(4, project)
        .bind(5, environment)
        .bind(6, secret)
        .bind(7, detail)
        .run();
}

Result<std::vector<AuditEvent>> Store::auditEvents(int limit) {
    auto q = m_vault.database().prepare("SELECT id, at, actor, action, project, environment, secret, detail "
                                        "FROM audit_events ORDER BY id DESC LIMIT ?1");
    if (!q) {
        return std::unexpected(q.error());
    }
    q->bind(1, limit);
    std::vector<AuditEvent> events;
    for (;;) {
        auto row = q->step();
        if (!row) {
            return std::unexpected(row.error());
        }
        if (!*row) {
            break;
        }
        events.push_back(AuditEvent{q->columnInt(0), QDateTime::fromMSecsSinceEpoch(q->columnInt(1), Qt::UTC),
                                    q->columnText(2), q->columnText(3), q->columnText(4), q->columnText(5),
                                    q->columnText(6), q->columnText(7)});
    }
    return events;
}

Result<void> Store::transaction(const std::function<Result<void>()>& body) {
    return m_vault.database().transaction(body);
}

} // namespace coffer::model
