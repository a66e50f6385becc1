// SPDX-License-Identifier: Apache-2.0
// Applying a verified page of an environment's log: the conflict rule, the log rows, and the rebase of
// pending local changes. Runs inside the page's one transaction (no savepoint of its own).
//
// The rule, decided from the log alone so that every client reaches the same state: a change whose base
// record is not the newest record of that name before it is concurrent. A Set is applied (the later one is
// current, both stay in history); a concurrent Set against a Set is an 'edit' conflict, against a Delete a
// 'delete' conflict (the edit won). A Delete concurrent with a Set changes nothing ('delete' conflict).
// Pending local rows of a name that a pulled record touched are replayed on top with the same rule, as if
// they followed it in the log, which they will once pushed.
#include "crypto/Hash.h"
#include "model/Database.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "sync/EngineDetail.h"
#include "sync/SyncDetail.h"
#include "sync/protocol/Canonical.h"

#include <map>

namespace coffer::sync::detail {
namespace {

/// The newest record of a name in the log (or, while replaying, a pending row in its place).
struct Newest {
    protocol::RecordId id{};
    protocol::ChangeOp op = protocol::ChangeOp::Set;
    std::optional<std::int64_t> secretId;
    std::optional<std::int64_t> version;
    QString author;
};

struct Outcome {
    std::optional<std::int64_t> secretId;
    std::optional<std::int64_t> version;
};

class Applier {
public:
    Applier(Context& ctx, const SharedEnv& env)
        : m_ctx(ctx)
        , m_env(env)
        , m_db(ctx.vault.database())
        , m_myName(ctx.team.memberName(ctx.team.me().id)) {}

    Result<void> loadOutbox() {
        auto outbox = detail::loadOutbox(m_db, m_env.environmentId, 0);
        if (!outbox)
            return std::unexpected(outbox.error());
        m_outbox = std::move(*outbox);
        for (std::size_t i = 0; i < m_outbox.rows.size(); ++i) {
            m_byRecord.emplace(m_outbox.rows[i].recordId, i);
            m_byName[m_outbox.rows[i].name].push_back(i);
        }
        return {};
    }

    Result<void> apply(const protocol::ChangeRecord& record, const protocol::ChangeView& change) {
        const QString name = QString::fromStdString(change.name);
        const bool mine = record.author == m_ctx.team.me().id;
        if (const auto it = m_byRecord.find(record.id); mine && it != m_byRecord.end())
            return acknowledge(record, change, name, it->second);

        auto newest = newestOf(name);
        if (!newest)
            return std::unexpected(newest.error());
        const QString authorName = nameOf(record.author);
        Outcome outcome;
        if (name != QLatin1StringView(kScopeRecordName)) {
            auto done = applyChange(change.op, name, change.value, QString::fromStdString(change.note),
                                    change.baseRecord, *newest, authorName);
            if (!done)
                return std::unexpected(done.error());
            outcome = *done;
            ++m_result.applied;
        }
        if (auto ok = logRow(record, change, name, outcome); !ok)
            return ok;
        m_newest[name] = Newest{record.id, change.op, outcome.secretId, outcome.version, authorName};
        if (const auto pending = m_byName.find(name); pending != m_byName.end() && !pending->second.empty())
            return replay(name);
        return {};
    }

    [[nodiscard]] const Applied& result() const noexcept { return m_result; }

private:
    // Display names by member, looked up once per page rather than per record.
    const QString& nameOf(const protocol::MemberId& member) {
        auto it = m_names.find(member);
        if (it == m_names.end())
            it = m_names.emplace(member, m_ctx.team.memberName(member)).first;
        return it->second;
    }

