// SPDX-License-Identifier: Apache-2.0
// Team sync's side of the Store: applyRemote(), isShared(), and the outbox rows that every local change of a
// shared environment appends (StoreSecrets.cpp calls the hooks inside the change's own transaction).
//
// Decisions (the rules themselves are in Store.h):
// - The op numbers are protocol::ChangeOp's (Set 1, Delete 2): sync/ reads the rows back as such. model/ does not
//   link the protocol, so they are repeated here.
// - A Delete row has an empty value and note: the change only names the secret.
// - The base record is looked up per row, after the rows before it in the same change were written: a rename's
//   Set row (new name) does not chain to its own Delete row (old name), and two pending edits of a name chain.
// - applyRemote() goes through the same writes as setSecret()/deleteSecret() (SecretWrites.h), so a remote
//   version is indistinguishable from a local one but for its author; it opens no savepoint inside a transaction
//   (the engine applies 100k changes in one) and every statement is a cached one.
#include "model/Database.h"
#include "model/SecretWrites.h"
#include "model/Store.h"
#include "model/Vault.h"

#include "crypto/Random.h"

#include <QDateTime>

#include <algorithm>
#include <array>
#include <cstddef>

namespace coffer::model {
namespace {

enum class Op : int { Set = 1, Delete = 2 }; // protocol::ChangeOp

constexpr std::size_t kRecordIdBytes = 16;
using RecordId = std::array<std::byte, kRecordIdBytes>;

std::int64_t nowMs() {
    return static_cast<std::int64_t>(QDateTime::currentMSecsSinceEpoch());
}

// The record id of the newest change of `name` this vault knows: the newest pending outbox row, else the newest
// log row, else all-zero (a new secret). One statement, both lookups indexed (sync_outbox_name, sync_log_name).
Result<RecordId> baseRecord(Database& db, std::int64_t environmentId, const QString& name) {
    auto q = db.prepare("SELECT coalesce("
                        "(SELECT record_id FROM sync_outbox WHERE environment_id = ?1 AND name = ?2 "
                        "ORDER BY id DESC LIMIT 1), "
                        "(SELECT record_id FROM sync_log WHERE environment_id = ?1 AND name = ?2 "
                        "ORDER BY seq DESC LIMIT 1))");
    if (!q) {
        return std::unexpected(q.error());
    }
    q->bind(1, environmentId).bind(2, name);
    auto row = q->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    RecordId base{};
    if (!*row || q->columnIsNull(0)) {
        return base;
    }
    const auto stored = q->columnView(0);
    if (stored.size() != base.size()) {
        return fail(ErrorCode::Damaged,
                    QStringLiteral("a stored sync record id of %1 is %2 bytes").arg(name).arg(stored.size()));
    }
    std::copy(stored.begin(), stored.end(), base.begin());
    return base;
}

// One row with its content bound (`value` may be empty: a Delete).
Result<void> insertRow(Database& db, const SecretSummary& now, Op op, const QString& name,
                       std::span<const std::byte> value, const QString& note) {
    const auto base = baseRecord(db, now.environmentId, name);
    if (!base) {
        return std::unexpected(base.error());
    }
    const RecordId id = crypto::randomArray<kRecordIdBytes>();
    auto q = db.prepare("INSERT INTO sync_outbox (environment_id, record_id, op, name, value, note, base_record, "
                        "secret_id, version, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!q) {
        return std::unexpected(q.error());
    }
    return q->bind(1, now.environmentId)
        .bindBlob(2, id)
        .bind(3, static_cast<int>(op))
        .bind(4, name)
        .bindBlob(5, value)
        .bind(6, note)
        .bindBlob(7, *base)
        .bind(8, now.id)
        .bind(9, now.version)
        .bind(10, nowMs())
        .run();
}

} // namespace

namespace detail {

Result<void> queueSet(Database& db, const SecretSummary& now, std::span<const std::byte> value) {
    return insertRow(db, now, Op::Set, now.name, value, now.note);
}

Result<void> queueSetFromRow(Database& db, const SecretSummary& now) {
    const auto base = baseRecord(db, now.environmentId, now.name);
    if (!base) {
        return std::unexpected(base.error());
    }
    const RecordId id = crypto::randomArray<kRecordIdBytes>();
    auto q = db.prepare("INSERT INTO sync_outbox (environment_id, record_id, op, name, value, note, base_record, "
                        "secret_id, version, created_at) "
                        "SELECT environment_id, ?2, ?3, name, value, note, ?4, id, version, ?5 "
                        "FROM secrets WHERE id = ?1");
    if (!q) {
        return std::unexpected(q.error());
    }
    if (auto ok = q->bind(1, now.id)
                      .bindBlob(2, id)
                      .bind(3, static_cast<int>(Op::Set))
                      .bindBlob(4, *base)
                      .bind(5, nowMs())
                      .run();
        !ok) {
        return ok;
    }
    // The row was read inside this transaction, so it exists; a miss would be a bug, not a user error.
    if (db.changes() != 1) {
        return fail(ErrorCode::Io, QStringLiteral("secret %1 vanished while queueing it for sync").arg(now.id));
    }
    return {};
}

Result<void> queueDelete(Database& db, const SecretSummary& now, const QString& name) {
    return insertRow(db, now, Op::Delete, name, {}, QString());
}

Result<void> queueRename(Database& db, const SecretSummary& now, const QString& oldName) {
    auto gone = queueDelete(db, now, oldName);
    return gone ? queueSetFromRow(db, now) : gone;
}

} // namespace detail

Result<SecretSummary> Store::applyRemote(const RemoteChange& change) {
    Database& db = m_vault.database();
    const detail::Writer writer{change.author, false};
    if (!change.isDelete) {
        // Note replaced, tags kept (unset), value checked for name and size like any local change.
        return detail::writeSecret(db, writer, change.environmentId, change.name, change.value,
                                   SecretEdit{change.note, std::nullopt});
    }
    auto live = secret(change.environmentId, change.name);
    if (live) {
        return detail::writeDelete(db, writer, live->id);
    }
    if (live.error().code != ErrorCode::NotFound) {
        return live;
    }
    // Nothing live of that name: nothing to write. The deleted secret of that name, or NotFound.
    return secret(change.environmentId, change.name, true);
}

Result<bool> Store::isShared(std::int64_t environmentId) {
    auto q = m_vault.database().prepare("SELECT s.environment_id IS NOT NULL FROM environments e "
                                        "LEFT JOIN sync_environments s ON s.environment_id = e.id WHERE e.id = ?1");
    if (!q) {
        return std::unexpected(q.error());
    }
    q->bind(1, environmentId);
    auto row = q->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    if (!*row) {
        return fail(ErrorCode::NotFound, QStringLiteral("no environment with id %1").arg(environmentId));
    }
    return q->columnInt(0) != 0;
}

} // namespace coffer::model
