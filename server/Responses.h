// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/Request.h"
#include "server/Store.h"

#include <nlohmann/json.hpp>

#include <expected>
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
/// The error code string for a status ("malformed" for 400, …).
[[nodiscard]] std::string_view errorCodeFor(int status) noexcept;

} // namespace coffer::server
