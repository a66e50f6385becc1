// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace coffer::server {

/// What one log line says about a request. There is deliberately no field for a body, a header, a
/// query, a path with ids, a code, a key or a signature: what the type cannot hold, the log cannot leak.
struct RequestLogEntry {
    std::int64_t unixSeconds = 0;
    std::string route;  ///< the route pattern ("/v1/teams/{team}/roster", "unmatched")
    std::string method; ///< one of the methods the API knows, or "OTHER"
    int status = 0;
    std::string member; ///< hex member id, "" when not known (unauthenticated or refused early)
    double durationMs = 0;
};

/// One JSON line per request: {"time","route","method","status","member","durationMs"}.
/// The sink receives whole lines (with the newline); the default sink writes them to stderr.
class RequestLog {
public:
    using Sink = std::function<void(std::string_view line)>;

    /// Writes to stderr. `enabled` false drops every entry (config log_requests = false).
    explicit RequestLog(bool enabled = true);
    /// Writes to `sink` (tests capture lines this way).
    explicit RequestLog(Sink sink);

    void write(const RequestLogEntry& entry);

    /// The line for `entry` (RFC 3339 UTC time with milliseconds omitted: seconds are what the clock gives).
    [[nodiscard]] static std::string format(const RequestLogEntry& entry);

private:
    Sink m_sink;
    std::mutex m_mutex; ///< whole lines, never interleaved
};

} // namespace coffer::server
