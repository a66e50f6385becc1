// SPDX-License-Identifier: Apache-2.0
#include "server/GrantHandlers.h"

#include "crypto/Hash.h"
#include "server/Ids.h"
#include "server/JsonBody.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/Verify.h"

#include <algorithm>
#include <vector>

namespace coffer::server {

namespace {

Response grantsPage(const std::vector<GrantRow>& rows) {
    std::string out = "{\"grants\":[";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i > 0)
            out.push_back(',');
        out += rows[i].json;
    }
    out += "]}";
    return rawJsonResponse(200, std::move(out));
}

} // namespace

Response GrantHandlers::putGrants(Call& call) {
    auto team = hash256FromHex(call.team, "team");
    if (!team)
        return std::move(team.error());
    auto admin = authorise(m_s, call, Need::Admin);
    if (!admin)
        return std::move(admin.error());

    auto body = JsonBody::parse(call.request.body, {"grants"});
    if (!body)
        return std::move(body.error());
    auto list = body->array("grants", m_s.limits.maxRecordsPerPush);
    if (!list)
        return std::move(list.error());
    auto roster = m_s.rosters.load(call.team);
    if (!roster)
        return std::move(roster.error());

    std::vector<GrantRow> rows;
    rows.reserve((*list)->size());
    for (const auto& item : **list) {
        const std::string position = "grant " + std::to_string(rows.size());
        auto grant = protocol::grantFromJson(item);
        if (!grant)
            return errorResponse(400, position + " is invalid: " + protocol::describe(grant.error()));
        if (grant->team != *team)
            return errorResponse(400, position + " is for another team");
        if (crypto::toHex(grant->admin.bytes) != admin->memberId)
            return errorResponse(403, position + " must be signed by the caller");
        if (auto verified = protocol::verifyGrant(*grant, **roster); !verified) {
            if (verified.error().code == protocol::ErrorCode::SignerNotAuthorised)
                return errorResponse(403, position + " is not authorised by the roster");
            return errorResponse(400, position + " is rejected: " + protocol::describe(verified.error()));
        }
        rows.push_back(GrantRow{crypto::toHex(grant->environment), grant->epoch, crypto::toHex(grant->member.bytes),
                                std::string(accessName(grant->access)), protocol::toJson(*grant).dump()});
    }
    if (auto stored = m_s.store.putGrants(call.team, rows); !stored)
        return storeFailure(stored.error()).error();
    return jsonResponse(200, {{"stored", rows.size()}});
}

Response GrantHandlers::readGrants(Call& call) {
    if (auto team = hash256FromHex(call.team, "team"); !team)
        return std::move(team.error());
    const auto environment = call.request.param("environment");
    if (environment) {
        if (auto id = environmentFromHex(*environment); !id)
            return std::move(id.error());
    }
    auto member = authorise(m_s, call, Need::Member);
    if (!member)
        return std::move(member.error());

    if (!environment) {
        auto rows = m_s.store.grantsForMember(call.team, member->memberId);
        if (!rows)
            return storeFailure(rows.error()).error();
        return grantsPage(*rows);
    }
    auto rows = m_s.store.grantsForEnvironment(call.team, *environment);
    if (!rows)
        return storeFailure(rows.error()).error();
    // A member verifying an environment's log needs every author's grants (the write check), so a
    // grantee of that environment (at any epoch: old epochs still hold history) may list them too.
    // A member revoked from this environment alone keeps its old-epoch grants (it could read that history
    // anyway); a member removed from the team is refused by authorise() before this.
    const bool grantee =
        std::ranges::any_of(*rows, [&](const GrantRow& row) { return row.memberId == member->memberId; });
    if (!isAdminRole(member->role) && !grantee)
        return errorResponse(403, "only an admin or a member holding a grant of this environment may list its grants");
    return grantsPage(*rows);
}

} // namespace coffer::server
