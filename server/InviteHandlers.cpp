// SPDX-License-Identifier: Apache-2.0
#include "server/InviteHandlers.h"

#include "crypto/Hash.h"
#include "crypto/Sign.h"
#include "server/Codes.h"
#include "server/Ids.h"
#include "server/JsonBody.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"

namespace coffer::server {

namespace {

constexpr std::int64_t kMaxInviteSeconds = 7 * 24 * 3600;
constexpr std::size_t kMaxCodeBytes = 256;

} // namespace

Response InviteHandlers::createInvite(Call& call) {
    if (auto team = hash256FromHex(call.team, "team"); !team)
        return std::move(team.error());
    auto admin = authorise(m_s, call, Need::Admin);
    if (!admin)
        return std::move(admin.error());

    auto body = JsonBody::parse(call.request.body, {"codeHash", "expiresAt"});
    if (!body)
        return std::move(body.error());
    auto hashText = body->string("codeHash", 64);
    if (!hashText)
        return std::move(hashText.error());
    if (auto hash = hash256FromHex(*hashText, "codeHash"); !hash)
        return std::move(hash.error());
    auto expiresAt = body->integer("expiresAt");
    if (!expiresAt)
        return std::move(expiresAt.error());
    const std::int64_t now = m_s.clock.unixSeconds();
    if (*expiresAt <= now || *expiresAt > now + kMaxInviteSeconds)
        return errorResponse(400, "expiresAt must be in the future and at most 7 days ahead");

    if (auto added = m_s.store.addInvite(call.team, *hashText, admin->memberId, *expiresAt); !added)
        return storeFailure(added.error()).error();
    return jsonResponse(201, nlohmann::json::object());
}

Response InviteHandlers::acceptInvite(Call& call) {
    if (auto team = hash256FromHex(call.team, "team"); !team)
        return std::move(team.error());
    // Signed by the invitee's own device key: they are not a member yet, so no session exists for them.
    auto caller = m_s.auth.authenticate(call.request, false);
    if (!caller)
        return std::move(caller.error());
    auto body = JsonBody::parse(call.request.body, {"code", "identity"});
    if (!body)
        return std::move(body.error());
    auto code = body->string("code", kMaxCodeBytes);
    if (!code)
        return std::move(code.error());
    auto identity = body->decoded("identity", protocol::identityFromJson);
    if (!identity)
        return std::move(identity.error());
    if (identity->signKey != caller->deviceKey)
        return errorResponse(403, "the identity must be sent by its own key");
    if (!crypto::verify(identity->signKey, protocol::identitySignedBytes(*identity), identity->selfSignature))
        return errorResponse(400, "the identity's self-signature does not verify");
    const std::string memberHex = crypto::toHex(protocol::memberId(*identity).bytes);
    call.member = memberHex;

    auto exists = m_s.store.teamExists(call.team);
    if (!exists)
        return storeFailure(exists.error()).error();
    if (!*exists)
        return errorResponse(404, "unknown team");
    const std::int64_t now = m_s.clock.unixSeconds();
    const InviteAcceptance acceptance{memberHex, protocol::toJson(*identity).dump(), now};
    auto accepted = m_s.store.acceptInvite(call.team, codeHash(*code), acceptance, now);
    if (!accepted)
        return storeFailure(accepted.error()).error();
    if (!*accepted)
        return errorResponse(403, "unknown, used or expired invite code"); // one message: no oracle
    return jsonResponse(200, {{"member", memberHex}});
}

Response InviteHandlers::listAccepted(Call& call) {
    if (auto team = hash256FromHex(call.team, "team"); !team)
        return std::move(team.error());
    auto admin = authorise(m_s, call, Need::Admin);
    if (!admin)
        return std::move(admin.error());

    auto rows = m_s.store.inviteAcceptances(call.team);
    if (!rows)
        return storeFailure(rows.error()).error();
    nlohmann::json list = nlohmann::json::array();
    for (const auto& row : *rows) {
        auto identity = protocol::parseJson(row.identityJson);
        if (!identity)
            return errorResponse(500, "internal error");
        list.push_back({{"member", row.memberId}, {"identity", std::move(*identity)}, {"acceptedAt", row.acceptedAt}});
    }
    return jsonResponse(200, {{"acceptances", std::move(list)}});
}

} // namespace coffer::server
