// SPDX-License-Identifier: Apache-2.0
// SqlStore: the write-behind of access-log rows (every backend) and of nonces (only on a single-writer
// database: SQLite with the instance lock; PostgreSQL instances share their nonces synchronously), and
// the flusher thread that writes them.
#include "server/SqlStore.h"

namespace coffer::server {

using sql::params;

SqlStore::~SqlStore() {
    if (m_flusher.joinable()) {
        m_flusher.request_stop();
        m_flusher.join();
    }
    // On a clean shutdown nothing is lost; a failure here has no one left to tell.
    static_cast<void>(flush());
}

StoreResult<void> SqlStore::startWriteBehind() {
    auto writeBehind = std::make_unique<WriteBehind>();
    if (m_db->singleWriter()) {
        auto lease = m_db->session();
        if (!lease) {
            return std::unexpected(lease.error());
        }
        // Every stored nonce: pruning (Auth, every minute) forgets the old ones, here and in the table.
        auto rows = (*lease)->query("SELECT request_key, nonce, time FROM nonces", {});
        if (!rows) {
            return std::unexpected(rows.error());
        }
        for (auto& row : *rows) {
            std::string key = row.nextText();
            std::string nonce = row.nextText();
            const std::int64_t time = row.nextInteger();
            if (row.error()) {
                return std::unexpected(*row.error());
            }
            writeBehind->remember(key, nonce, time);
        }
    }
    m_writeBehind = std::move(writeBehind);
    m_flusher = std::jthread([this](const std::stop_token& stop) { flushLoop(stop); });
    return {};
}

void SqlStore::flushLoop(const std::stop_token& stop) {
    while (!stop.stop_requested()) {
        {
            std::unique_lock lock(m_wakeMutex);
            m_wake.wait_for(lock, stop, kFlushInterval, [] { return false; });
        }
        // A failed write keeps its batch for the next round (WriteBehind::putBack).
        static_cast<void>(flush());
    }
}

StoreResult<void> SqlStore::flush() {
    if (!m_writeBehind) {
        return {};
    }
    std::lock_guard flushing(m_flushMutex);
    WriteBehind::Batch batch = m_writeBehind->take();
    if (batch.empty()) {
        return {};
    }
    auto written = transact(true, [&](SqlSession& session) -> StoreResult<void> {
        for (const auto& nonce : batch.nonces) {
            auto inserted = session.execute(
                "INSERT INTO nonces (request_key, nonce, time) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                params({nonce.key, nonce.nonce, nonce.time}));
            if (!inserted) {
                return std::unexpected(inserted.error());
            }
        }
        for (const auto& access : batch.access) {
            const AccessLogRow& row = access.row;
            auto inserted = session.execute(
                "INSERT INTO access_log (team_id, time, member_id, environment, action) VALUES ($1, $2, $3, $4, $5)",
                params({access.teamId, row.time, row.memberId, row.environment, row.action}));
            if (!inserted) {
                return std::unexpected(inserted.error());
            }
        }
        return {};
    });
    if (!written) {
        m_writeBehind->putBack(std::move(batch));
    }
    return written;
}

StoreResult<bool> SqlStore::teamKnown(std::string_view teamId) {
    if (m_cache.knownTeam(teamId)) {
        return true;
    }
    auto exists = teamExists(teamId);
    if (exists && *exists) {
        m_cache.putTeam(teamId);
    }
    return exists;
}

} // namespace coffer::server
