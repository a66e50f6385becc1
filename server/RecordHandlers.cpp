// SPDX-License-Identifier: Apache-2.0
#include "server/RecordHandlers.h"

#include "crypto/Hash.h"
#include "server/Ids.h"
#include "server/JsonBody.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/Verify.h"

#include <algorithm>
#include <vector>

namespace coffer::server {

namespace {

constexpr std::uint64_t kDefaultPageRecords = 500;

Response headConflict(const protocol::Head& head) {
    return jsonResponse(
        409, {{"error", "conflict"}, {"message", "the environment head has moved"}, {"head", protocol::toJson(head)}});
}

/// Best effort: the access log is for admins' review; a failed write must not fail the request it describes.
void logAccess(Store& store, const Call& call, std::int64_t now, std::string_view action) {
    static_cast<void>(
        store.logAccess(call.team, AccessLogRow{now, call.member, call.environment, std::string(action)}));
}

} // namespace

Response RecordHandlers::push(Call& call) {
    auto team = hash256FromHex(call.team, "team");
    if (!team)
        return std::move(team.error());
    auto environment = environmentFromHex(call.environment);
    if (!environment)
        return std::move(environment.error());
    auto member = authorise(m_s, call, Need::Member);
    if (!member)
        return std::move(member.error());

    auto access = m_s.store.currentAccess(call.team, call.environment, member->memberId);
    if (!access)
        return storeFailure(access.error()).error();
    if (!*access)
        return errorResponse(403, "no grant for this environment at its current epoch");
    if ((*access)->access != "write")
        return errorResponse(403, "read-only grant");
    const std::uint64_t epoch = (*access)->epoch;

    auto body = JsonBody::parse(call.request.body, {"expectedHead", "records"});
    if (!body)
        return std::move(body.error());
    auto expected = body->decoded("expectedHead", protocol::headFromJson);
    if (!expected)
        return std::move(expected.error());
    auto list = body->array("records", m_s.limits.maxRecordsPerPush);
    if (!list)
        return std::move(list.error());

    auto memberId = hash256FromHex(member->memberId, "member");
    if (!memberId)
        return errorResponse(500, "internal error");
    std::vector<protocol::ChangeRecord> records;
    records.reserve((*list)->size());
    for (const auto& item : **list) {
        const std::string position = "record " + std::to_string(records.size());
        auto record = protocol::recordFromJson(item);
        if (!record) {
            if (record.error().code == protocol::ErrorCode::LimitExceeded)
                return errorResponse(413, position + " is too large");
            return errorResponse(400, position + " is invalid: " + protocol::describe(record.error()));
        }
        if (record->ciphertext.size() > m_s.limits.maxRecordBytes)
            return errorResponse(413, position + " is too large");
        if (record->author != *memberId)
            return errorResponse(403, position + " is not authored by the caller");
        if (record->epoch != epoch)
            return errorResponse(403, position + " is not at the environment's current epoch");
        records.push_back(std::move(*record));
    }

    auto stored = m_s.store.environmentHead(call.team, call.environment);
    if (!stored)
        return storeFailure(stored.error()).error();
    auto storedHead = toWireHead(*stored);
    if (!storedHead)
        return std::move(storedHead.error());
    if (*storedHead != *expected)
        return headConflict(*storedHead);

    auto roster = m_s.rosters.load(call.team);
    if (!roster)
        return std::move(roster.error());
    const protocol::MemberId author = *memberId;
    protocol::LogVerifier verifier(
        *team, *environment, *expected, **roster,
        [&](const protocol::MemberId& who, std::uint64_t at) { return who == author && at == epoch; });
    auto verified = verifier.verify(records);
    if (!verified) {
        if (verified.error().code == protocol::ErrorCode::SignerNotAuthorised)
            return errorResponse(403, "records rejected: " + protocol::describe(verified.error()));
        return errorResponse(400, "records rejected: " + protocol::describe(verified.error()));
    }

    std::vector<RecordRow> rows;
    rows.reserve(records.size());
    for (const auto& record : records) {
        rows.push_back(RecordRow{record.seq, crypto::toHex(record.id),
                                 crypto::toHex(protocol::recordHash(record).bytes), member->memberId,
                                 record.batchSignature.has_value(), protocol::toJson(record).dump()});
    }
    auto outcome = m_s.store.appendRecords(call.team, call.environment, toChainHead(*expected), rows);
    if (!outcome)
        return storeFailure(outcome.error()).error();
    auto head = toWireHead(outcome->head);
    if (!head)
        return std::move(head.error());
    if (!outcome->appended)
        return headConflict(*head);
    logAccess(m_s.store, call, m_s.clock.unixSeconds(), "write");
    return jsonResponse(200, {{"head", protocol::toJson(*head)}});
}

Response RecordHandlers::pull(Call& call) {
    if (auto team = hash256FromHex(call.team, "team"); !team)
        return std::move(team.error());
    if (auto environment = environmentFromHex(call.environment); !environment)
        return std::move(environment.error());
    auto after = unsignedParam(call.request.param("after"), "after", 0);
    if (!after)
        return std::move(after.error());
    auto limit = unsignedParam(call.request.param("limit"), "limit", kDefaultPageRecords);
    if (!limit)
        return std::move(limit.error());
    if (*limit == 0)
        return errorResponse(400, "query parameter \"limit\" must be at least 1");
    const std::size_t pageSize = static_cast<std::size_t>(std::min<std::uint64_t>(*limit, m_s.limits.maxPageRecords));

    auto member = authorise(m_s, call, Need::Member);
    if (!member)
        return std::move(member.error());
    auto access = m_s.store.currentAccess(call.team, call.environment, member->memberId);
    if (!access)
        return storeFailure(access.error()).error();
    if (!*access)
        return errorResponse(403, "no grant for this environment at its current epoch");

    auto rows = m_s.store.readRecords(call.team, call.environment, *after, pageSize);
    if (!rows)
        return storeFailure(rows.error()).error();
    auto stored = m_s.store.environmentHead(call.team, call.environment);
    if (!stored)
        return storeFailure(stored.error()).error();
    auto head = toWireHead(*stored);
    if (!head)
        return std::move(head.error());
    const std::uint64_t last = rows->empty() ? *after : rows->back().seq;

    std::string out = "{\"records\":[";
    for (std::size_t i = 0; i < rows->size(); ++i) {
        if (i > 0)
            out.push_back(',');
        out += (*rows)[i].json;
    }
    out += "],\"head\":" + protocol::toJson(*head).dump() + ",\"more\":" + (last < head->seq ? "true" : "false") + "}";
    logAccess(m_s.store, call, m_s.clock.unixSeconds(), "read");
    return rawJsonResponse(200, std::move(out));
}

} // namespace coffer::server
