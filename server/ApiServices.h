// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/Auth.h"
#include "server/Clock.h"
#include "server/Limits.h"
#include "server/Request.h"
#include "server/RosterCache.h"
#include "server/Store.h"

#include <string>

namespace coffer::server {

/// What every handler works with; owned by Api, shared by the handler groups.
struct Services {
    Store& store;
    const Clock& clock;
    const Limits& limits;
    Auth& auth;
    RosterCache& rosters;
};

/// One request on its way through a handler: the request, the path parameters the route captured,
/// and what the request log may say about it (the caller's member id, once known).
struct Call {
    const Request& request;
    std::string team;        ///< "{team}" as it appeared in the path (validated by the handler)
    std::string environment; ///< "{env}" as it appeared in the path
    std::string member;      ///< hex member id of the caller, "" until authenticated as a member
};

} // namespace coffer::server
