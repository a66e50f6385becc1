// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/ApiServices.h"

namespace coffer::server {

/// The access log admins read: GET /v1/teams/{team}/access-log?since=UNIX&limit=N.
class AccessLogHandlers {
public:
    explicit AccessLogHandlers(Services& services)
        : m_s(services) {}

    [[nodiscard]] Response read(Call& call);

private:
    Services& m_s;
};

} // namespace coffer::server
