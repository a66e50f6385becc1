// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/ApiServices.h"

namespace coffer::server {

/// Sessions, team creation and the roster:
///   POST /v1/sessions, POST /v1/teams, GET and POST /v1/teams/{team}/roster.
class TeamHandlers {
public:
    explicit TeamHandlers(Services& services)
        : m_s(services) {}

    [[nodiscard]] Response createSession(Call& call);
    [[nodiscard]] Response createTeam(Call& call);
    [[nodiscard]] Response readRoster(Call& call);
    [[nodiscard]] Response appendRoster(Call& call);

private:
    Services& m_s;
};

} // namespace coffer::server
