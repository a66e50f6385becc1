// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/Store.h"

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace coffer::server {

/// Access-log rows waiting to be written, and, for a store whose process is the database's only writer
/// (SQLite with the instance lock), the nonce window. Internal to the store. Thread-safe.
///
/// There, the authoritative set of used nonces is this object: useNonce() checks and inserts in memory, so a
/// replay is refused at once, before anything reaches the disk. New nonces and access-log rows wait in a
/// batch that SqlStore writes in one transaction every flush interval and on close; at open the store loads
/// the nonces already in the database, so a restart refuses the replay of anything that was flushed.
class WriteBehind {
public:
    struct NonceRow {
        std::string key;
        std::string nonce;
        std::int64_t time = 0;
    };
    struct AccessRow {
        std::string teamId;
        AccessLogRow row;
    };
    struct Batch {
        std::vector<NonceRow> nonces;
        std::vector<AccessRow> access;
        [[nodiscard]] bool empty() const noexcept { return nonces.empty() && access.empty(); }
    };

    /// A nonce already in the database (loaded at open): remembered, not written again.
    void remember(std::string_view key, std::string_view nonce, std::int64_t time);
    /// True when (key, nonce) was new: it is remembered and queued for the next flush. False for a replay.
    [[nodiscard]] bool useNonce(std::string_view key, std::string_view nonce, std::int64_t time);
    /// Forgets nonces whose request time is before `olderThan` (they can no longer be replayed).
    void prune(std::int64_t olderThan);
    void logAccess(std::string_view teamId, const AccessLogRow& row);

    /// Takes what waits to be written (the caller writes it, or hands it back with putBack on failure).
    [[nodiscard]] Batch take();
    /// A batch whose write failed: queued again, before anything queued since, for the next flush.
    void putBack(Batch batch);

private:
    static std::string nonceKey(std::string_view key, std::string_view nonce);

    std::mutex m_mutex;
    std::unordered_map<std::string, std::int64_t> m_nonces; ///< key '\n' nonce -> request time
    Batch m_pending;
};

} // namespace coffer::server
