// SPDX-License-Identifier: Apache-2.0
// Pull: page by page from the pinned head, each page verified whole (chain, batch signatures, the author's
// write grant at the record's epoch, epochs never decreasing, AEAD) before any of it is applied, then applied
// and pinned in one transaction. A failed check stops the environment with the offending bytes as evidence.
// While a page is applied, the next one is already requested (one request in flight, on a second thread).
#include "crypto/Aead.h"
#include "model/Database.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "sync/EngineDetail.h"
#include "sync/SyncDetail.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Verify.h"

#include <future>
#include <system_error>

namespace coffer::sync::detail {
namespace {

std::vector<std::byte> bytesAt(std::span<const protocol::ChangeRecord> records, std::uint64_t seq) {
    for (const auto& record : records) {
        if (record.seq == seq)
            return protocol::encode(record);
    }
    std::vector<std::byte> all;
    for (const auto& record : records) {
        const auto bytes = protocol::encode(record);
        all.insert(all.end(), bytes.begin(), bytes.end());
    }
    return all;
}

Result<std::uint64_t> highestEpoch(model::Database& db, std::int64_t environmentId) {
    auto q = db.prepare("SELECT coalesce(max(epoch), 0) FROM sync_log WHERE environment_id = ?1");
    if (!q)
        return fail(q.error());
    auto row = q->bind(1, environmentId).step();
    if (!row)
        return fail(row.error());
    return static_cast<std::uint64_t>(q->columnInt(0));
}

// The server's head against the verified one once a pull has nothing more to give.
std::optional<protocol::Error> checkServedHead(const protocol::Head& served, const protocol::Head& verified) {
    if (served.seq < verified.seq)
        return protocol::Error{protocol::ErrorCode::Regression, served.seq,
                               "the server's head is older than the pinned one"};
    if (served.seq == verified.seq && served.hash != verified.hash)
        return protocol::Error{protocol::ErrorCode::Fork, served.seq, "the server's head differs from the pinned one"};
    if (served.seq > verified.seq)
        return protocol::Error{protocol::ErrorCode::Gap, verified.seq + 1,
                               "the server claims records it did not serve"};
    return std::nullopt;
}

// The next page on another thread; on the caller's, later, if no thread can be started.
template <typename Fetch> std::future<Result<RecordPage>> prefetch(const Fetch& fetch, std::uint64_t after) {
    try {
        return std::async(std::launch::async, fetch, after);
    } catch (const std::system_error&) {
        return std::async(std::launch::deferred, fetch, after);
    }
}

} // namespace

Result<Applied> pullEnvironment(Context& ctx, SharedEnv& env) {
    model::Database& db = ctx.vault.database();
    const TeamState& team = ctx.team;
    protocol::LogVerifier verifier(env.team, env.id, env.head, team.roster(), team.writeCheck(env.id));
    auto epoch = highestEpoch(db, env.environmentId);
    if (!epoch)
        return std::unexpected(epoch.error());
    std::uint64_t lastEpoch = *epoch;
    Applied total;
    // The next page is requested while this one is applied: the server's work, the loopback and the decoding of
    // the reply overlap the vault's writes. Only one request is ever in flight and the client is not used by this
    // thread meanwhile, so ServerClient and its transport are never used by two threads at once. The request is
    // made once a page verified and opened, so a page that fails a check asks for nothing after it.
    ServerClient& client = ctx.client;
    const auto fetch = [&client, team = env.team, id = env.id](std::uint64_t after) {
        return client.pull(team, id, after, kPageRecords);
    };
    std::future<Result<RecordPage>> next;
    for (;;) {
        auto page = next.valid() ? next.get() : fetch(env.head.seq);
        if (!page)
            return std::unexpected(page.error());
        if (page->records.empty()) {
            // A head beyond an empty page may be a push that landed between the server's two reads; only a
            // head behind or beside the pinned one is a lie.
            if (auto check = checkServedHead(page->head, env.head); check && page->head.seq <= env.head.seq)
                return std::unexpected(stopEnvironment(db, env, *check, {}));
            return total;
        }
        if (auto verified = verifier.verify(page->records); !verified)
            return std::unexpected(
                stopEnvironment(db, env, verified.error(), bytesAt(page->records, verified.error().position)));

        // Every plaintext of the page in one guarded buffer: one allocation per page, not per record.
        std::size_t plaintextBytes = 0;
        for (const auto& record : page->records)
            plaintextBytes += record.ciphertext.size() - crypto::aead::kTagBytes;
        crypto::SecureBuffer plaintexts(plaintextBytes);
        std::size_t offset = 0;
        std::vector<protocol::ChangeView> changes;
        changes.reserve(page->records.size());
        for (const auto& record : page->records) {
            if (record.epoch < lastEpoch)
                return std::unexpected(stopEnvironment(db, env,
                                                       protocol::Error{protocol::ErrorCode::Regression, record.seq,
                                                                       "epoch " + std::to_string(record.epoch) +
                                                                           " after epoch " + std::to_string(lastEpoch)},
                                                       protocol::encode(record)));
            lastEpoch = record.epoch;
            const crypto::AeadKey* key = team.key(env.id, record.epoch);
            if (key == nullptr)
                return fail(ErrorCode::NotAllowed,
                            QStringLiteral("No key for epoch %1 of %2: an admin must grant it before it can be read.")
                                .arg(record.epoch)
                                .arg(env.scope()));
            const std::size_t size = record.ciphertext.size() - crypto::aead::kTagBytes;
            auto change = protocol::openChangeInto(record, *key, plaintexts.bytes().subspan(offset, size));
            offset += size;
            if (!change)
                return std::unexpected(stopEnvironment(
                    db, env, protocol::Error{change.error().code, record.seq, "the record does not decrypt"},
                    protocol::encode(record)));
            changes.push_back(std::move(*change));
        }

        const protocol::Head head = verifier.head();
        if (page->more)
            next = prefetch(fetch, head.seq);
        std::optional<Applied> applied;
        auto written = transaction(db, [&]() -> Result<void> {
            auto done = applyRecords(ctx, env, page->records, changes);
            if (!done)
                return std::unexpected(done.error());
            applied = *done;
            return execute(db, "UPDATE sync_environments SET head_seq = ?2, head_hash = ?3 WHERE environment_id = ?1",
                           env.environmentId, head.seq, head.hash.bytes);
        });
        if (!written) {
            if (written.error().code == ErrorCode::Integrity && written.error().check) {
                const auto check = *written.error().check;
                return std::unexpected(stopEnvironment(db, env, check, bytesAt(page->records, check.position)));
            }
            return std::unexpected(written.error());
        }
        env.head = head;
        total.applied += applied->applied;
        total.acknowledged += applied->acknowledged;
        total.conflicts += applied->conflicts;
        if (ctx.progress)
            ctx.progress(SyncProgress{QStringLiteral("pull"), env.scope(), head.seq, page->head.seq});
        if (!page->more) {
            if (auto check = checkServedHead(page->head, env.head))
                return std::unexpected(stopEnvironment(db, env, *check, {}));
            return total;
        }
    }
}

} // namespace coffer::sync::detail
