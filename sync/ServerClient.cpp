// SPDX-License-Identifier: Apache-2.0
#include "sync/ServerClient.h"

#include "crypto/Hash.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/JsonPage.h"
#include "sync/protocol/RequestAuth.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <limits>
#include <string_view>
#include <thread>

namespace coffer::sync {

namespace {

using nlohmann::json;

constexpr int kRateLimitRetries = 3;
constexpr std::int64_t kMaxRetryAfterSeconds = 5;
constexpr std::size_t kMaxQuotedBytes = 200;
constexpr std::size_t kMaxPageRecords = 1000;

QString qs(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

/// Text from the server made safe to quote: at most 200 bytes, control characters dropped, cut on
/// a UTF-8 boundary.
QString shown(std::string_view text, std::size_t maxBytes = kMaxQuotedBytes) {
    std::string out;
    for (const char c : text.substr(0, maxBytes)) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte != 0x7f)
            out.push_back(c);
    }
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80)
        out.pop_back();
    if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80) != 0)
        out.pop_back();
    return qs(out);
}

/// One API call: what it is called in messages, what goes on the wire, the success status.
struct Call {
    QString what; ///< "create the team", "pull", …
    std::string method;
    std::string path;
    std::string query;
    std::string body;
    int success = 200;
    bool conflictCarriesHead = false; ///< a 409 must hold "head" (compare-and-append routes)
};

Error hostile(const Call& call, const std::string& problem) {
    return Error{ErrorCode::HostileResponse,
                 QStringLiteral("the server's reply to %1 breaks the protocol: %2")
                     .arg(call.what, shown(problem, 2 * kMaxQuotedBytes)),
                 std::nullopt, call.success};
}

/// A reply object with exactly these fields (nothing more, nothing less).
Result<void> exactFields(const Call& call, const json& object, std::initializer_list<std::string_view> names,
                         const std::string& where) {
    if (!object.is_object())
        return std::unexpected(hostile(call, where + " is not a JSON object"));
    for (const auto& item : object.items()) {
        if (std::ranges::find(names, item.key()) == names.end())
            return std::unexpected(
                hostile(call, where + " has an unexpected field \"" + item.key().substr(0, 40) + "\""));
    }
    for (const std::string_view name : names) {
        if (!object.contains(name))
            return std::unexpected(hostile(call, where + " lacks the field \"" + std::string(name) + "\""));
    }
    return {};
}

template <typename T, typename Decoder>
Result<T> decodeField(const Call& call, const json& value, const std::string& where, Decoder decoder) {
    auto decoded = decoder(value);
    if (!decoded)
        return std::unexpected(hostile(call, "field \"" + where + "\": " + protocol::describe(decoded.error())));
    return std::move(*decoded);
}

template <typename T, typename Decoder>
Result<std::vector<T>> decodeList(const Call& call, const json& value, const std::string& name, Decoder decoder) {
    if (!value.is_array())
        return std::unexpected(hostile(call, "field \"" + name + "\" is not an array"));
    std::vector<T> out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        auto item = decodeField<T>(call, value[i], name + "[" + std::to_string(i) + "]", decoder);
        if (!item)
            return std::unexpected(item.error());
        out.push_back(std::move(*item));
    }
    return out;
}

Result<std::uint64_t> unsignedField(const Call& call, const json& value, const std::string& name) {
    if (!value.is_number_unsigned())
        return std::unexpected(hostile(call, "field \"" + name + "\" is not an unsigned integer"));
    return value.get<std::uint64_t>();
}

