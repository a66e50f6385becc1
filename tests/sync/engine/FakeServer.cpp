// SPDX-License-Identifier: Apache-2.0
#include "tests/sync/engine/FakeServer.h"

#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/RequestAuth.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>

namespace coffer::tests {

using nlohmann::json;
using sync::HttpRequest;
using sync::HttpResponse;

namespace {

HttpResponse reply(int status, const json& body) {
    return HttpResponse{status, body.dump(), {{"content-type", "application/json"}}};
}

HttpResponse refuse(int status, const std::string& error, const std::string& message) {
    return reply(status, json{{"error", error}, {"message", message}});
}

std::map<std::string, std::string> queryOf(const std::string& query) {
    std::map<std::string, std::string> out;
    std::size_t start = 0;
    while (start < query.size()) {
        const auto end = std::min(query.find('&', start), query.size());
        const auto part = query.substr(start, end - start);
        const auto eq = part.find('=');
        if (eq != std::string::npos)
            out[part.substr(0, eq)] = part.substr(eq + 1);
        start = end + 1;
    }
    return out;
}

std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        const auto end = std::min(path.find('/', start), path.size());
        out.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::uint64_t currentEpoch(const auto& environment) {
    std::uint64_t epoch = 0;
    for (const auto& [key, grant] : environment.grants)
        epoch = std::max(epoch, key.first);
    return epoch;
}

std::optional<protocol::Access> accessAt(const auto& environment, std::uint64_t epoch,
                                         const protocol::MemberId& member) {
    const auto it = environment.grants.find({epoch, member});
    if (it == environment.grants.end())
        return std::nullopt;
    return it->second.access;
}

protocol::Head headOf(const std::vector<protocol::ChangeRecord>& records) {
    if (records.empty())
        return {};
    return protocol::Head{records.back().seq, protocol::recordHash(records.back())};
}

} // namespace

void FakeServer::setRoster(const protocol::TeamId& team, std::vector<protocol::RosterEvent> events) {
    std::lock_guard lock(m_mutex);
    Team& stored = m_teams[team];
    stored.events = std::move(events);
    // A planted bad event is served as is; authorisation keeps using the last roster that verified.
    if (auto verified = protocol::verifyRoster(stored.events))
        stored.roster = std::move(*verified);
}

void FakeServer::appendRoster(const protocol::TeamId& team, const protocol::RosterEvent& event) {
    std::lock_guard lock(m_mutex);
    auto events = m_teams[team].events;
    events.push_back(event);
    setRoster(team, std::move(events));
}

std::vector<protocol::ChangeRecord>& FakeServer::records(const protocol::TeamId& team,
                                                         const protocol::EnvironmentId& environment) {
    std::lock_guard lock(m_mutex);
    return m_teams[team].environments[environment].records;
}

std::size_t FakeServer::requestCount() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
}

sync::TransportFactory FakeServer::factory() {
    struct Forwarder : sync::Transport {
        explicit Forwarder(FakeServer& server)
            : m_server(server) {}
        sync::Result<HttpResponse> send(const HttpRequest& request) override { return m_server.send(request); }
        FakeServer& m_server;
    };
    return [this](const sync::TransportOptions&) -> sync::Result<std::unique_ptr<sync::Transport>> {
        return std::make_unique<Forwarder>(*this);
    };
}

sync::Result<HttpResponse> FakeServer::send(const HttpRequest& request) {
    const Fault fault = faults ? faults(request) : Fault::None;
    if (fault == Fault::DropRequest)
        return sync::fail(sync::ErrorCode::Offline, QStringLiteral("fake: request dropped"));
    if (fault == Fault::ServerError)
        return refuse(500, "internal", "fake: injected failure");
    if (request.method == "POST" && request.path.ends_with("/records") && beforePush) {
        auto hook = std::move(beforePush);
        beforePush = nullptr;
        hook();
    }
    HttpResponse response;
    {
        std::lock_guard lock(m_mutex);
        ++m_requests;
        response = handle(request);
    }
    if (fault == Fault::DropReply)
        return sync::fail(sync::ErrorCode::Offline, QStringLiteral("fake: reply dropped"));
    if (tamper && response.status < 300)
        tamper(request, response);
    return response;
}

