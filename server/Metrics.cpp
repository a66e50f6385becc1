// SPDX-License-Identifier: Apache-2.0
#include "server/Metrics.h"

#include <cstdio>

namespace coffer::server {

namespace {

std::string labelValue(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\' || c == '"') {
            out.push_back('\\');
            out.push_back(c);
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string number(double value) {
    char buffer[64];
    const int n = std::snprintf(buffer, sizeof buffer, "%.9g", value);
    return std::string(buffer, static_cast<std::size_t>(n > 0 ? n : 0));
}

} // namespace

void Metrics::observe(std::string_view route, int status, double seconds) {
    const std::scoped_lock lock(m_mutex);
    ++m_requests[std::pair{std::string(route), status}];
    auto it = m_durations.find(route);
    if (it == m_durations.end())
        it = m_durations.emplace(std::string(route), Histogram{}).first;
    Histogram& histogram = it->second;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) {
            ++histogram.buckets[i];
            break;
        }
    }
    ++histogram.count;
    histogram.sum += seconds;
}

std::string Metrics::render(std::optional<std::uint64_t> recordsStored) const {
    std::string out;
    const std::scoped_lock lock(m_mutex);
    out += "# HELP coffer_http_requests_total HTTP requests handled, by route pattern and status.\n";
    out += "# TYPE coffer_http_requests_total counter\n";
    for (const auto& [key, count] : m_requests) {
        out += "coffer_http_requests_total{route=\"" + labelValue(key.first) + "\",status=\"" +
               std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
    }
    out += "# HELP coffer_http_request_duration_seconds Time to handle a request, by route pattern.\n";
    out += "# TYPE coffer_http_request_duration_seconds histogram\n";
    for (const auto& [route, histogram] : m_durations) {
        const std::string label = "route=\"" + labelValue(route) + "\"";
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += histogram.buckets[i];
            out += "coffer_http_request_duration_seconds_bucket{" + label + ",le=\"" + number(kBuckets[i]) + "\"} " +
                   std::to_string(cumulative) + "\n";
        }
        out += "coffer_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
               std::to_string(histogram.count) + "\n";
        out += "coffer_http_request_duration_seconds_sum{" + label + "} " + number(histogram.sum) + "\n";
        out += "coffer_http_request_duration_seconds_count{" + label + "} " + std::to_string(histogram.count) + "\n";
    }
    if (recordsStored) {
        out += "# HELP coffer_records_stored Change records held in the database (all teams).\n";
        out += "# TYPE coffer_records_stored gauge\n";
        out += "coffer_records_stored " + std::to_string(*recordsStored) + "\n";
    }
    return out;
}

} // namespace coffer::server
