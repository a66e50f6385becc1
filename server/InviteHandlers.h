// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/ApiServices.h"

namespace coffer::server {

/// Invites: an admin registers the hash of a code; the invitee proves the code and its identity; the
/// admin reads who accepted and adds them to the roster (the server never adds anyone itself).
///   POST /v1/teams/{team}/invites, POST /v1/teams/{team}/invites/accept, GET /v1/teams/{team}/invites/accepted
class InviteHandlers {
public:
    explicit InviteHandlers(Services& services)
        : m_s(services) {}

    [[nodiscard]] Response createInvite(Call& call);
    [[nodiscard]] Response acceptInvite(Call& call);
    [[nodiscard]] Response listAccepted(Call& call);

private:
    Services& m_s;
};

} // namespace coffer::server
