// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/ApiServices.h"

namespace coffer::server {

/// Grants (environment keys sealed to members, signed by an admin):
///   PUT /v1/teams/{team}/grants (admin), GET /v1/teams/{team}/grants (own; ?environment=HEX: all of
///   that environment, for an admin or a member holding a grant of it at any epoch).
class GrantHandlers {
public:
    explicit GrantHandlers(Services& services)
        : m_s(services) {}

    [[nodiscard]] Response putGrants(Call& call);
    [[nodiscard]] Response readGrants(Call& call);

private:
    Services& m_s;
};

} // namespace coffer::server