Result<std::int64_t> signedField(const Call& call, const json& value, const std::string& name) {
    if (value.is_number_unsigned()) {
        if (value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return std::unexpected(hostile(call, "field \"" + name + "\" is out of range"));
        return static_cast<std::int64_t>(value.get<std::uint64_t>());
    }
    if (!value.is_number_integer())
        return std::unexpected(hostile(call, "field \"" + name + "\" is not an integer"));
    return value.get<std::int64_t>();
}

template <std::size_t N>
Result<std::array<std::byte, N>> hexField(const Call& call, const json& value, const std::string& name) {
    if (!value.is_string())
        return std::unexpected(hostile(call, "field \"" + name + "\" is not a string"));
    auto bytes = protocol::fixedFromHex<N>(value.get_ref<const std::string&>());
    if (!bytes)
        return std::unexpected(hostile(call, "field \"" + name + "\": " + bytes.error().detail));
    return *bytes;
}

Result<protocol::MemberId> memberField(const Call& call, const json& value, const std::string& name) {
    auto bytes = hexField<32>(call, value, name);
    if (!bytes)
        return std::unexpected(bytes.error());
    protocol::MemberId id;
    id.bytes = *bytes;
    return id;
}

Result<std::string> bodyText(const json& body) {
    try {
        // strict: a name or code that is not UTF-8 is our caller's error, not something to replace.
        return body.dump(-1, ' ', false, json::error_handler_t::strict);
    } catch (const json::exception&) {
        return fail(ErrorCode::InvalidInput, QStringLiteral("a name, code or field is not valid UTF-8"));
    }
}

/// Whole seconds from Retry-After, clamped to [0, 5]; 1 when absent or not a number.
std::chrono::seconds retryAfter(const HttpResponse& response) {
    const auto header = response.headers.find("retry-after");
    if (header == response.headers.end() || header->second.empty() || header->second.size() > 9 ||
        !std::ranges::all_of(header->second, [](char c) { return c >= '0' && c <= '9'; }))
        return std::chrono::seconds(1);
    return std::chrono::seconds(std::min<std::int64_t>(std::stoll(header->second), kMaxRetryAfterSeconds));
}

/// The status as an error, quoting the refusal's "message" when the body has one.
Error statusError(const Call& call, const HttpResponse& response, protocol::Head& conflictHead) {
    QString serverSays;
    std::optional<json> body;
    if (auto parsed = protocol::parseJson(response.body); parsed && parsed->is_object()) {
        body = std::move(*parsed);
        const auto message = body->find("message");
        if (message != body->end() && message->is_string())
            serverSays = QStringLiteral(": ") + shown(message->get_ref<const std::string&>());
    }
    const int status = response.status;
    const auto error = [&](ErrorCode code, const QString& text) {
        return Error{code, QStringLiteral("%1: %2 (HTTP %3%4)").arg(call.what, text).arg(status).arg(serverSays),
                     std::nullopt, status};
    };
    switch (status) {
    case 400:
    case 413:
        return error(ErrorCode::InvalidInput, QStringLiteral("the server refused the request as malformed or too "
                                                             "large"));
    case 401:
    case 403:
        return error(ErrorCode::Refused, QStringLiteral("the server refused"));
    case 404:
        return error(ErrorCode::NotFound, QStringLiteral("not found on the server"));
    case 409: {
        if (call.conflictCarriesHead) {
            if (!body || !body->contains("head"))
                return Error{ErrorCode::HostileResponse,
                             QStringLiteral("the server's conflict reply to %1 has no head").arg(call.what),
                             std::nullopt, status};
            auto decoded = protocol::headFromJson(body->at("head"));
            if (!decoded)
                return Error{ErrorCode::HostileResponse,
                             QStringLiteral("the server's conflict reply to %1 has a bad head: %2")
                                 .arg(call.what, shown(protocol::describe(decoded.error()))),
                             std::nullopt, status};
            conflictHead = *decoded;
            return error(ErrorCode::Conflict, QStringLiteral("the chain moved on the server (its head is now at "
                                                             "%1)")
                                                  .arg(conflictHead.seq));
        }
        return error(ErrorCode::Conflict, QStringLiteral("conflict"));
    }
    case 429:
        return error(ErrorCode::Server, QStringLiteral("the server kept rate-limiting this device; try again later"));
    default:
        break;
    }
    if (status >= 500)
        return error(ErrorCode::Server, QStringLiteral("the server failed; try again later"));
    if (status >= 400)
        return error(ErrorCode::InvalidInput, QStringLiteral("the server refused the request"));
    return Error{ErrorCode::HostileResponse,
                 QStringLiteral("the server answered %1 with the unexpected status %2").arg(call.what).arg(status),
                 std::nullopt, status};
}

std::int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string teamPath(const protocol::TeamId& team) {
    return "/v1/teams/" + protocol::hex(team.span());
}

/// Signs and sends one call (again after a 429, at most three times) and maps an error status; returns a
/// success body as received.
Result<std::string> exchangeText(Transport& transport, const crypto::SigningKeyPair& key,
                                 const ServerClient::Clock& clock, protocol::Head& conflictHead, const Call& call) {
    for (int attempt = 0;; ++attempt) {
        // A fresh signature (time, nonce) for every attempt: a nonce is never sent twice.
        HttpRequest request{call.method, call.path, call.query, call.body, {}};
        const std::int64_t now = clock ? clock() : unixNow();
        for (auto& [name, value] :
             protocol::signRequest(call.method, call.path, call.query, call.body, key, false, now))
            request.headers.emplace_back(name, std::move(value));
        auto response = transport.send(request);
        if (!response)
            return std::unexpected(response.error());
        if (response->status == 429 && attempt < kRateLimitRetries) {
            std::this_thread::sleep_for(retryAfter(*response));
            continue;
        }
        if (response->status != call.success)
            return std::unexpected(statusError(call, *response, conflictHead));
        return std::move(response->body);
    }
}

/// exchangeText() with the body parsed to JSON; the public methods fill the Call and decode the JSON's shape.
Result<json> exchange(Transport& transport, const crypto::SigningKeyPair& key, const ServerClient::Clock& clock,
                      protocol::Head& conflictHead, const Call& call) {
    auto body = exchangeText(transport, key, clock, conflictHead, call);
    if (!body)
        return std::unexpected(body.error());
    auto parsed = protocol::parseJson(*body);
    if (!parsed)
        return std::unexpected(hostile(call, "not JSON (" + protocol::describe(parsed.error()) + ")"));
    return std::move(*parsed);
}

/// Runs `body` and turns any exception (nlohmann, bad_alloc) into an error: none crosses the module.
template <typename F> auto guarded(const QString& what, F&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const std::exception& e) {
        return fail(ErrorCode::HostileResponse,
                    QStringLiteral("%1 failed while decoding the reply: %2").arg(what, shown(e.what())));
    }
}

} // namespace

