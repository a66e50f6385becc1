// SPDX-License-Identifier: Apache-2.0
#include "server/RequestLog.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>

namespace coffer::server {

RequestLog::RequestLog(bool enabled)
    : m_sink([](std::string_view line) {
        static_cast<void>(std::fwrite(line.data(), 1, line.size(), stderr));
        static_cast<void>(std::fflush(stderr));
    })
    , m_requests(enabled) {}

RequestLog::RequestLog(Sink sink)
    : m_sink(std::move(sink)) {}

void RequestLog::write(const RequestLogEntry& entry) {
    if (!m_sink || !m_requests)
        return;
    const std::string line = format(entry);
    const std::scoped_lock lock(m_mutex);
    m_sink(line);
}

void RequestLog::writeEvent(std::int64_t unixSeconds, std::string_view event, std::string_view detail) {
    if (!m_sink)
        return;
    const nlohmann::ordered_json json = {{"time", utcTime(unixSeconds)}, {"event", event}, {"detail", detail}};
    const std::string line = json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    const std::scoped_lock lock(m_mutex);
    m_sink(line);
}

std::string RequestLog::utcTime(std::int64_t unixSeconds) {
    std::tm parts{};
    const std::time_t seconds = static_cast<std::time_t>(unixSeconds);
    gmtime_r(&seconds, &parts);
    char time[32];
    const std::size_t n = std::strftime(time, sizeof time, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return std::string(time, n);
}

std::string RequestLog::format(const RequestLogEntry& entry) {
    nlohmann::ordered_json line = {
        {"time", utcTime(entry.unixSeconds)},
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