    Result<std::optional<Newest>> newestOf(const QString& name) {
        if (const auto it = m_newest.find(name); it != m_newest.end())
            return std::optional<Newest>(it->second);
        auto q = m_db.prepare("SELECT record_id, op, secret_id, version, author FROM sync_log "
                              "WHERE environment_id = ?1 AND name = ?2 ORDER BY seq DESC LIMIT 1");
        if (!q)
            return fail(q.error());
        auto row = q->bind(1, m_env.environmentId).bind(2, name).step();
        if (!row)
            return fail(row.error());
        if (!*row)
            return std::optional<Newest>();
        Newest newest;
        newest.id = fixedBlob<16>(q->columnView(0)).value_or(protocol::RecordId{});
        newest.op = static_cast<protocol::ChangeOp>(q->columnInt(1));
        if (!q->columnIsNull(2))
            newest.secretId = q->columnInt(2);
        if (!q->columnIsNull(3))
            newest.version = q->columnInt(3);
        if (auto author = fixedBlob<32>(q->columnView(4)))
            newest.author = nameOf(protocol::MemberId{*author});
        return std::optional<Newest>(std::move(newest));
    }

    // The rule for one change on top of `newest`; returns the local version it produced, if any.
    Result<Outcome> applyChange(protocol::ChangeOp op, const QString& name, std::span<const std::byte> value,
                                const QString& note, const protocol::RecordId& base,
                                const std::optional<Newest>& newest, const QString& authorName) {
        const bool concurrent = newest && base != newest->id;
        model::Store::RemoteChange remote{m_env.environmentId, op == protocol::ChangeOp::Delete, name, value, note,
                                          authorName};
        if (op == protocol::ChangeOp::Delete) {
            if (concurrent && newest->op == protocol::ChangeOp::Set && newest->secretId) {
                // A delete against an edit: the edit stays.
                auto current = m_ctx.store.secretById(*newest->secretId);
                const std::int64_t version = current ? current->version : newest->version.value_or(0);
                if (auto ok = addConflict(m_db, m_env.environmentId, *newest->secretId, name,
                                          ConflictInfo::Kind::Delete, version, 0, newest->author, authorName);
                    !ok)
                    return std::unexpected(ok.error());
                ++m_result.conflicts;
                return Outcome{};
            }
            auto deleted = m_ctx.store.applyRemote(remote);
            if (!deleted) {
                if (deleted.error().code == model::ErrorCode::NotFound)
                    return Outcome{};
                return fail(deleted.error());
            }
            return Outcome{deleted->id, deleted->version};
        }
        auto set = m_ctx.store.applyRemote(remote);
        if (!set) {
            // A name or size this vault refuses (another client's rules): logged, not applied, never fatal.
            if (set.error().code == model::ErrorCode::InvalidName || set.error().code == model::ErrorCode::TooLarge)
                return Outcome{};
            return fail(set.error());
        }
        if (concurrent) {
            const bool againstDelete = newest->op == protocol::ChangeOp::Delete;
            const std::int64_t other = againstDelete ? 0 : newest->version.value_or(0);
            if (auto ok = addConflict(m_db, m_env.environmentId, set->id, name,
                                      againstDelete ? ConflictInfo::Kind::Delete : ConflictInfo::Kind::Edit,
                                      set->version, other, authorName, newest->author);
                !ok)
                return std::unexpected(ok.error());
            ++m_result.conflicts;
        }
        return Outcome{set->id, set->version};
    }

    // Pending local rows of `name`, replayed on top of the record just applied.
    Result<void> replay(const QString& name) {
        std::optional<Newest> newest = m_newest[name];
        for (const std::size_t index : m_byName[name]) {
            OutboxRow& row = m_outbox.rows[index];
            auto done = applyChange(row.op, name, row.value, row.note, row.baseRecord, newest, m_myName);
            if (!done)
                return std::unexpected(done.error());
            if (done->secretId && done->version) {
                row.secretId = *done->secretId;
                row.version = *done->version;
                if (auto ok = execute(m_db, "UPDATE sync_outbox SET secret_id = ?2, version = ?3 WHERE id = ?1", row.id,
                                      row.secretId, row.version);
                    !ok)
                    return ok;
            }
            newest = Newest{row.recordId, row.op, done->secretId, done->version, m_myName};
        }
        return {};
    }

