// SPDX-License-Identifier: Apache-2.0
// The Prometheus text format of GET /metrics: HELP/TYPE lines, counters by route and status,
// cumulative histogram buckets with +Inf, _sum and _count, the records gauge, label escaping.
#include "server/Metrics.h"

#include <QTest>

#include <regex>
#include <sstream>

using namespace coffer::server;

namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

bool has(const std::string& text, const std::string& line) {
    return text.find(line + "\n") != std::string::npos;
}

} // namespace

class TestMetrics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void emptyHasTheTypesAndTheGauge() {
        const Metrics metrics;
        const std::string text = metrics.render(7);
        QVERIFY(has(text, "# TYPE coffer_http_requests_total counter"));
        QVERIFY(has(text, "# TYPE coffer_http_request_duration_seconds histogram"));
        QVERIFY(has(text, "# TYPE coffer_records_stored gauge"));
        QVERIFY(has(text, "coffer_records_stored 7"));
        QVERIFY(!metrics.render(std::nullopt).contains("coffer_records_stored "));
    }

    void countersByRouteAndStatus() {
        Metrics metrics;
        metrics.observe("/healthz", 200, 0.0001);
        metrics.observe("/healthz", 200, 0.0002);
        metrics.observe("/v1/teams/{team}/roster", 403, 0.003);
        const std::string text = metrics.render(0);
        QVERIFY(has(text, "coffer_http_requests_total{route=\"/healthz\",status=\"200\"} 2"));
        QVERIFY(has(text, "coffer_http_requests_total{route=\"/v1/teams/{team}/roster\",status=\"403\"} 1"));
    }

    void histogramIsCumulative() {
        Metrics metrics;
        metrics.observe("/r", 200, 0.0005); // <= 0.001
        metrics.observe("/r", 200, 0.02);   // <= 0.025
        metrics.observe("/r", 500, 30.0);   // only +Inf
        const std::string text = metrics.render(0);
        QVERIFY(has(text, "coffer_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.001\"} 1"));
        QVERIFY(has(text, "coffer_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.01\"} 1"));
        QVERIFY(has(text, "coffer_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.025\"} 2"));
        QVERIFY(has(text, "coffer_http_request_duration_seconds_bucket{route=\"/r\",le=\"10\"} 2"));
        QVERIFY(has(text, "coffer_http_request_duration_seconds_bucket{route=\"/r\",le=\"+Inf\"} 3"));
        QVERIFY(has(text, "coffer_http_request_duration_seconds_count{route=\"/r\"} 3"));
        QVERIFY(has(text, "coffer_http_request_duration_seconds_sum{route=\"/r\"} 30.0205"));
    }

    void everyLineIsWellFormed() {
        Metrics metrics;
        metrics.observe("/a", 200, 0.1);
        metrics.observe("/b", 404, 1.5);
        // name{labels} value, or a # HELP / # TYPE comment: what a Prometheus scraper accepts.
        const std::regex sample("^[a-z_]+(\\{[a-z]+=\"[^\"\\\\]*\"(,[a-z]+=\"[^\"\\\\]*\")*\\})? [0-9.e+-]+$");
        const std::regex comment("^# (HELP|TYPE) [a-z_]+ .+$");
        const std::string text = metrics.render(3);
        QVERIFY(text.ends_with("\n"));
        for (const auto& line : lines(text))
            QVERIFY2(std::regex_match(line, sample) || std::regex_match(line, comment), line.c_str());
    }

    void labelValuesAreEscaped() {
        Metrics metrics;
        metrics.observe("a\"b\\c\nd", 200, 0.1);
        const std::string text = metrics.render(0);
        QVERIFY(text.contains("route=\"a\\\"b\\\\c\\nd\""));
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "TestMetrics.moc"
