// SPDX-License-Identifier: Apache-2.0
// Reading secrets: listings, lookups, values and history (the changes are in StoreSecrets.cpp).
#include "model/Store.h"

#include "model/Database.h"
#include "model/SecretRows.h"
#include "model/Vault.h"

namespace coffer::model {

using namespace detail;

Result<std::vector<SecretSummary>> Store::secrets(std::int64_t environmentId, bool includeDeleted) {
    Database& db = m_vault.database();
    std::vector<SecretSummary> list;
    {
        // Two texts rather than a bound flag: the literal "deleted = 0" lets SQLite use the partial index.
        auto q = includeDeleted ? bound(db,
                                        "SELECT " COFFER_SUMMARY_COLUMNS " FROM secrets "
                                        "WHERE environment_id = ?1 ORDER BY name, deleted, id",
                                        environmentId)
                                : bound(db,
                                        "SELECT " COFFER_SUMMARY_COLUMNS " FROM secrets "
                                        "WHERE environment_id = ?1 AND deleted = 0 ORDER BY name",
                                        environmentId);
        if (!q) {
            return std::unexpected(q.error());
        }
        for (auto row = q->step(); !row || *row; row = q->step()) {
            if (!row) {
                return std::unexpected(row.error());
            }
            list.push_back(readSummary(*q));
        }
    }
    if (list.empty()) {
        // Only an empty answer needs to tell "no such environment" from "no secrets yet".
        if (auto scope = scopeOf(db, environmentId); !scope) {
            return std::unexpected(scope.error());
        }
    }
    return list;
}

Result<SecretSummary> Store::secret(std::int64_t environmentId, const QString& name, bool includeDeleted) {
    Database& db = m_vault.database();
    auto q = includeDeleted ? bound(db,
                                    "SELECT " COFFER_SUMMARY_COLUMNS " FROM secrets "
                                    "WHERE environment_id = ?1 AND name = ?2 "
                                    "ORDER BY deleted, updated_at DESC, id DESC LIMIT 1",
                                    environmentId, name)
                            : bound(db,
                                    "SELECT " COFFER_SUMMARY_COLUMNS " FROM secrets "
                                    "WHERE environment_id = ?1 AND name = ?2 AND deleted = 0",
                                    environmentId, name);
    return fetchOne(std::move(q), readSummary,
                    [&] { return fail(ErrorCode::NotFound, QStringLiteral("no secret named %1").arg(name)); });
}

Result<SecretSummary> Store::secretById(std::int64_t secretId) {
    return loadSummary(m_vault.database(), secretId);
}

Result<crypto::SecureBuffer> Store::value(std::int64_t secretId, std::optional<int> version) {
    Database& db = m_vault.database();
    if (version) {
        return fetchOne(
            bound(db, "SELECT value FROM secret_versions WHERE secret_id = ?1 AND version = ?2", secretId, *version),
            [](const Statement& q) { return q.columnSecret(0); },
            [&] {
                return fail(ErrorCode::NotFound,
                            QStringLiteral("no version %1 of secret %2").arg(*version).arg(secretId));
            });
    }
    // A deleted secret's value is not even read.
    auto current = fetchOne(
        bound(db, "SELECT deleted, name, CASE WHEN deleted = 0 THEN value END FROM secrets WHERE id = ?1", secretId),
        [](const Statement& q) -> Result<crypto::SecureBuffer> {
            if (q.columnInt(0) != 0) {
                return fail(ErrorCode::NotFound, QStringLiteral("secret %1 is deleted").arg(q.columnText(1)));
            }
            return q.columnSecret(2);
        },
        [&] { return secretNotFound(secretId); });
    return current ? std::move(*current) : std::unexpected(current.error());
}

Result<std::vector<SecretVersion>> Store::history(std::int64_t secretId) {
    auto q = bound(m_vault.database(),
                   "SELECT version, kind, name, note, tags, deleted, at, author, restored_from "
                   "FROM secret_versions WHERE secret_id = ?1 ORDER BY version",
                   secretId);
    if (!q) {
        return std::unexpected(q.error());
    }
    std::vector<SecretVersion> versions;
    for (auto row = q->step(); !row || *row; row = q->step()) {
        if (!row) {
            return std::unexpected(row.error());
        }
        versions.push_back(SecretVersion{secretId, static_cast<int>(q->columnInt(0)), kindFromWord(q->columnText(1)),
                                         q->columnText(2), q->columnText(3), decodeTags(q->columnText(4)),
                                         q->columnInt(5) != 0, fromMs(q->columnInt(6)), q->columnText(7),
                                         static_cast<int>(q->columnInt(8))});
    }
    if (versions.empty()) {
        return secretNotFound(secretId);
    }
    return versions;
}

} // namespace coffer::model
