// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/Auth.h"
#include "server/Clock.h"
#include "server/Limits.h"
#include "server/Metrics.h"
#include "server/RateLimiter.h"
#include "server/Request.h"
#include "server/RequestLog.h"
#include "server/RosterCache.h"
#include "server/Store.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace coffer::server {

class TeamHandlers;
class InviteHandlers;
class GrantHandlers;
class RecordHandlers;
class AccessLogHandlers;
struct Call;
struct Services;

/// The whole HTTP API as a function from Request to Response: routing, the body bound, the error
/// boundary, metrics and the request log. It holds no socket, so tests and fuzzers drive it in
/// process; HttpServer only converts. Thread-safe (the store must be, too).
class Api {
public:
    /// `store`, `clock` and `log` must outlive the Api.
    Api(Store& store, const Clock& clock, Limits limits, RequestLog& log);
    ~Api();
    Api(const Api&) = delete;
    Api& operator=(const Api&) = delete;

    /// Handles one request. Never throws: an exception inside a handler becomes 400 (a JSON type
    /// error) or 500, with a generic message; the request is still counted and logged.
    [[nodiscard]] Response handle(const Request& request) noexcept;

    /// Counts and logs a request that the HTTP layer refused before it reached handle() (413 over the
    /// body bound while reading, 400 for an unparsable request), under the route label "transport".
    void observeTransportRefusal(std::string_view method, int status) noexcept;

    [[nodiscard]] const Metrics& metrics() const noexcept { return m_metrics; }
    [[nodiscard]] const Limits& limits() const noexcept { return m_limits; }

private:
    using Handler = Response (Api::*)(Call&);
    struct Route {
        std::string method;
        std::string pattern; ///< "/v1/teams/{team}/roster": matched by segments and used as the metrics label
        std::vector<std::string> segments;
        Handler handler;
    };

    [[nodiscard]] Response dispatch(const Request& request, std::string& route, std::string& member);
    [[nodiscard]] const Route* match(const Request& request, std::string& team, std::string& environment) const;
    void addRoute(std::string method, std::string pattern, Handler handler);

    Response healthz(Call& call);
    Response metricsText(Call& call);
    Response createSession(Call& call);
    Response createTeam(Call& call);
    Response readRoster(Call& call);
    Response appendRoster(Call& call);
    Response createInvite(Call& call);
    Response acceptInvite(Call& call);
    Response listAccepted(Call& call);
    Response putGrants(Call& call);
    Response readGrants(Call& call);
    Response pushRecords(Call& call);
    Response pullRecords(Call& call);
    Response readAccessLog(Call& call);

    Store& m_store;
    const Clock& m_clock;
    Limits m_limits;
    RequestLog& m_log;
    Metrics m_metrics;
    RateLimiter m_limiter;
    Auth m_auth;
    RosterCache m_rosters;
    std::unique_ptr<Services> m_services;
    std::unique_ptr<TeamHandlers> m_teams;
    std::unique_ptr<InviteHandlers> m_invites;
    std::unique_ptr<GrantHandlers> m_grants;
    std::unique_ptr<RecordHandlers> m_records;
    std::unique_ptr<AccessLogHandlers> m_accessLog;
    std::vector<Route> m_routes;
};

} // namespace coffer::server
