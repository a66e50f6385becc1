// SPDX-License-Identifier: Apache-2.0
#include "server/Api.h"

#include "server/AccessLogHandlers.h"
#include "server/ApiServices.h"
#include "server/GrantHandlers.h"
#include "server/InviteHandlers.h"
#include "server/RecordHandlers.h"
#include "server/Responses.h"
#include "server/TeamHandlers.h"

#include <array>
#include <new>

namespace coffer::server {

namespace {

constexpr std::string_view kUnmatched = "unmatched";
constexpr std::string_view kTransport = "transport";

std::vector<std::string> splitPath(std::string_view path) {
    std::vector<std::string> segments;
    if (path.empty() || path.front() != '/')
        return segments;
    path.remove_prefix(1);
    while (true) {
        const auto slash = path.find('/');
        segments.emplace_back(path.substr(0, slash));
        if (slash == std::string_view::npos)
            break;
        path.remove_prefix(slash + 1);
    }
    return segments;
}

/// The method as the log and metrics may show it: a client chooses it, so only known names pass.
std::string_view methodLabel(std::string_view method) {
    static constexpr std::array<std::string_view, 7> known = {"GET",   "POST", "PUT",    "DELETE",
                                                              "PATCH", "HEAD", "OPTIONS"};
    for (const auto name : known) {
        if (name == method)
            return name;
    }
    return "OTHER";
}

} // namespace

Api::Api(Store& store, const Clock& clock, Limits limits, RequestLog& log)
    : m_store(store)
    , m_clock(clock)
    , m_limits(limits)
    , m_log(log)
    , m_limiter(clock, m_limits.rateLimitPerSecond, m_limits.rateLimitBurst)
    , m_auth(store, clock, m_limiter)
    , m_rosters(store)
    , m_services(std::make_unique<Services>(Services{store, clock, m_limits, m_auth, m_rosters}))
    , m_teams(std::make_unique<TeamHandlers>(*m_services))
    , m_invites(std::make_unique<InviteHandlers>(*m_services))
    , m_grants(std::make_unique<GrantHandlers>(*m_services))
    , m_records(std::make_unique<RecordHandlers>(*m_services))
    , m_accessLog(std::make_unique<AccessLogHandlers>(*m_services)) {
    addRoute("GET", "/healthz", &Api::healthz);
    addRoute("GET", "/metrics", &Api::metricsText);
    addRoute("POST", "/v1/sessions", &Api::createSession);
    addRoute("POST", "/v1/teams", &Api::createTeam);
    addRoute("GET", "/v1/teams/{team}/roster", &Api::readRoster);
    addRoute("POST", "/v1/teams/{team}/roster", &Api::appendRoster);
    addRoute("POST", "/v1/teams/{team}/invites", &Api::createInvite);
    addRoute("POST", "/v1/teams/{team}/invites/accept", &Api::acceptInvite);
    addRoute("GET", "/v1/teams/{team}/invites/accepted", &Api::listAccepted);
    addRoute("PUT", "/v1/teams/{team}/grants", &Api::putGrants);
    addRoute("GET", "/v1/teams/{team}/grants", &Api::readGrants);
    addRoute("POST", "/v1/teams/{team}/environments/{env}/records", &Api::pushRecords);
    addRoute("GET", "/v1/teams/{team}/environments/{env}/records", &Api::pullRecords);
    addRoute("GET", "/v1/teams/{team}/access-log", &Api::readAccessLog);
}

Api::~Api() = default;

void Api::addRoute(std::string method, std::string pattern, Handler handler) {
    auto segments = splitPath(pattern);
    m_routes.push_back(Route{std::move(method), std::move(pattern), std::move(segments), handler});
}

const Api::Route* Api::match(const Request& request, std::string& team, std::string& environment) const {
    const auto segments = splitPath(request.path);
    for (const Route& route : m_routes) {
        if (route.method != request.method || route.segments.size() != segments.size())
            continue;
        bool matched = true;
        std::string capturedTeam;
        std::string capturedEnvironment;
        for (std::size_t i = 0; i < segments.size() && matched; ++i) {
            const std::string& want = route.segments[i];
            if (want == "{team}")
                capturedTeam = segments[i];
            else if (want == "{env}")
                capturedEnvironment = segments[i];
            else
                matched = want == segments[i];
        }
        if (matched) {
            team = std::move(capturedTeam);
            environment = std::move(capturedEnvironment);
            return &route;
        }
    }
    return nullptr;
}

Response Api::handle(const Request& request) noexcept {
    const std::int64_t started = m_clock.monotonicNanoseconds();
    std::string route(kUnmatched);
    std::string member;
    Response response;
    try {
        response = dispatch(request, route, member);
    } catch (const nlohmann::json::exception&) {
        response = errorResponse(400, "malformed request");
    } catch (const std::bad_alloc&) {
        response = errorResponse(503, "out of memory");
    } catch (...) {
        response = errorResponse(500, "internal error");
    }
    try {
        const double seconds = static_cast<double>(m_clock.monotonicNanoseconds() - started) / 1e9;
        m_metrics.observe(route, response.status, seconds);
        m_log.write(RequestLogEntry{m_clock.unixSeconds(), route, std::string(methodLabel(request.method)),
                                    response.status, member, seconds * 1000.0});
    } catch (...) {
        // Counting and logging are best effort; the response stands.
    }
    return response;
}

void Api::observeTransportRefusal(std::string_view method, int status) noexcept {
    try {
        m_metrics.observe(kTransport, status, 0);
        m_log.write(RequestLogEntry{
            m_clock.unixSeconds(), std::string(kTransport), std::string(methodLabel(method)), status, {}, 0});
    } catch (...) {
        // Best effort, as in handle().
    }
}

Response Api::dispatch(const Request& request, std::string& route, std::string& member) {
    std::string team;
    std::string environment;
    const Route* found = match(request, team, environment);
    if (found == nullptr)
        return errorResponse(404, "no such route");
    route = found->pattern;
    // Before any parsing: a body over the bound is refused whatever it holds (the HTTP layer already
    // refuses it while reading; this keeps the in-process API to the same bound).
    if (request.body.size() > m_limits.maxBodyBytes)
        return errorResponse(413, "body too large");
    Call call{request, std::move(team), std::move(environment), {}};
    Response response = (this->*(found->handler))(call);
    member = std::move(call.member);
    return response;
}

Response Api::healthz(Call&) {
    if (auto version = m_store.schemaVersion(); !version)
        return errorResponse(503, "storage unavailable");
    return jsonResponse(200, {{"status", "ok"}});
}

Response Api::metricsText(Call&) {
    std::optional<std::uint64_t> records;
    if (auto count = m_store.recordCount(); count)
        records = *count;
    Response response;
    response.status = 200;
    response.headers.emplace("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    response.body = m_metrics.render(records);
    return response;
}

Response Api::createSession(Call& call) {
    return m_teams->createSession(call);
}
Response Api::createTeam(Call& call) {
    return m_teams->createTeam(call);
}
Response Api::readRoster(Call& call) {
    return m_teams->readRoster(call);
}
Response Api::appendRoster(Call& call) {
    return m_teams->appendRoster(call);
}
Response Api::createInvite(Call& call) {
    return m_invites->createInvite(call);
}
Response Api::acceptInvite(Call& call) {
    return m_invites->acceptInvite(call);
}
Response Api::listAccepted(Call& call) {
    return m_invites->listAccepted(call);
}
Response Api::putGrants(Call& call) {
    return m_grants->putGrants(call);
}
Response Api::readGrants(Call& call) {
    return m_grants->readGrants(call);
}
Response Api::pushRecords(Call& call) {
    return m_records->push(call);
}
Response Api::pullRecords(Call& call) {
    return m_records->pull(call);
}
Response Api::readAccessLog(Call& call) {
    return m_accessLog->read(call);
}

} // namespace coffer::server
