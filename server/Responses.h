// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/Request.h"
#include "server/Store.h"

#include <nlohmann/json.hpp>

#include <expected>
#include <optional>
#include <string_view>

/// Building the API's responses. Every refusal has the body {"error": "<code>", "message": "<line>"};
/// the message names what was wrong with the request and never echoes its content.
namespace coffer::server {

/// A handler step's result: the value, or the response that ends the request (a refusal).
template <typename T> using Outcome = std::expected<T, Response>;

/// A JSON response (Content-Type application/json).
[[nodiscard]] Response jsonResponse(int status, const nlohmann::json& body);
/// A JSON response from text that already is JSON (pages assembled from stored rows).
[[nodiscard]] Response rawJsonResponse(int status, std::string body);
/// {"error": code, "message": message}; the code follows the status (malformed, unauthenticated, …).
[[nodiscard]] Response errorResponse(int status, std::string_view message);
/// The refusal as an Outcome, for `return refuse(403, "…");` in a step returning Outcome<T>.
[[nodiscard]] std::unexpected<Response> refuse(int status, std::string_view message);
/// 503 when the database is unavailable, 500 otherwise; the detail stays in the server (never sent).
[[nodiscard]] std::unexpected<Response> storeFailure(const StoreError& error);
/// Keeps the first store failure that storeFailure() turns into a response on this thread while the
/// scope lives. The Api opens one per request, so the operator's log can say why a 503 or 500 happened
/// while the client only sees "storage unavailable". Every layer (Auth, RosterCache, the handlers)
/// refuses through storeFailure(), so none of them needs to know about the log.
class StoreFailureScope {
public:
    StoreFailureScope() noexcept;
    ~StoreFailureScope();
    StoreFailureScope(const StoreFailureScope&) = delete;
    StoreFailureScope& operator=(const StoreFailureScope&) = delete;

    [[nodiscard]] const std::optional<StoreError>& failure() const noexcept { return m_failure; }

private:
    friend std::unexpected<Response> storeFailure(const StoreError& error);
    std::optional<StoreError> m_failure;
    StoreFailureScope* m_outer = nullptr;
};

/// The error code string for a status ("malformed" for 400, …).
[[nodiscard]] std::string_view errorCodeFor(int status) noexcept;

} // namespace coffer::server