HttpResponse FakeServer::handle(const HttpRequest& request) {
    // Authentication as coffer-server does it: the device key's signature over the request, the time.
    std::map<std::string, std::string> headers;
    for (const auto& [name, value] : request.headers) {
        std::string lower = name;
        std::ranges::transform(lower, lower.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        headers[lower] = value;
    }
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    auto verified = protocol::verifyRequest(
        request.method, request.path, request.query, request.body,
        [&](std::string_view name) -> std::optional<std::string> {
            std::string lower(name);
            std::ranges::transform(lower, lower.begin(),
                                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            const auto it = headers.find(lower);
            return it == headers.end() ? std::nullopt : std::optional(it->second);
        },
        now);
    if (!verified)
        return refuse(401, "unauthenticated", protocol::describe(verified.error()));

    const auto parts = segments(request.path);
    if (parts.size() < 4 || parts[0] != "v1" || parts[1] != "teams")
        return refuse(404, "not_found", "no such route");
    auto teamId = protocol::fixedFromHex<32>(parts[2]);
    if (!teamId)
        return refuse(400, "malformed", "bad team id");
    const auto found = m_teams.find(protocol::TeamId{*teamId});
    if (found == m_teams.end() || !found->second.roster)
        return refuse(404, "not_found", "unknown team");
    Team& team = found->second;
    const auto* member = team.roster->memberBySignKey(verified->key);
    if (member == nullptr || member->removed)
        return refuse(403, "forbidden", "not a member");

    if (parts.size() == 4 && parts[3] == "roster")
        return handleRoster(team, request, member->id);
    if (parts.size() == 4 && parts[3] == "grants")
        return handleGrants(team, protocol::TeamId{*teamId}, request, member->id);
    if (parts.size() == 6 && parts[3] == "environments" && parts[5] == "records") {
        auto environment = protocol::fixedFromHex<16>(parts[4]);
        if (!environment)
            return refuse(400, "malformed", "bad environment id");
        return handleRecords(team, *environment, request, member->id);
    }
    return refuse(404, "not_found", "no such route");
}

HttpResponse FakeServer::handleRoster(Team& team, const HttpRequest& request, const protocol::MemberId& caller) {
    if (request.method == "GET") {
        const auto query = queryOf(request.query);
        const std::uint64_t from = query.contains("from") ? std::stoull(query.at("from")) : 0;
        json events = json::array();
        for (const auto& event : team.events) {
            if (event.seq >= from)
                events.push_back(protocol::toJson(event));
        }
        return reply(200, json{{"events", events}, {"head", protocol::toJson(team.roster->head())}});
    }
    if (request.method != "POST")
        return refuse(404, "not_found", "no such route");
    const auto role = team.roster->roleAt(caller, team.roster->head().seq);
    if (!role || !protocol::isAdmin(*role))
        return refuse(403, "forbidden", "not an admin");
    auto body = protocol::parseJson(request.body);
    if (!body || !body->contains("expectedHead") || !body->contains("events"))
        return refuse(400, "malformed", "bad body");
    auto expected = protocol::headFromJson(body->at("expectedHead"));
    if (!expected)
        return refuse(400, "malformed", "bad head");
    if (*expected != team.roster->head())
        return reply(
            409, json{{"error", "conflict"}, {"message", "moved"}, {"head", protocol::toJson(team.roster->head())}});
    auto next = *team.roster;
    std::vector<protocol::RosterEvent> added;
    for (const auto& item : body->at("events")) {
        auto event = protocol::rosterEventFromJson(item);
        if (!event)
            return refuse(400, "malformed", "bad event");
        if (auto ok = next.apply(*event); !ok)
            return refuse(ok.error().code == protocol::ErrorCode::SignerNotAuthorised ? 403 : 400, "malformed",
                          protocol::describe(ok.error()));
        added.push_back(std::move(*event));
    }
    team.events.insert(team.events.end(), added.begin(), added.end());
    team.roster = std::move(next);
    return reply(200, json{{"head", protocol::toJson(team.roster->head())}});
}

HttpResponse FakeServer::handleGrants(Team& team, const protocol::TeamId& id, const HttpRequest& request,
                                      const protocol::MemberId& caller) {
    const auto role = team.roster->roleAt(caller, team.roster->head().seq);
    const bool admin = role && protocol::isAdmin(*role);
    if (request.method == "PUT") {
        if (!admin)
            return refuse(403, "forbidden", "not an admin");
        auto body = protocol::parseJson(request.body);
        if (!body || !body->contains("grants"))
            return refuse(400, "malformed", "bad body");
        std::vector<protocol::Grant> grants;
        for (const auto& item : body->at("grants")) {
            auto grant = protocol::grantFromJson(item);
            if (!grant || grant->team != id)
                return refuse(400, "malformed", "bad grant");
            if (grant->admin != caller)
                return refuse(403, "forbidden", "the grant names another admin");
            if (auto ok = protocol::verifyGrant(*grant, *team.roster); !ok)
                return refuse(400, "malformed", protocol::describe(ok.error()));
            grants.push_back(std::move(*grant));
        }
        for (auto& grant : grants)
            team.environments[grant.environment].grants[{grant.epoch, grant.member}] = grant;
        return reply(200, json{{"stored", grants.size()}});
    }
    if (request.method != "GET")
        return refuse(404, "not_found", "no such route");
    json list = json::array();
    const auto query = queryOf(request.query);
    if (query.contains("environment")) {
        auto environment = protocol::fixedFromHex<16>(query.at("environment"));
        if (!environment)
            return refuse(400, "malformed", "bad environment");
        const auto it = team.environments.find(*environment);
        const bool holds =
            it != team.environments.end() &&
            std::ranges::any_of(it->second.grants, [&](const auto& entry) { return entry.first.second == caller; });
        if (!admin && !holds)
            return refuse(403, "forbidden", "no grant of that environment");
        if (it != team.environments.end()) {
            for (const auto& [key, grant] : it->second.grants)
                list.push_back(protocol::toJson(grant));
        }
    } else {
        for (const auto& [environmentId, environment] : team.environments) {
            for (const auto& [key, grant] : environment.grants) {
                if (key.second == caller)
                    list.push_back(protocol::toJson(grant));
            }
        }
    }
    return reply(200, json{{"grants", list}});
}

HttpResponse FakeServer::handleRecords(Team& team, const protocol::EnvironmentId& environmentId,
                                       const HttpRequest& request, const protocol::MemberId& caller) {
    Environment& environment = team.environments[environmentId];
    const std::uint64_t epoch = currentEpoch(environment);
    const auto access = accessAt(environment, epoch, caller);
    if (!access)
        return refuse(403, "forbidden", "no grant for this environment at its current epoch");
    if (request.method == "GET") {
        const auto query = queryOf(request.query);
        const std::uint64_t after = query.contains("after") ? std::stoull(query.at("after")) : 0;
        const std::size_t limit = query.contains("limit") ? std::stoull(query.at("limit")) : 500;
        json list = json::array();
        std::uint64_t last = after;
        for (const auto& record : environment.records) {
            if (record.seq <= after)
                continue;
            // A page ends on a batch signature, as coffer-server's does.
            if (list.size() >= limit && last != after) {
                const auto& previous = environment.records[last - 1];
                if (previous.batchSignature)
                    break;
            }
            list.push_back(protocol::toJson(record));
            last = record.seq;
        }
        const protocol::Head head = headOf(environment.records);
        return reply(200, json{{"records", list}, {"head", protocol::toJson(head)}, {"more", last < head.seq}});
    }
    if (request.method != "POST")
        return refuse(404, "not_found", "no such route");
    if (*access != protocol::Access::Write)
        return refuse(403, "forbidden", "read-only");
    auto body = protocol::parseJson(request.body);
    if (!body || !body->contains("expectedHead") || !body->contains("records"))
        return refuse(400, "malformed", "bad body");
    auto expected = protocol::headFromJson(body->at("expectedHead"));
    if (!expected)
        return refuse(400, "malformed", "bad head");
    std::vector<protocol::ChangeRecord> records;
    for (const auto& item : body->at("records")) {
        auto record = protocol::recordFromJson(item);
        if (!record)
            return refuse(400, "malformed", "bad record");
        if (record->author != caller || record->epoch != epoch)
            return refuse(403, "forbidden", "another author or epoch");
        records.push_back(std::move(*record));
    }
    if (records.empty() || records.size() > 1000)
        return refuse(413, "too_large", "1 to 1000 records");
    const protocol::Head head = headOf(environment.records);
    if (*expected != head)
        return reply(409, json{{"error", "conflict"},
                               {"message", "the environment head has moved"},
                               {"head", protocol::toJson(head)}});
    protocol::LogVerifier verifier(team.roster->team(), environmentId, head, *team.roster,
                                   [&](const protocol::MemberId& author, std::uint64_t at) {
                                       return accessAt(environment, at, author) == protocol::Access::Write;
                                   });
    auto verified = verifier.verify(records);
    if (!verified)
        return refuse(400, "malformed", protocol::describe(verified.error()));
    environment.records.insert(environment.records.end(), records.begin(), records.end());
    return reply(200, json{{"head", protocol::toJson(*verified)}});
}

} // namespace coffer::tests