    // One of this vault's pending rows came back in the log: a push whose reply was lost. Its version is
    // already local; it only moves from the outbox to the log.
    Result<void> acknowledge(const protocol::ChangeRecord& record, const protocol::ChangeView& change,
                             const QString& name, std::size_t index) {
        OutboxRow& row = m_outbox.rows[index];
        Outcome outcome;
        if (row.secretId != 0)
            outcome = Outcome{row.secretId, row.version};
        if (auto ok = logRow(record, change, name, outcome); !ok)
            return ok;
        if (auto ok = execute(m_db, "DELETE FROM sync_outbox WHERE id = ?1", row.id); !ok)
            return ok;
        m_byRecord.erase(row.recordId);
        std::erase(m_byName[name], index);
        m_newest[name] = Newest{record.id, change.op, outcome.secretId, outcome.version, m_myName};
        ++m_result.acknowledged;
        return {};
    }

    Result<void> logRow(const protocol::ChangeRecord& record, const protocol::ChangeView& change, const QString& name,
                        const Outcome& outcome) {
        auto q = m_db.prepare("INSERT INTO sync_log (environment_id, seq, record_id, author, epoch, record, name, op, "
                              "base_record, secret_id, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
        if (!q)
            return fail(q.error());
        q->bind(1, m_env.environmentId)
            .bind(2, static_cast<std::int64_t>(record.seq))
            .bindBlob(3, record.id)
            .bindBlob(4, record.author.bytes)
            .bind(5, static_cast<std::int64_t>(record.epoch))
            .bindBlob(6, protocol::encode(record))
            .bind(7, name)
            .bind(8, static_cast<int>(change.op))
            .bindBlob(9, change.baseRecord);
        if (outcome.secretId && outcome.version)
            q->bind(10, *outcome.secretId).bind(11, *outcome.version);
        else
            q->bindNull(10).bindNull(11);
        if (auto ok = q->run(); !ok) {
            if (ok.error().code == model::ErrorCode::AlreadyExists)
                return failIntegrity(QStringLiteral("Log of %1").arg(m_env.scope()),
                                     protocol::Error{protocol::ErrorCode::WrongContext, record.seq,
                                                     "a record id that is already in the log"});
            return fail(ok.error());
        }
        return {};
    }

    Context& m_ctx;
    const SharedEnv& m_env;
    model::Database& m_db;
    QString m_myName;
    Outbox m_outbox;
    std::map<protocol::RecordId, std::size_t> m_byRecord;
    std::map<QString, std::vector<std::size_t>> m_byName;
    std::map<QString, Newest> m_newest;
    std::map<protocol::MemberId, QString> m_names;
    Applied m_result;
};

} // namespace

Result<Applied> applyRecords(Context& ctx, const SharedEnv& env, std::span<const protocol::ChangeRecord> records,
                             std::span<const protocol::ChangeView> changes) {
    Applier applier(ctx, env);
    if (auto ok = applier.loadOutbox(); !ok)
        return std::unexpected(ok.error());
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (auto ok = applier.apply(records[i], changes[i]); !ok)
            return std::unexpected(ok.error());
    }
    return applier.result();
}

Result<void> addConflict(model::Database& db, std::int64_t environmentId, std::int64_t secretId, const QString& name,
                         ConflictInfo::Kind kind, std::int64_t currentVersion, std::int64_t otherVersion,
                         const QString& currentAuthor, const QString& otherAuthor) {
    return execute(db,
                   "INSERT INTO sync_conflicts (environment_id, secret_id, name, kind, current_version, other_version, "
                   "current_author, other_author, detected_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                   environmentId, secretId, name,
                   kind == ConflictInfo::Kind::Edit ? QStringLiteral("edit") : QStringLiteral("delete"), currentVersion,
                   otherVersion, currentAuthor, otherAuthor, nowMs());
}

} // namespace coffer::sync::detail
