// SPDX-License-Identifier: Apache-2.0
// HttpServer over a real socket on 127.0.0.1:0, in process: the conversion keeps the path and query
// exactly as sent (the signature covers them), httplib's own refusals get the API's error body and are
// logged, and stop() lets a request in flight finish before run() returns.
#include "tests/server/api/ApiHarness.h"

#include "server/HttpServer.h"
#include "sync/protocol/RequestAuth.h"

#include <QTest>

#include <httplib.h>

#include <future>
#include <thread>

using namespace coffer;
using coffer::test::Member;

namespace {

constexpr auto kPatience = std::chrono::seconds(60); // a hang fails the test instead of blocking it

/// A server on a free port, running on its own thread.
class RunningServer {
public:
    explicit RunningServer(server::Limits limits)
        : log([this](std::string_view line) { onLine(line); }) {
        auto opened = server::openStore("sqlite:" + m_dir.filePath(QStringLiteral("s.db")).toStdString());
        if (!opened)
            qFatal("cannot open the store");
        store = std::move(*opened);
        api = std::make_unique<server::Api>(*store, clock, limits, log);
        server::HttpServerOptions options;
        options.host = "127.0.0.1";
        options.port = 0;
        options.threads = 2;
        options.maxBodyBytes = limits.maxBodyBytes;
        http = std::make_unique<server::HttpServer>(*api, options);
        auto bound = http->bind();
        if (!bound)
            qFatal("cannot bind: %s", bound.error().c_str());
        port = *bound;
        runner = std::async(std::launch::async, [this] { return http->run(); });
    }
    ~RunningServer() {
        http->stop();
        if (runner.valid())
            runner.wait();
    }

    void onLine(std::string_view line) {
        bool block = false;
        {
            const std::scoped_lock lock(mutex);
            lines.emplace_back(line);
            if (blockNextHealthz && line.find("\"/healthz\"") != std::string_view::npos) {
                blockNextHealthz = false;
                block = true;
            }
        }
        if (block) {
            entered.set_value();
            release.wait(); // the request stays in flight until the test releases it
        }
    }

    std::vector<std::string> linesSoFar() {
        const std::scoped_lock lock(mutex);
        return lines;
    }

    server::SystemClock clock;
    std::mutex mutex;
    std::vector<std::string> lines;
    bool blockNextHealthz = false;
    std::promise<void> entered;
    std::promise<void> releaser;
    std::shared_future<void> release = releaser.get_future().share();
    server::RequestLog log;
    std::unique_ptr<server::Store> store;
    std::unique_ptr<server::Api> api;
    std::unique_ptr<server::HttpServer> http;
    int port = 0;
    std::future<bool> runner;

private:
    QTemporaryDir m_dir;
};

} // namespace

class TestHttpServer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void healthzAndUnknownRoutes() {
        RunningServer s({});
        QVERIFY(s.port > 0);
        httplib::Client client("127.0.0.1", s.port);
        const auto health = client.Get("/healthz");
        QVERIFY(health);
        QCOMPARE(health->status, 200);
        QCOMPARE(health->body, std::string("{\"status\":\"ok\"}"));
        QCOMPARE(health->get_header_value("Content-Type"), std::string("application/json"));
        const auto missing = client.Get("/v2/nothing");
        QVERIFY(missing);
        QCOMPARE(missing->status, 404);
        QCOMPARE(nlohmann::json::parse(missing->body).at("error").get<std::string>(), "not_found");
        const auto metrics = client.Get("/metrics");
        QVERIFY(metrics);
        QVERIFY(metrics->body.find("coffer_http_requests_total{route=\"/healthz\",status=\"200\"} 1") !=
                std::string::npos);
    }

    void pathAndQueryReachTheApiAsSent() {
        RunningServer s({});
        const Member someone = Member::make("Someone");
        // An escaped query: the signature covers "from=%30", the API reads from=0.
        const std::string path = "/v1/teams/" + std::string(64, 'a') + "/roster";
        const std::string query = "from=%30";
        const auto headers = protocol::signRequest("GET", path, query, "", someone.sign, false, s.clock.unixSeconds());
        httplib::Headers sent;
        for (const auto& [name, value] : headers)
            sent.emplace(name, value);
        httplib::Client client("127.0.0.1", s.port);
        const auto reply = client.Get(path + "?" + query, sent);
        QVERIFY(reply);
        // Authenticated (not 401): the team is unknown.
        QCOMPARE(reply->status, 404);
        QCOMPARE(nlohmann::json::parse(reply->body).at("message").get<std::string>(), "unknown team");
    }

    void bodyOverTheBoundIsRefusedWhileReading() {
        server::Limits limits;
        limits.maxBodyBytes = 2048;
        RunningServer s(limits);
        httplib::Client client("127.0.0.1", s.port);
        const auto reply = client.Post("/v1/teams", std::string(3000, 'x'), "application/json");
        QVERIFY(reply);
        QCOMPARE(reply->status, 413);
        QCOMPARE(nlohmann::json::parse(reply->body).at("error").get<std::string>(), "too_large");
        const auto lines = s.linesSoFar();
        QCOMPARE(lines.size(), std::size_t{1});
        const auto logged = nlohmann::json::parse(lines[0]);
        QCOMPARE(logged.at("route").get<std::string>(), "transport");
        QCOMPARE(logged.at("status").get<int>(), 413);
        QCOMPARE(logged.at("method").get<std::string>(), "POST");
    }

    void stopLetsTheRequestInFlightFinish() {
        RunningServer s({});
        {
            const std::scoped_lock lock(s.mutex);
            s.blockNextHealthz = true;
        }
        auto reply = std::async(std::launch::async, [&s] {
            httplib::Client client("127.0.0.1", s.port);
            client.set_read_timeout(120, 0);
            auto result = client.Get("/healthz");
            return result ? result->status : -1;
        });
        QVERIFY(s.entered.get_future().wait_for(kPatience) == std::future_status::ready);
        // The request is inside the Api now. Stop, then let it go on.
        auto stopper = std::async(std::launch::async, [&s] { s.http->stop(); });
        QVERIFY(stopper.wait_for(kPatience) == std::future_status::ready);
        s.releaser.set_value();
        QVERIFY(reply.wait_for(kPatience) == std::future_status::ready);
        QCOMPARE(reply.get(), 200);
        QVERIFY(s.runner.wait_for(kPatience) == std::future_status::ready);
        QVERIFY(s.runner.get());
        // Not accepting any more.
        httplib::Client late("127.0.0.1", s.port);
        late.set_connection_timeout(2, 0);
        QVERIFY(!late.Get("/healthz"));
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "TestHttpServer.moc"
