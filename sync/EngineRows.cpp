// SPDX-License-Identifier: Apache-2.0
// The engine's rows: shared environments, the outbox, integrity stops and scope values.
#include "model/Database.h"
#include "sync/EngineDetail.h"
#include "sync/SyncDetail.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace coffer::sync::detail {
namespace {

constexpr std::string_view kSharedColumns =
    "SELECT s.environment_id, s.team, s.environment, s.head_seq, s.head_hash, s.status, p.name, e.name "
    "FROM sync_environments s JOIN environments e ON e.id = s.environment_id JOIN projects p ON p.id = e.project_id ";

Result<SharedEnv> readShared(const model::Statement& q) {
    SharedEnv env;
    env.environmentId = q.columnInt(0);
    auto team = fixedBlob<32>(q.columnView(1));
    auto id = fixedBlob<16>(q.columnView(2));
    auto hash = fixedBlob<32>(q.columnView(4));
    if (!team || !id || !hash)
        return fail(ErrorCode::Vault, QStringLiteral("A shared environment's row is damaged."));
    env.team = protocol::TeamId{*team};
    env.id = *id;
    env.head = protocol::Head{static_cast<std::uint64_t>(q.columnInt(3)), protocol::Hash{*hash}};
    env.status = q.columnText(5);
    env.project = q.columnText(6);
    env.environment = q.columnText(7);
    return env;
}

} // namespace

Result<std::optional<SharedEnv>> loadShared(model::Database& db, std::int64_t environmentId) {
    auto q = db.prepare(std::string(kSharedColumns) + "WHERE s.environment_id = ?1");
    if (!q)
        return fail(q.error());
    auto row = q->bind(1, environmentId).step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return std::optional<SharedEnv>();
    auto env = readShared(*q);
    if (!env)
        return std::unexpected(env.error());
    return std::optional<SharedEnv>(std::move(*env));
}

Result<std::vector<SharedEnv>> loadSharedOfTeam(model::Database& db, const protocol::TeamId& team) {
    auto q = db.prepare(std::string(kSharedColumns) + "WHERE s.team = ?1 ORDER BY p.position, e.position");
    if (!q)
        return fail(q.error());
    q->bindBlob(1, team.bytes);
    std::vector<SharedEnv> out;
    auto read = detail::forEachRow(*q, [&](model::Statement& row) -> Result<void> {
        auto env = readShared(row);
        if (!env)
            return std::unexpected(env.error());
        out.push_back(std::move(*env));
        return {};
    });
    if (!read)
        return std::unexpected(read.error());
    return out;
}

Result<bool> isKnownEnvironment(model::Database& db, const protocol::EnvironmentId& id) {
    auto q = db.prepare("SELECT count(*) FROM sync_environments WHERE environment = ?1");
    if (!q)
        return fail(q.error());
    auto row = q->bindBlob(1, id).step();
    if (!row)
        return fail(row.error());
    return q->columnInt(0) > 0;
}

Result<Outbox> loadOutbox(model::Database& db, std::int64_t environmentId, std::size_t limit) {
    const std::int64_t rowLimit = limit == 0 ? std::int64_t{-1} : static_cast<std::int64_t>(limit);
    std::size_t total = 0;
    {
        auto size = db.prepare("SELECT coalesce(sum(length(value)), 0) FROM (SELECT value FROM sync_outbox "
                               "WHERE environment_id = ?1 ORDER BY id LIMIT ?2)");
        if (!size)
            return fail(size.error());
        auto row = size->bind(1, environmentId).bind(2, rowLimit).step();
        if (!row)
            return fail(row.error());
        total = static_cast<std::size_t>(size->columnInt(0));
    }
    auto q = db.prepare("SELECT id, record_id, op, name, value, note, base_record, secret_id, version FROM sync_outbox "
                        "WHERE environment_id = ?1 ORDER BY id LIMIT ?2");
    if (!q)
        return fail(q.error());
    q->bind(1, environmentId).bind(2, rowLimit);
    Outbox outbox{crypto::SecureBuffer(total), {}};
    std::size_t offset = 0;
    std::size_t bytes = 0;
    for (;;) {
        auto row = q->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            return outbox;
        OutboxRow out;
        out.id = q->columnInt(0);
        auto recordId = fixedBlob<16>(q->columnView(1));
        auto base = fixedBlob<16>(q->columnView(6));
        const auto value = q->columnView(4);
        if (!recordId || !base || offset + value.size() > outbox.values.size())
            return fail(ErrorCode::Vault, QStringLiteral("An outbox row is damaged."));
        out.recordId = *recordId;
        out.op = q->columnInt(2) == static_cast<int>(protocol::ChangeOp::Delete) ? protocol::ChangeOp::Delete
                                                                                 : protocol::ChangeOp::Set;
        out.name = q->columnText(3);
        // Copied straight from SQLite's page into the guarded buffer: no ordinary copy of the value.
        std::ranges::copy(value, outbox.values.data() + offset);
        out.value = outbox.values.bytes().subspan(offset, value.size());
        offset += value.size();
        out.note = q->columnText(5);
        out.baseRecord = *base;
        out.secretId = q->columnInt(7);
        out.version = q->columnInt(8);
        // A batch for pushing stays under the server's body limit (a limit of 0 reads everything).
        bytes += out.value.size() + static_cast<std::size_t>(out.name.size() + out.note.size()) * 3 + 256;
        if (limit != 0 && !outbox.rows.empty() && bytes > kMaxBatchBytes)
            return outbox;
        outbox.rows.push_back(std::move(out));
    }
}

Error stopEnvironment(model::Database& db, SharedEnv& env, const protocol::Error& check,
                      std::span<const std::byte> bytes) {
    Error error = failIntegrity(QStringLiteral("Sync of %1 stopped").arg(env.scope()), check).error();
    recordEvidence(db, env.team, env.id, check, error.message, bytes);
    (void)execute(db, "UPDATE sync_environments SET status = ?2 WHERE environment_id = ?1", env.environmentId,
                  error.message);
    env.status = error.message;
    return error;
}

Error storedIntegrityError(model::Database& db, const SharedEnv& env) {
    Error error{ErrorCode::Integrity, env.status, std::nullopt, 0};
    auto q = db.prepare("SELECT check_name, position, message FROM sync_evidence WHERE environment = ?1 "
                        "ORDER BY id DESC LIMIT 1");
    if (q && q->bindBlob(1, env.id).step().value_or(false))
        error.check = checkFromName(q->columnText(0), static_cast<std::uint64_t>(q->columnInt(1)), q->columnText(2));
    return error;
}

crypto::SecureBuffer scopeValue(const QString& project, const QString& environment, bool isProtected) {
    QJsonObject object;
    object.insert(QStringLiteral("project"), project);
    object.insert(QStringLiteral("environment"), environment);
    object.insert(QStringLiteral("protected"), isProtected);
    const QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return crypto::SecureBuffer::copyOf(std::string_view(json.constData(), static_cast<std::size_t>(json.size())));
}

} // namespace coffer::sync::detail
