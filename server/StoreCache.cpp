// SPDX-License-Identifier: Apache-2.0
#include "server/StoreCache.h"

#include <mutex>

namespace coffer::server {

namespace {

std::string joinKey(std::string_view a, std::string_view b) {
    std::string key;
    key.reserve(a.size() + b.size() + 1);
    key.append(a).push_back('\n');
    key.append(b);
    return key;
}

std::string joinKey(std::string_view a, std::string_view b, std::string_view c) {
    std::string key = joinKey(a, b);
    key.push_back('\n');
    key.append(c);
    return key;
}

} // namespace

StoreCache::StoreCache(bool rosterAndGrants, std::size_t capacity)
    : m_rosterAndGrants(rosterAndGrants)
    , m_capacity(capacity) {}

std::optional<std::string> StoreCache::session(std::string_view sessionKey, std::int64_t now) const {
    std::shared_lock lock(m_mutex);
    const auto it = m_sessions.find(std::string(sessionKey));
    if (it == m_sessions.end() || it->second.expiresAt <= now) {
        return std::nullopt;
    }
    return it->second.deviceKey;
}

void StoreCache::putSession(std::string_view sessionKey, std::string_view deviceKey, std::int64_t expiresAt) {
    std::unique_lock lock(m_mutex);
    if (m_sessions.size() >= m_capacity) {
        m_sessions.clear(); // sessions live 10 minutes: starting over costs one read per live session
    }
    m_sessions.insert_or_assign(std::string(sessionKey), Session{std::string(deviceKey), expiresAt});
}

bool StoreCache::knownTeam(std::string_view teamId) const {
    std::shared_lock lock(m_mutex);
    return m_teams.contains(std::string(teamId));
}

void StoreCache::putTeam(std::string_view teamId) {
    std::unique_lock lock(m_mutex);
    if (m_teams.size() >= m_capacity) {
        m_teams.clear();
    }
    m_teams.emplace(teamId);
}

std::uint64_t StoreCache::generation() const {
    std::shared_lock lock(m_mutex);
    return m_generation;
}

std::optional<MemberRow> StoreCache::member(std::string_view teamId, std::string_view signKey) const {
    if (!m_rosterAndGrants) {
        return std::nullopt;
    }
    std::shared_lock lock(m_mutex);
    const auto it = m_members.find(joinKey(teamId, signKey));
    if (it == m_members.end()) {
        return std::nullopt;
    }
    return it->second;
}

void StoreCache::putMember(std::string_view teamId, std::string_view signKey, const MemberRow& row,
                           std::uint64_t generation) {
    if (!m_rosterAndGrants) {
        return;
    }
    std::unique_lock lock(m_mutex);
    if (generation != m_generation) {
        return; // a roster write committed since this row was read: it may be stale
    }
    if (m_members.size() >= m_capacity) {
        m_members.clear();
    }
    m_members.insert_or_assign(joinKey(teamId, signKey), row);
}

std::optional<std::optional<CurrentAccess>> StoreCache::access(std::string_view teamId, std::string_view environment,
                                                               std::string_view memberId) const {
    if (!m_rosterAndGrants) {
        return std::nullopt;
    }
    std::shared_lock lock(m_mutex);
    const auto it = m_access.find(joinKey(teamId, environment, memberId));
    if (it == m_access.end()) {
        return std::nullopt;
    }
    return it->second;
}

void StoreCache::putAccess(std::string_view teamId, std::string_view environment, std::string_view memberId,
                           const std::optional<CurrentAccess>& access, std::uint64_t generation) {
    if (!m_rosterAndGrants) {
        return;
    }
    std::unique_lock lock(m_mutex);
    if (generation != m_generation) {
        return;
    }
    if (m_access.size() >= m_capacity) {
        m_access.clear();
    }
    m_access.insert_or_assign(joinKey(teamId, environment, memberId), access);
}

void StoreCache::invalidate() {
    std::unique_lock lock(m_mutex);
    ++m_generation;
    m_members.clear();
    m_access.clear();
}

} // namespace coffer::server
