// SPDX-License-Identifier: Apache-2.0
#include "server/RequestLog.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>

namespace coffer::server {

RequestLog::RequestLog(bool enabled) {
    if (enabled) {
        m_sink = [](std::string_view line) {
            static_cast<void>(std::fwrite(line.data(), 1, line.size(), stderr));
            static_cast<void>(std::fflush(stderr));
        };
    }
}

RequestLog::RequestLog(Sink sink)
    : m_sink(std::move(sink)) {}

void RequestLog::write(const RequestLogEntry& entry) {
    if (!m_sink)
        return;
    const std::string line = format(entry);
    const std::scoped_lock lock(m_mutex);
    m_sink(line);
}

std::string RequestLog::format(const RequestLogEntry& entry) {
    std::tm parts{};
    const std::time_t seconds = static_cast<std::time_t>(entry.unixSeconds);
    gmtime_r(&seconds, &parts);
    char time[32];
    const std::size_t n = std::strftime(time, sizeof time, "%Y-%m-%dT%H:%M:%SZ", &parts);

    nlohmann::ordered_json line = {
        {"time", std::string(time, n)},
        {"route", entry.route},
        {"method", entry.method},
        {"status", entry.status},
        {"member", entry.member.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(entry.member)},
        {"durationMs", static_cast<double>(static_cast<std::int64_t>(entry.durationMs * 1000.0)) / 1000.0},
    };
    // Replace, never throw, on invalid UTF-8: every field is ours, but a log line must never fail.
    return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace coffer::server
