// SPDX-License-Identifier: Apache-2.0
#include "server/TeamHandlers.h"

#include "crypto/Hash.h"
#include "server/Codes.h"
#include "server/Ids.h"
#include "server/JsonBody.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/RequestAuth.h"

#include <algorithm>
#include <vector>

namespace coffer::server {

namespace {

constexpr std::size_t kMaxCodeBytes = 256;

std::string hexOf(const crypto::Hash256& hash) {
    return crypto::toHex(hash.bytes);
}

/// 403 for a signer without the role, 400 for every other broken event (the client sent a bad chain).
Response rosterRefusal(const protocol::Error& error) {
    if (error.code == protocol::ErrorCode::SignerNotAuthorised)
        return errorResponse(403, "roster event " + std::to_string(error.position) + " is signed by a non-admin");
    return errorResponse(400, "roster event rejected: " + protocol::describe(error));
}

MemberRow memberRowOf(const protocol::RosterMember& member) {
    return MemberRow{hexOf(member.id), crypto::toHex(member.identity.signKey.bytes), std::string(roleName(member.role)),
                     member.removed};
}

} // namespace

Response TeamHandlers::createSession(Call& call) {
    auto caller = m_s.auth.authenticate(call.request, false);
    if (!caller)
        return std::move(caller.error());
    auto body = JsonBody::parse(call.request.body, {"team", "sessionKey", "expiresAt"});
    if (!body)
        return std::move(body.error());
    auto team = body->string("team", 64);
    if (!team)
        return std::move(team.error());
    if (auto id = hash256FromHex(*team, "team"); !id)
        return std::move(id.error());
    auto sessionKeyText = body->string("sessionKey", 64);
    if (!sessionKeyText)
        return std::move(sessionKeyText.error());
    if (auto key = signKeyFromHex(*sessionKeyText, "sessionKey"); !key)
        return std::move(key.error());
    auto expiresAt = body->integer("expiresAt");
    if (!expiresAt)
        return std::move(expiresAt.error());

    auto member = m_s.auth.member(*team, *caller);
    if (!member)
        return std::move(member.error());
    call.member = member->memberId;

    const std::int64_t now = m_s.clock.unixSeconds();
    if (*expiresAt <= now)
        return errorResponse(400, "expiresAt must be in the future");
    const std::int64_t capped = std::min(*expiresAt, now + protocol::kMaxSessionSeconds);
    // A live session key stays with the device that registered it: another member re-registering it
    // would have that device's requests run as its own.
    auto existing = m_s.store.sessionDeviceKey(*sessionKeyText, now);
    if (!existing)
        return storeFailure(existing.error()).error();
    if (*existing && **existing != caller->deviceKeyHex)
        return errorResponse(403, "this session key belongs to another device");
    if (auto stored = m_s.store.putSession(*sessionKeyText, caller->deviceKeyHex, capped); !stored)
        return storeFailure(stored.error()).error();
    return jsonResponse(200, {{"sessionKey", *sessionKeyText}, {"expiresAt", capped}});
}

Response TeamHandlers::createTeam(Call& call) {
    auto caller = m_s.auth.authenticate(call.request, false);
    if (!caller)
        return std::move(caller.error());
    auto body = JsonBody::parse(call.request.body, {"code", "genesis"});
    if (!body)
        return std::move(body.error());
    auto code = body->string("code", kMaxCodeBytes);
    if (!code)
        return std::move(code.error());
    auto genesis = body->decoded("genesis", protocol::rosterEventFromJson);
    if (!genesis)
        return std::move(genesis.error());
    if (genesis->subject.signKey != caller->deviceKey)
        return errorResponse(403, "the genesis must be sent by its subject's key");
    auto state = protocol::RosterState::fromGenesis(*genesis);
    if (!state)
        return errorResponse(400, "invalid genesis: " + protocol::describe(state.error()));

    const std::string team = hexOf(protocol::teamIdOf(*genesis));
    const protocol::Head head = state->head();
    auto exists = m_s.store.teamExists(team);
    if (!exists)
        return storeFailure(exists.error()).error();
    if (*exists)
        return errorResponse(409, "the team exists already");

    const std::int64_t now = m_s.clock.unixSeconds();
    auto consumed = m_s.store.consumeTeamCode(codeHash(*code), now);
    if (!consumed)
        return storeFailure(consumed.error()).error();
    if (!*consumed)
        return errorResponse(403, "unknown, used or expired team code");

    const auto* owner = state->memberBySignKey(genesis->subject.signKey);
    if (owner == nullptr)
        return errorResponse(400, "invalid genesis");
    const RosterRow row{0, hexOf(head.hash), protocol::toJson(*genesis).dump()};
    auto created = m_s.store.createTeam(team, row, memberRowOf(*owner), now);
    if (!created)
        return storeFailure(created.error()).error();
    if (!*created)
        return errorResponse(409, "the team exists already");
    call.member = hexOf(owner->id);
    return jsonResponse(201, {{"team", team}, {"head", protocol::toJson(head)}});
}

Response TeamHandlers::readRoster(Call& call) {
    if (auto team = hash256FromHex(call.team, "team"); !team)
        return std::move(team.error());
    auto from = unsignedParam(call.request.param("from"), "from", 0);
    if (!from)
        return std::move(from.error());
    auto member = authorise(m_s, call, Need::Member);
    if (!member)
        return std::move(member.error());

    auto rows = m_s.store.readRoster(call.team, *from);
    if (!rows)
        return storeFailure(rows.error()).error();
    auto head = m_s.store.rosterHead(call.team);
    if (!head)
        return storeFailure(head.error()).error();
    auto wireHead = toWireHead(*head);
    if (!wireHead)
        return std::move(wireHead.error());
    // Events are served as stored (the JSON the server wrote after verifying them), not re-encoded.
    std::string out = "{\"events\":[";
    for (std::size_t i = 0; i < rows->size(); ++i) {
        if (i > 0)
            out.push_back(',');
        out += (*rows)[i].json;
    }
    out += "],\"head\":" + protocol::toJson(*wireHead).dump() + "}";
    return rawJsonResponse(200, std::move(out));
}

Response TeamHandlers::appendRoster(Call& call) {
    if (auto team = hash256FromHex(call.team, "team"); !team)
        return std::move(team.error());
    auto admin = authorise(m_s, call, Need::Admin);
    if (!admin)
        return std::move(admin.error());

    auto body = JsonBody::parse(call.request.body, {"expectedHead", "events"});
    if (!body)
        return std::move(body.error());
    auto expected = body->decoded("expectedHead", protocol::headFromJson);
    if (!expected)
        return std::move(expected.error());
    auto eventsJson = body->array("events", m_s.limits.maxRecordsPerPush);
    if (!eventsJson)
        return std::move(eventsJson.error());
    std::vector<protocol::RosterEvent> events;
    events.reserve((*eventsJson)->size());
    for (const auto& item : **eventsJson) {
        auto event = protocol::rosterEventFromJson(item);
        if (!event) {
            return errorResponse(400, "roster event " + std::to_string(events.size()) +
                                          " is invalid: " + protocol::describe(event.error()));
        }
        events.push_back(std::move(*event));
    }

    auto current = m_s.rosters.load(call.team);
    if (!current)
        return std::move(current.error());
    const protocol::Head currentHead = (*current)->head();
    if (currentHead != *expected)
        return jsonResponse(
            409,
            {{"error", "conflict"}, {"message", "the roster head has moved"}, {"head", protocol::toJson(currentHead)}});

    protocol::RosterState next = **current;
    std::vector<RosterRow> rows;
    rows.reserve(events.size());
    for (const auto& event : events) {
        if (auto applied = next.apply(event); !applied)
            return rosterRefusal(applied.error());
        rows.push_back(RosterRow{event.seq, hexOf(protocol::rosterEventHash(event)), protocol::toJson(event).dump()});
    }
    std::vector<MemberRow> members;
    for (const auto& member : next.members())
        members.push_back(memberRowOf(member));

    auto outcome = m_s.store.appendRoster(call.team, toChainHead(*expected), rows, members);
    if (!outcome)
        return storeFailure(outcome.error()).error();
    auto head = toWireHead(outcome->head);
    if (!head)
        return std::move(head.error());
    if (!outcome->appended)
        return jsonResponse(
            409, {{"error", "conflict"}, {"message", "the roster head has moved"}, {"head", protocol::toJson(*head)}});
    return jsonResponse(200, {{"head", protocol::toJson(*head)}});
}

} // namespace coffer::server
