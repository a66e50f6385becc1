// SPDX-License-Identifier: Apache-2.0
// Conflicts as the user sees them, and their resolution: every resolution that changes content is an
// ordinary local change (a new version, an outbox row), so it syncs like any edit.
#include "model/Database.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "sync/EngineDetail.h"
#include "sync/SyncDetail.h"
#include "sync/SyncEngine.h"

namespace coffer::sync {

using detail::execute;

namespace {

constexpr std::string_view kConflictColumns =
    "SELECT c.id, c.environment_id, c.secret_id, p.name, e.name, c.name, c.kind, c.current_version, "
    "c.other_version, c.current_author, c.other_author, c.detected_at, c.resolved_at FROM sync_conflicts c "
    "JOIN environments e ON e.id = c.environment_id JOIN projects p ON p.id = e.project_id ";

ConflictInfo readConflict(const model::Statement& q) {
    ConflictInfo info;
    info.id = q.columnInt(0);
    info.environmentId = q.columnInt(1);
    info.secretId = q.columnInt(2);
    info.project = q.columnText(3);
    info.environment = q.columnText(4);
    info.name = q.columnText(5);
    info.kind = q.columnText(6) == QLatin1StringView("delete") ? ConflictInfo::Kind::Delete : ConflictInfo::Kind::Edit;
    info.currentVersion = static_cast<int>(q.columnInt(7));
    info.otherVersion = static_cast<int>(q.columnInt(8));
    info.currentAuthor = q.columnText(9);
    info.otherAuthor = q.columnText(10);
    info.detectedAt = QDateTime::fromMSecsSinceEpoch(q.columnInt(11), Qt::UTC);
    info.resolved = !q.columnIsNull(12);
    return info;
}

} // namespace

Result<std::vector<ConflictInfo>> SyncEngine::conflicts(bool includeResolved) {
    model::Database& db = m_vault.database();
    auto q = db.prepare(std::string(kConflictColumns) + (includeResolved ? "" : "WHERE c.resolved_at IS NULL ") +
                        "ORDER BY c.id");
    if (!q)
        return fail(q.error());
    std::vector<ConflictInfo> out;
    auto read = detail::forEachRow(*q, [&](model::Statement& row) -> Result<void> {
        out.push_back(readConflict(row));
        return {};
    });
    if (!read)
        return std::unexpected(read.error());
    return out;
}

Result<void> SyncEngine::resolveConflict(std::int64_t conflictId, Resolution resolution,
                                         std::span<const std::byte> value) {
    model::Database& db = m_vault.database();
    auto q = db.prepare(std::string(kConflictColumns) + "WHERE c.id = ?1");
    if (!q)
        return fail(q.error());
    auto row = q->bind(1, conflictId).step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return fail(ErrorCode::NotFound, QStringLiteral("No conflict with id %1.").arg(conflictId));
    const ConflictInfo info = readConflict(*q);
    q = model::Statement();

    return detail::transaction(db, [&]() -> Result<void> {
        auto secret = m_store.secretById(info.secretId);
        if (!secret)
            return fail(secret.error());
        if (resolution == Resolution::KeepOther) {
            if (info.otherVersion == 0) {
                // The other side was a delete.
                if (!secret->deleted) {
                    if (auto ok = m_store.deleteSecret(info.secretId); !ok)
                        return fail(ok.error());
                }
            } else {
                auto other = m_store.value(info.secretId, info.otherVersion);
                if (!other)
                    return fail(other.error());
                if (auto ok = m_store.setSecret(info.environmentId, secret->name, other->bytes()); !ok)
                    return fail(ok.error());
            }
        } else if (resolution == Resolution::Edit) {
            if (auto ok = m_store.setSecret(info.environmentId, secret->name, value); !ok)
                return fail(ok.error());
        }
        return execute(db, "UPDATE sync_conflicts SET resolved_at = ?2 WHERE id = ?1", conflictId, detail::nowMs());
    });
}

} // namespace coffer::sync
