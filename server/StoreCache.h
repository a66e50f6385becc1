// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/Store.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace coffer::server {

/// What SqlStore keeps in memory so that an authenticated request does not read the database for it.
/// Internal to the store. Thread-safe.
///
/// - Sessions (always): session key -> device key, kept until the session's expiry. A session row is never
///   deleted or handed to another device (putSession refuses that), and a renewal only extends it, so a hit
///   is never wrong: an entry whose expiry has passed is a miss and the database decides.
/// - Teams (always): a team, once created, exists forever.
/// - Members and current grants (only with `rosterAndGrants`, i.e. when this process is the database's only
///   writer): dropped by invalidate(), which the store calls after every committed write to the roster,
///   members or grants, before that write returns. A fill carries the generation read before its query and
///   is discarded when an invalidation came in between, so a read that raced a removal never re-installs
///   the row the removal replaced.
class StoreCache {
public:
    explicit StoreCache(bool rosterAndGrants, std::size_t capacity = 100000);

    [[nodiscard]] bool cachesRosterAndGrants() const noexcept { return m_rosterAndGrants; }

    /// The device key of a session that has not expired at `now`, when cached.
    [[nodiscard]] std::optional<std::string> session(std::string_view sessionKey, std::int64_t now) const;
    void putSession(std::string_view sessionKey, std::string_view deviceKey, std::int64_t expiresAt);

    [[nodiscard]] bool knownTeam(std::string_view teamId) const;
    void putTeam(std::string_view teamId);

    /// Taken before a database read whose result goes to putMember/putAccess.
    [[nodiscard]] std::uint64_t generation() const;
    [[nodiscard]] std::optional<MemberRow> member(std::string_view teamId, std::string_view signKey) const;
    void putMember(std::string_view teamId, std::string_view signKey, const MemberRow& row, std::uint64_t generation);
    /// Outer optional: cached or not; inner: the grant at the current epoch, or none.
    [[nodiscard]] std::optional<std::optional<CurrentAccess>>
    access(std::string_view teamId, std::string_view environment, std::string_view memberId) const;
    void putAccess(std::string_view teamId, std::string_view environment, std::string_view memberId,
                   const std::optional<CurrentAccess>& access, std::uint64_t generation);
    /// Forgets every member and grant (a roster or grant write committed).
    void invalidate();

private:
    struct Session {
        std::string deviceKey;
        std::int64_t expiresAt = 0;
    };

    bool m_rosterAndGrants;
    std::size_t m_capacity;
    mutable std::shared_mutex m_mutex;
    std::uint64_t m_generation = 0;
    std::unordered_map<std::string, Session> m_sessions;
    std::unordered_set<std::string> m_teams;
    std::unordered_map<std::string, MemberRow> m_members;
    std::unordered_map<std::string, std::optional<CurrentAccess>> m_access;
};

} // namespace coffer::server
