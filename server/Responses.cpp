// SPDX-License-Identifier: Apache-2.0
#include "server/Responses.h"

namespace coffer::server {

Response jsonResponse(int status, const nlohmann::json& body) {
    return rawJsonResponse(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response rawJsonResponse(int status, std::string body) {
    Response response;
    response.status = status;
    response.headers.emplace("Content-Type", "application/json");
    response.body = std::move(body);
    return response;
}

std::string_view errorCodeFor(int status) noexcept {
    switch (status) {
    case 400:
        return "malformed";
    case 401:
        return "unauthenticated";
    case 403:
        return "forbidden";
    case 404:
        return "not_found";
    case 409:
        return "conflict";
    case 413:
        return "too_large";
    case 429:
        return "rate_limited";
    case 503:
        return "unavailable";
    default:
        return "internal";
    }
}

Response errorResponse(int status, std::string_view message) {
    return jsonResponse(status, {{"error", errorCodeFor(status)}, {"message", message}});
}

std::unexpected<Response> refuse(int status, std::string_view message) {
    return std::unexpected(errorResponse(status, message));
}

std::unexpected<Response> storeFailure(const StoreError& error) {
    if (error.code == StoreErrorCode::Unavailable)
        return refuse(503, "storage unavailable");
    return refuse(500, "internal error");
}

} // namespace coffer::server
