// SPDX-License-Identifier: Apache-2.0
#include "server/WriteBehind.h"

#include <iterator>
#include <utility>

namespace coffer::server {

std::string WriteBehind::nonceKey(std::string_view key, std::string_view nonce) {
    std::string joined;
    joined.reserve(key.size() + nonce.size() + 1);
    joined.append(key).push_back('\n');
    joined.append(nonce);
    return joined;
}

void WriteBehind::remember(std::string_view key, std::string_view nonce, std::int64_t time) {
    std::lock_guard lock(m_mutex);
    m_nonces.emplace(nonceKey(key, nonce), time);
}

bool WriteBehind::useNonce(std::string_view key, std::string_view nonce, std::int64_t time) {
    std::string joined = nonceKey(key, nonce);
    std::lock_guard lock(m_mutex);
    if (!m_nonces.emplace(std::move(joined), time).second) {
        return false;
    }
    m_pending.nonces.push_back(NonceRow{std::string(key), std::string(nonce), time});
    return true;
}

void WriteBehind::prune(std::int64_t olderThan) {
    std::lock_guard lock(m_mutex);
    std::erase_if(m_nonces, [olderThan](const auto& entry) { return entry.second < olderThan; });
}

void WriteBehind::logAccess(std::string_view teamId, const AccessLogRow& row) {
    std::lock_guard lock(m_mutex);
    m_pending.access.push_back(AccessRow{std::string(teamId), row});
}

WriteBehind::Batch WriteBehind::take() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_pending, Batch{});
}

void WriteBehind::putBack(Batch batch) {
    std::lock_guard lock(m_mutex);
    batch.nonces.insert(batch.nonces.end(), std::make_move_iterator(m_pending.nonces.begin()),
                        std::make_move_iterator(m_pending.nonces.end()));
    batch.access.insert(batch.access.end(), std::make_move_iterator(m_pending.access.begin()),
                        std::make_move_iterator(m_pending.access.end()));
    m_pending = std::move(batch);
}

} // namespace coffer::server
