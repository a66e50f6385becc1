// SPDX-License-Identifier: Apache-2.0
#include "server/AccessLogHandlers.h"

#include "server/Ids.h"

#include <algorithm>

namespace coffer::server {

namespace {

constexpr std::uint64_t kDefaultEntries = 100;

} // namespace

Response AccessLogHandlers::read(Call& call) {
    if (auto team = hash256FromHex(call.team, "team"); !team)
        return std::move(team.error());
    auto since = unsignedParam(call.request.param("since"), "since", 0);
    if (!since)
        return std::move(since.error());
    auto limit = unsignedParam(call.request.param("limit"), "limit", kDefaultEntries);
    if (!limit)
        return std::move(limit.error());
    if (*limit == 0)
        return errorResponse(400, "query parameter \"limit\" must be at least 1");
    if (*since > static_cast<std::uint64_t>(INT64_MAX))
        return errorResponse(400, "query parameter \"since\" is out of range");
    auto admin = authorise(m_s, call, Need::Admin);
    if (!admin)
        return std::move(admin.error());

    const std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(*limit, m_s.limits.maxAccessLogEntries));
    auto rows = m_s.store.readAccessLog(call.team, static_cast<std::int64_t>(*since), count);
    if (!rows)
        return storeFailure(rows.error()).error();
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& row : *rows) {
        entries.push_back(
            {{"time", row.time}, {"member", row.memberId}, {"environment", row.environment}, {"action", row.action}});
    }
    return jsonResponse(200, {{"entries", std::move(entries)}});
}

} // namespace coffer::server
