// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/Auth.h"
#include "server/Clock.h"
#include "server/Limits.h"
#include "server/Request.h"
#include "server/RosterCache.h"
#include "server/Store.h"

#include <string>
#include <utility>

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

/// What a route needs of its caller beyond a valid signature.
enum class Need { Member, Admin };

/// Authenticates the call (device or session key), then checks the caller is a current member (or admin)
/// of the call's team, and records the member id for the request log. 401, 403 or 404 otherwise.
[[nodiscard]] inline Outcome<MemberRow> authorise(Services& services, Call& call, Need need) {
    auto caller = services.auth.authenticate(call.request, true);
    if (!caller)
        return std::unexpected(std::move(caller.error()));
    auto member =
        need == Need::Admin ? services.auth.admin(call.team, *caller) : services.auth.member(call.team, *caller);
    if (member)
        call.member = member->memberId;
    return member;
}

} // namespace coffer::server
