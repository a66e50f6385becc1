// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/ApiServices.h"

namespace coffer::server {

/// Environment logs: push (compare-and-append of a signed batch) and pull (pages of records).
///   POST /v1/teams/{team}/environments/{env}/records (write grant at the current epoch)
///   GET  /v1/teams/{team}/environments/{env}/records?after=SEQ&limit=N (read or write grant at the current epoch)
class RecordHandlers {
public:
    explicit RecordHandlers(Services& services)
        : m_s(services) {}

    [[nodiscard]] Response push(Call& call);
    [[nodiscard]] Response pull(Call& call);

private:
    Services& m_s;
};

} // namespace coffer::server
