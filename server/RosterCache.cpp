// SPDX-License-Identifier: Apache-2.0
#include "server/RosterCache.h"

#include "server/Ids.h"
#include "sync/protocol/Json.h"

#include <vector>

namespace coffer::server {

RosterCache::RosterCache(Store& store, std::size_t capacity)
    : m_store(store)
    , m_capacity(capacity) {}

Outcome<std::shared_ptr<const protocol::RosterState>> RosterCache::load(std::string_view teamHex) {
    auto exists = m_store.teamExists(teamHex);
    if (!exists)
        return storeFailure(exists.error());
    if (!*exists)
        return refuse(404, "unknown team");
    auto head = m_store.rosterHead(teamHex);
    if (!head)
        return storeFailure(head.error());
    {
        const std::scoped_lock lock(m_mutex);
        if (const auto it = m_entries.find(teamHex); it != m_entries.end() && it->second.head == *head)
            return it->second.state;
    }

    auto rows = m_store.readRoster(teamHex, 0);
    if (!rows)
        return storeFailure(rows.error());
    std::vector<protocol::RosterEvent> events;
    events.reserve(rows->size());
    for (const auto& row : *rows) {
        auto json = protocol::parseJson(row.json);
        if (!json)
            return refuse(500, "internal error");
        auto event = protocol::rosterEventFromJson(*json);
        if (!event)
            return refuse(500, "internal error");
        events.push_back(std::move(*event));
    }
    auto verified = protocol::verifyRoster(events);
    if (!verified)
        return refuse(500, "internal error");
    auto state = std::make_shared<const protocol::RosterState>(std::move(*verified));

    const ChainHead loadedHead = toChainHead(state->head());
    const std::scoped_lock lock(m_mutex);
    if (m_entries.size() >= m_capacity && !m_entries.contains(teamHex))
        m_entries.clear(); // rare (more active teams than capacity); rebuilding is correct, only slower
    m_entries.insert_or_assign(std::string(teamHex), Entry{loadedHead, state});
    return state;
}

} // namespace coffer::server