#define COFFER_TRY(target, expression)                                                                                 \
    auto target = (expression);                                                                                        \
    if (!target)                                                                                                       \
        return std::unexpected(std::move(target.error()));

ServerClient::ServerClient(Transport& transport, const crypto::SigningKeyPair& deviceKey, Clock clock)
    : m_transport(transport)
    , m_key(deviceKey)
    , m_clock(std::move(clock)) {}

Result<protocol::Head> ServerClient::createTeam(const std::string& teamCode, const protocol::RosterEvent& genesis) {
    const QString what = QStringLiteral("create the team");
    return guarded(what, [&]() -> Result<protocol::Head> {
        COFFER_TRY(body, bodyText(json{{"code", teamCode}, {"genesis", protocol::toJson(genesis)}}));
        const Call call{what, "POST", "/v1/teams", "", std::move(*body), 201, false};
        COFFER_TRY(reply, exchange(m_transport, m_key, m_clock, m_conflictHead, call));
        COFFER_TRY(shape, exactFields(call, *reply, {"team", "head"}, "the reply"));
        COFFER_TRY(team, hexField<32>(call, reply->at("team"), "team"));
        if (*team != protocol::teamIdOf(genesis).bytes)
            return std::unexpected(hostile(call, "the team id is not the hash of our genesis event"));
        return decodeField<protocol::Head>(call, reply->at("head"), "head", protocol::headFromJson);
    });
}

