// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace coffer::server {

/// Request counters and latency histograms for GET /metrics, in the Prometheus text format 0.0.4.
/// Labels are route patterns ("/v1/teams/{team}/roster"), never concrete paths, so the number of
/// series stays fixed whatever clients send. Thread-safe.
class Metrics {
public:
    /// Upper bounds (seconds) of the latency histogram's buckets; +Inf is implied.
    static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                        0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

    /// Counts one request on `route` that ended with `status` and took `seconds`.
    void observe(std::string_view route, int status, double seconds);

    /// The exposition text: coffer_http_requests_total{route,status}, coffer_http_request_duration_seconds
    /// (histogram by route) and, when known, coffer_records_stored.
    [[nodiscard]] std::string render(std::optional<std::uint64_t> recordsStored) const;

private:
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> buckets{}; ///< not cumulative; summed when rendered
        std::uint64_t count = 0;
        double sum = 0;
    };

    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, int>, std::uint64_t, std::less<>> m_requests;
    std::map<std::string, Histogram, std::less<>> m_durations;
};

} // namespace coffer::server
