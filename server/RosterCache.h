// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/Responses.h"
#include "server/Store.h"
#include "sync/protocol/Verify.h"

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace coffer::server {

/// The verified roster of a team (protocol::RosterState), rebuilt from the stored events when the
/// stored head has moved and kept otherwise, so that checking a push or a grant does not verify the
/// whole chain again. Keyed by the stored head, so instances sharing a database never serve a stale
/// roster: each call reads the head first. Thread-safe.
class RosterCache {
public:
    explicit RosterCache(Store& store, std::size_t capacity = 256);

    /// The team's verified roster as stored now. 404 unknown team, 500 when the stored chain does
    /// not verify (it was verified before it was stored: the database was changed behind our back).
    [[nodiscard]] Outcome<std::shared_ptr<const protocol::RosterState>> load(std::string_view teamHex);

private:
    struct Entry {
        ChainHead head;
        std::shared_ptr<const protocol::RosterState> state;
    };

    Store& m_store;
    std::size_t m_capacity;
    std::mutex m_mutex;
    std::map<std::string, Entry, std::less<>> m_entries;
};

} // namespace coffer::server