Result<RosterPage> ServerClient::roster(const protocol::TeamId& team, std::uint64_t from) {
    const QString what = QStringLiteral("read the roster");
    return guarded(what, [&]() -> Result<RosterPage> {
        const Call call{what, "GET", teamPath(team) + "/roster", "from=" + std::to_string(from), "", 200, false};
        COFFER_TRY(reply, exchange(m_transport, m_key, m_clock, m_conflictHead, call));
        COFFER_TRY(shape, exactFields(call, *reply, {"events", "head"}, "the reply"));
        COFFER_TRY(events, decodeList<protocol::RosterEvent>(call, reply->at("events"), "events",
                                                             protocol::rosterEventFromJson));
        COFFER_TRY(head, decodeField<protocol::Head>(call, reply->at("head"), "head", protocol::headFromJson));
        return RosterPage{std::move(*events), *head};
    });
}

Result<protocol::Head> ServerClient::appendRoster(const protocol::TeamId& team, const protocol::Head& expectedHead,
                                                  const std::vector<protocol::RosterEvent>& events) {
    const QString what = QStringLiteral("append to the roster");
    return guarded(what, [&]() -> Result<protocol::Head> {
        json list = json::array();
        for (const auto& event : events)
            list.push_back(protocol::toJson(event));
        COFFER_TRY(body, bodyText(json{{"expectedHead", protocol::toJson(expectedHead)}, {"events", std::move(list)}}));
        const Call call{what, "POST", teamPath(team) + "/roster", "", std::move(*body), 200, true};
        COFFER_TRY(reply, exchange(m_transport, m_key, m_clock, m_conflictHead, call));
        COFFER_TRY(shape, exactFields(call, *reply, {"head"}, "the reply"));
        return decodeField<protocol::Head>(call, reply->at("head"), "head", protocol::headFromJson);
    });
}

Result<void> ServerClient::createInvite(const protocol::TeamId& team, const protocol::Hash& codeHash,
                                        std::int64_t expiresAt) {
    const QString what = QStringLiteral("create the invite");
    return guarded(what, [&]() -> Result<void> {
        COFFER_TRY(body, bodyText(json{{"codeHash", protocol::hex(codeHash.span())}, {"expiresAt", expiresAt}}));
        const Call call{what, "POST", teamPath(team) + "/invites", "", std::move(*body), 201, false};
        COFFER_TRY(reply, exchange(m_transport, m_key, m_clock, m_conflictHead, call));
        COFFER_TRY(shape, exactFields(call, *reply, {}, "the reply"));
        return {};
    });
}

Result<protocol::MemberId> ServerClient::acceptInvite(const protocol::TeamId& team, const std::string& code,
                                                      const protocol::MemberIdentity& identity) {
    const QString what = QStringLiteral("accept the invite");
    return guarded(what, [&]() -> Result<protocol::MemberId> {
        COFFER_TRY(body, bodyText(json{{"code", code}, {"identity", protocol::toJson(identity)}}));
        const Call call{what, "POST", teamPath(team) + "/invites/accept", "", std::move(*body), 200, false};
        COFFER_TRY(reply, exchange(m_transport, m_key, m_clock, m_conflictHead, call));
        COFFER_TRY(shape, exactFields(call, *reply, {"member"}, "the reply"));
        COFFER_TRY(member, memberField(call, reply->at("member"), "member"));
        if (*member != protocol::memberId(identity))
            return std::unexpected(hostile(call, "the member id is not the one of our identity"));
        return *member;
    });
}

