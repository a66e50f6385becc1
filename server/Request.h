// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

/// The plain HTTP messages the API speaks. The HTTP layer (HttpServer) only converts to and from
/// these, so every request can be handled, tested and fuzzed in process without a socket.
namespace coffer::server {

/// ASCII case-insensitive ordering: HTTP header names are case-insensitive.
struct CaseInsensitiveLess {
    using is_transparent = void;
    [[nodiscard]] bool operator()(std::string_view a, std::string_view b) const noexcept;
};

using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;
using QueryParams = std::map<std::string, std::string, std::less<>>;

struct Request {
    std::string method; ///< upper case, as sent
    std::string path;   ///< as sent, without the query (the bytes the client signed)
    std::string query;  ///< as sent, without '?' ("" when none); the signed form
    QueryParams params; ///< `query` decoded (the first value of a repeated name wins)
    Headers headers;
    std::string body;

    /// The header's value, or nullopt when absent.
    [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
    /// The query parameter's value, or nullopt when absent.
    [[nodiscard]] std::optional<std::string> param(std::string_view name) const;

    /// A request for `target` ("/path?query"): splits path and query and decodes the parameters.
    [[nodiscard]] static Request make(std::string method, std::string_view target, std::string body = {},
                                      Headers headers = {});
};

/// Decodes "a=1&b=x%20y" (percent escapes and '+' as space). Malformed escapes are kept as they are:
/// a parameter the API needs then fails its own check.
[[nodiscard]] QueryParams parseQuery(std::string_view query);

struct Response {
    int status = 200;
    Headers headers;
    std::string body;
};

} // namespace coffer::server
