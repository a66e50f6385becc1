// SPDX-License-Identifier: Apache-2.0
// Push: the outbox in batches, sealed and signed on the pinned head, by compare-and-append. On 409 the
// environment is pulled (which applies the winner's records and replays the pending rows on top) and the
// batch is sealed again on the new head, at most kMaxPushAttempts times with a growing pause. The
// acknowledgement (outbox rows out, log rows in, head pinned) is one transaction.
#include "crypto/Random.h"
#include "model/Database.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "sync/EngineDetail.h"
#include "sync/SyncDetail.h"
#include "sync/protocol/Canonical.h"

#include <chrono>
#include <thread>

namespace coffer::sync::detail {
namespace {

void backoff(int attempt) {
    std::array<std::byte, 1> jitter{};
    crypto::randomFill(jitter);
    const auto pause =
        std::chrono::milliseconds(25 << attempt) + std::chrono::milliseconds(std::to_integer<int>(jitter[0]) % 25);
    std::this_thread::sleep_for(pause);
}

Result<void> acknowledge(model::Database& db, SharedEnv& env, const std::vector<OutboxRow>& rows,
                         const std::vector<protocol::ChangeRecord>& records) {
    const protocol::Head head{records.back().seq, protocol::recordHash(records.back())};
    auto done = transaction(db, [&]() -> Result<void> {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const OutboxRow& row = rows[i];
            const protocol::ChangeRecord& record = records[i];
            auto q = db.prepare("INSERT INTO sync_log (environment_id, seq, record_id, author, epoch, record, name, "
                                "op, base_record, secret_id, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                                "?10, ?11)");
            if (!q)
                return fail(q.error());
            q->bind(1, env.environmentId)
                .bind(2, static_cast<std::int64_t>(record.seq))
                .bindBlob(3, record.id)
                .bindBlob(4, record.author.bytes)
                .bind(5, static_cast<std::int64_t>(record.epoch))
                .bindBlob(6, protocol::encode(record))
                .bind(7, row.name)
                .bind(8, static_cast<int>(row.op))
                .bindBlob(9, row.baseRecord);
            if (row.secretId != 0)
                q->bind(10, row.secretId).bind(11, row.version);
            else
                q->bindNull(10).bindNull(11);
            if (auto ok = q->run(); !ok)
                return fail(ok.error());
            if (auto ok = execute(db, "DELETE FROM sync_outbox WHERE id = ?1", row.id); !ok)
                return ok;
        }
        return execute(db, "UPDATE sync_environments SET head_seq = ?2, head_hash = ?3 WHERE environment_id = ?1",
                       env.environmentId, head.seq, head.hash.bytes);
    });
    if (!done)
        return done;
    env.head = head;
    return {};
}

Result<std::size_t> pendingCount(model::Database& db, std::int64_t environmentId) {
    auto q = db.prepare("SELECT count(*) FROM sync_outbox WHERE environment_id = ?1");
    if (!q)
        return fail(q.error());
    auto row = q->bind(1, environmentId).step();
    if (!row)
        return fail(row.error());
    return static_cast<std::size_t>(q->columnInt(0));
}

} // namespace

Result<std::size_t> pushEnvironment(Context& ctx, SharedEnv& env, Applied& rebased) {
    model::Database& db = ctx.vault.database();
    const TeamState& team = ctx.team;
    std::size_t pushed = 0;
    int attempts = 0;
    for (;;) {
        auto outbox = loadOutbox(db, env.environmentId, kMaxBatchRecords);
        if (!outbox)
            return std::unexpected(outbox.error());
        const std::vector<OutboxRow>* rows = &outbox->rows;
        if (rows->empty())
            return pushed;

        const std::uint64_t epoch = team.currentEpoch(env.id);
        const auto access = team.access(env.id, epoch, team.me().id);
        if (access != protocol::Access::Write) {
            auto count = pendingCount(db, env.environmentId);
            const QString why = access ? QStringLiteral("You have read-only access to %1").arg(env.scope())
                                       : QStringLiteral("You no longer have access to %1").arg(env.scope());
            return fail(ErrorCode::NotAllowed, QStringLiteral("%1: %2 local change(s) stay on this device and were "
                                                              "not sent.")
                                                   .arg(why)
                                                   .arg(count.value_or(rows->size())));
        }
        const crypto::AeadKey* key = team.key(env.id, epoch);
        if (key == nullptr)
            return fail(ErrorCode::NotAllowed,
                        QStringLiteral("No key for the current epoch of %1: local changes wait.").arg(env.scope()));

        std::vector<protocol::ChangeRecord> records(rows->size());
        std::vector<protocol::ChangeView> changes(rows->size());
        for (std::size_t i = 0; i < rows->size(); ++i) {
            const OutboxRow& row = (*rows)[i];
            records[i].team = env.team;
            records[i].environment = env.id;
            records[i].epoch = epoch;
            records[i].id = row.recordId;
            records[i].author = team.me().id;
            changes[i].op = row.op;
            changes[i].name = row.name.toStdString();
            if (row.op == protocol::ChangeOp::Set)
                changes[i].value = row.value;
            changes[i].note = row.note.toStdString();
            changes[i].baseRecord = row.baseRecord;
        }
        protocol::sealAndSignBatch(records, changes, env.head, *key, team.me().sign.secretKey);
        if (ctx.progress)
            ctx.progress(SyncProgress{QStringLiteral("push"), env.scope(), pushed, pushed + rows->size()});

        auto head = ctx.client.push(env.team, env.id, env.head, records);
        if (head) {
            if (auto ok = acknowledge(db, env, *rows, records); !ok)
                return std::unexpected(ok.error());
            pushed += rows->size();
            attempts = 0;
            continue;
        }
        if (head.error().code != ErrorCode::Conflict)
            return std::unexpected(head.error());
        if (++attempts >= kMaxPushAttempts)
            return fail(ErrorCode::Conflict,
                        QStringLiteral("Others kept changing %1 while sending; the changes wait for the next sync.")
                            .arg(env.scope()));
        backoff(attempts);
        auto pulled = pullEnvironment(ctx, env);
        if (!pulled)
            return std::unexpected(pulled.error());
        rebased.applied += pulled->applied;
        rebased.acknowledged += pulled->acknowledged;
        rebased.conflicts += pulled->conflicts;
    }
}

} // namespace coffer::sync::detail