Result<std::vector<Acceptance>> ServerClient::acceptances(const protocol::TeamId& team) {
    const QString what = QStringLiteral("read the invite acceptances");
    return guarded(what, [&]() -> Result<std::vector<Acceptance>> {
        const Call call{what, "GET", teamPath(team) + "/invites/accepted", "", "", 200, false};
        COFFER_TRY(reply, exchange(m_transport, m_key, m_clock, m_conflictHead, call));
        COFFER_TRY(shape, exactFields(call, *reply, {"acceptances"}, "the reply"));
        const json& list = reply->at("acceptances");
        if (!list.is_array())
            return std::unexpected(hostile(call, "field \"acceptances\" is not an array"));
        std::vector<Acceptance> out;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string where = "acceptances[" + std::to_string(i) + "]";
            COFFER_TRY(itemShape, exactFields(call, list[i], {"member", "identity", "acceptedAt"}, where));
            COFFER_TRY(member, memberField(call, list[i].at("member"), where + ".member"));
            COFFER_TRY(identity, decodeField<protocol::MemberIdentity>(
                                     call, list[i].at("identity"), where + ".identity", protocol::identityFromJson));
            COFFER_TRY(acceptedAt, signedField(call, list[i].at("acceptedAt"), where + ".acceptedAt"));
            out.push_back(Acceptance{*member, std::move(*identity), *acceptedAt});
        }
        return out;
    });
}

Result<void> ServerClient::putGrants(const protocol::TeamId& team, const std::vector<protocol::Grant>& grants) {
    const QString what = QStringLiteral("store the grants");
    return guarded(what, [&]() -> Result<void> {
        json list = json::array();
        for (const auto& grant : grants)
            list.push_back(protocol::toJson(grant));
        COFFER_TRY(body, bodyText(json{{"grants", std::move(list)}}));
        const Call call{what, "PUT", teamPath(team) + "/grants", "", std::move(*body), 200, false};
        COFFER_TRY(reply, exchange(m_transport, m_key, m_clock, m_conflictHead, call));
        COFFER_TRY(shape, exactFields(call, *reply, {"stored"}, "the reply"));
        COFFER_TRY(stored, unsignedField(call, reply->at("stored"), "stored"));
        if (*stored != grants.size())
            return std::unexpected(
                hostile(call, "it stored " + std::to_string(*stored) + " grants of " + std::to_string(grants.size())));
        return {};
    });
}

namespace {

Result<std::vector<protocol::Grant>> grantList(const Call& call, const json& reply) {
    COFFER_TRY(shape, exactFields(call, reply, {"grants"}, "the reply"));
    return decodeList<protocol::Grant>(call, reply.at("grants"), "grants", protocol::grantFromJson);
}

} // namespace

Result<std::vector<protocol::Grant>> ServerClient::myGrants(const protocol::TeamId& team) {
    const QString what = QStringLiteral("read this member's grants");
    return guarded(what, [&]() -> Result<std::vector<protocol::Grant>> {
        const Call call{what, "GET", teamPath(team) + "/grants", "", "", 200, false};
        COFFER_TRY(reply, exchange(m_transport, m_key, m_clock, m_conflictHead, call));
        return grantList(call, *reply);
    });
}

Result<std::vector<protocol::Grant>> ServerClient::environmentGrants(const protocol::TeamId& team,
                                                                     const protocol::EnvironmentId& environment) {
    const QString what = QStringLiteral("read the environment's grants");
    return guarded(what, [&]() -> Result<std::vector<protocol::Grant>> {
        const Call call{what, "GET", teamPath(team) + "/grants", "environment=" + protocol::hex(environment), "",
                        200,  false};
        COFFER_TRY(reply, exchange(m_transport, m_key, m_clock, m_conflictHead, call));
        return grantList(call, *reply);
    });
}

Result<protocol::Head> ServerClient::push(const protocol::TeamId& team, const protocol::EnvironmentId& environment,
                                          const protocol::Head& expectedHead,
                                          const std::vector<protocol::ChangeRecord>& records) {
    const QString what = QStringLiteral("push");
    return guarded(what, [&]() -> Result<protocol::Head> {
        json list = json::array();
        for (const auto& record : records)
            list.push_back(protocol::toJson(record));
        COFFER_TRY(body,
                   bodyText(json{{"expectedHead", protocol::toJson(expectedHead)}, {"records", std::move(list)}}));
        const Call call{
            what, "POST",           teamPath(team) + "/environments/" + protocol::hex(environment) + "/records",
            "",   std::move(*body), 200,
            true};
        COFFER_TRY(reply, exchange(m_transport, m_key, m_clock, m_conflictHead, call));
        COFFER_TRY(shape, exactFields(call, *reply, {"head"}, "the reply"));
        return decodeField<protocol::Head>(call, reply->at("head"), "head", protocol::headFromJson);
    });
}

Result<RecordPage> ServerClient::pull(const protocol::TeamId& team, const protocol::EnvironmentId& environment,
                                      std::uint64_t after, std::size_t limit) {
    const QString what = QStringLiteral("pull");
    return guarded(what, [&]() -> Result<RecordPage> {
        // The server takes 1..1000 (0 is a 400): ask for what it would serve anyway.
        const std::size_t pageSize = std::clamp<std::size_t>(limit, 1, kMaxPageRecords);
        const Call call{what,
                        "GET",
                        teamPath(team) + "/environments/" + protocol::hex(environment) + "/records",
                        "after=" + std::to_string(after) + "&limit=" + std::to_string(pageSize),
                        "",
                        200,
                        false};
        COFFER_TRY(body, exchangeText(m_transport, m_key, m_clock, m_conflictHead, call));
        // Decoded without a DOM (the pull is the one bulk reply), as strictly as the other replies.
        auto page = protocol::decodeRecordPage(*body);
        if (!page)
            return std::unexpected(hostile(call, page.error().detail));
        return RecordPage{std::move(page->records), page->head, page->more};
    });
}

Result<std::vector<AccessLogEntry>> ServerClient::accessLog(const protocol::TeamId& team, std::int64_t since,
                                                            std::size_t limit) {
    const QString what = QStringLiteral("read the access log");
    return guarded(what, [&]() -> Result<std::vector<AccessLogEntry>> {
        const std::size_t pageSize = std::clamp<std::size_t>(limit, 1, kMaxPageRecords);
        const Call call{what,
                        "GET",
                        teamPath(team) + "/access-log",
                        "since=" + std::to_string(std::max<std::int64_t>(since, 0)) +
                            "&limit=" + std::to_string(pageSize),
                        "",
                        200,
                        false};
        COFFER_TRY(reply, exchange(m_transport, m_key, m_clock, m_conflictHead, call));
        COFFER_TRY(shape, exactFields(call, *reply, {"entries"}, "the reply"));
        const json& list = reply->at("entries");
        if (!list.is_array())
            return std::unexpected(hostile(call, "field \"entries\" is not an array"));
        std::vector<AccessLogEntry> out;
        out.reserve(list.size());
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string where = "entries[" + std::to_string(i) + "]";
            COFFER_TRY(itemShape, exactFields(call, list[i], {"time", "member", "environment", "action"}, where));
            COFFER_TRY(time, signedField(call, list[i].at("time"), where + ".time"));
            COFFER_TRY(member, memberField(call, list[i].at("member"), where + ".member"));
            COFFER_TRY(environment, hexField<16>(call, list[i].at("environment"), where + ".environment"));
            const json& action = list[i].at("action");
            if (!action.is_string() || (action != "read" && action != "write"))
                return std::unexpected(hostile(call, "field \"" + where + ".action\" is not \"read\" or \"write\""));
            out.push_back(AccessLogEntry{*time, *member, *environment, action.get<std::string>()});
        }
        return out;
    });
}

#undef COFFER_TRY

} // namespace coffer::sync
