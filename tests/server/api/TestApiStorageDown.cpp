// SPDX-License-Identifier: Apache-2.0
// The database gone: every route answers 503 (or refuses earlier for the request's own faults),
// never 500 or a crash, and the operator's log says why without the client seeing the detail.
#include "tests/server/api/ApiHarness.h"

#include "sync/protocol/RequestAuth.h"

#include <QTest>

using namespace coffer;
using coffer::test::ManualClock;
using coffer::test::Member;
using server::StoreResult;

namespace {

/// Every call fails as a lost database connection does.
class UnavailableStore final : public server::Store {
public:
    template <typename T> static StoreResult<T> down() {
        return std::unexpected(server::StoreError{server::StoreErrorCode::Unavailable, "connection refused (test)"});
    }
    StoreResult<void> migrate() override { return down<void>(); }
    StoreResult<int> schemaVersion() override { return down<int>(); }
    StoreResult<void> addTeamCode(std::string_view, std::int64_t) override { return down<void>(); }
    StoreResult<bool> consumeTeamCode(std::string_view, std::int64_t) override { return down<bool>(); }
    StoreResult<bool> createTeam(std::string_view, const server::RosterRow&, const server::MemberRow&,
                                 std::int64_t) override {
        return down<bool>();
    }
    StoreResult<bool> teamExists(std::string_view) override { return down<bool>(); }
    StoreResult<void> addInvite(std::string_view, std::string_view, std::string_view, std::int64_t) override {
        return down<void>();
    }
    StoreResult<bool> acceptInvite(std::string_view, std::string_view, const server::InviteAcceptance&,
                                   std::int64_t) override {
        return down<bool>();
    }
    StoreResult<std::vector<server::InviteAcceptance>> inviteAcceptances(std::string_view) override {
        return down<std::vector<server::InviteAcceptance>>();
    }
    StoreResult<server::AppendOutcome> appendRoster(std::string_view, const server::ChainHead&,
                                                    const std::vector<server::RosterRow>&,
                                                    const std::vector<server::MemberRow>&) override {
        return down<server::AppendOutcome>();
    }
    StoreResult<std::vector<server::RosterRow>> readRoster(std::string_view, std::uint64_t) override {
        return down<std::vector<server::RosterRow>>();
    }
    StoreResult<server::ChainHead> rosterHead(std::string_view) override { return down<server::ChainHead>(); }
    StoreResult<std::optional<server::MemberRow>> memberBySignKey(std::string_view, std::string_view) override {
        return down<std::optional<server::MemberRow>>();
    }
    StoreResult<void> putGrants(std::string_view, const std::vector<server::GrantRow>&) override {
        return down<void>();
    }
    StoreResult<std::vector<server::GrantRow>> grantsForMember(std::string_view, std::string_view) override {
        return down<std::vector<server::GrantRow>>();
    }
    StoreResult<std::vector<server::GrantRow>> grantsForEnvironment(std::string_view, std::string_view) override {
        return down<std::vector<server::GrantRow>>();
    }
    StoreResult<std::optional<server::CurrentAccess>> currentAccess(std::string_view, std::string_view,
                                                                    std::string_view) override {
        return down<std::optional<server::CurrentAccess>>();
    }
    StoreResult<server::AppendOutcome> appendRecords(std::string_view, std::string_view, const server::ChainHead&,
                                                     const std::vector<server::RecordRow>&) override {
        return down<server::AppendOutcome>();
    }
    StoreResult<std::vector<server::RecordRow>> readRecords(std::string_view, std::string_view, std::uint64_t,
                                                            std::size_t) override {
        return down<std::vector<server::RecordRow>>();
    }
    StoreResult<server::ChainHead> environmentHead(std::string_view, std::string_view) override {
        return down<server::ChainHead>();
    }
    StoreResult<std::uint64_t> recordCount() override { return down<std::uint64_t>(); }
    StoreResult<bool> useNonce(std::string_view, std::string_view, std::int64_t) override { return down<bool>(); }
    StoreResult<void> pruneNonces(std::int64_t) override { return down<void>(); }
    StoreResult<void> putSession(std::string_view, std::string_view, std::int64_t) override { return down<void>(); }
    StoreResult<std::optional<std::string>> sessionDeviceKey(std::string_view, std::int64_t) override {
        return down<std::optional<std::string>>();
    }
    StoreResult<void> logAccess(std::string_view, const server::AccessLogRow&) override { return down<void>(); }
    StoreResult<std::vector<server::AccessLogRow>> readAccessLog(std::string_view, std::int64_t, std::size_t) override {
        return down<std::vector<server::AccessLogRow>>();
    }
};

} // namespace

class TestApiStorageDown : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyRouteAnswers503() {
        UnavailableStore store;
        ManualClock clock;
        std::vector<std::string> lines;
        server::RequestLog log([&](std::string_view line) { lines.emplace_back(line); });
        server::Api api(store, clock, {}, log);
        const Member member = Member::make("Member");
        const std::string team(64, 'a');
        const std::string environment(32, 'b');
        const std::vector<std::pair<std::string, std::string>> routes = {
            {"POST", "/v1/sessions"},
            {"POST", "/v1/teams"},
            {"GET", "/v1/teams/" + team + "/roster"},
            {"POST", "/v1/teams/" + team + "/roster"},
            {"POST", "/v1/teams/" + team + "/invites"},
            {"POST", "/v1/teams/" + team + "/invites/accept"},
            {"GET", "/v1/teams/" + team + "/invites/accepted"},
            {"PUT", "/v1/teams/" + team + "/grants"},
            {"GET", "/v1/teams/" + team + "/grants"},
            {"POST", "/v1/teams/" + team + "/environments/" + environment + "/records"},
            {"GET", "/v1/teams/" + team + "/environments/" + environment + "/records"},
            {"GET", "/v1/teams/" + team + "/access-log"},
        };
        for (const auto& [method, path] : routes) {
            auto request = server::Request::make(method, path, "{}");
            for (const auto& [name, value] : protocol::signRequest(method, request.path, request.query, request.body,
                                                                   member.sign, false, clock.seconds))
                request.headers.insert_or_assign(name, value);
            const server::Response response = api.handle(request);
            QVERIFY2(response.status == 503, (method + " " + path + ": " + std::to_string(response.status)).c_str());
            QCOMPARE(nlohmann::json::parse(response.body).at("error").get<std::string>(), "unavailable");
            QVERIFY(response.body.find("connection refused") == std::string::npos); // the detail stays inside
        }
        QCOMPARE(api.handle(server::Request::make("GET", "/healthz")).status, 503);
        const server::Response metrics = api.handle(server::Request::make("GET", "/metrics"));
        QCOMPARE(metrics.status, 200); // the counters are in memory; the gauge is left out
        QVERIFY(metrics.body.find("coffer_records_stored ") == std::string::npos);

        // One request line and one storage event per failed request (metrics alone has no event).
        std::size_t events = 0;
        for (const auto& line : lines) {
            const auto json = nlohmann::json::parse(line);
            if (json.contains("event")) {
                ++events;
                QCOMPARE(json.at("event").get<std::string>(), "storage_error");
                QCOMPARE(json.at("detail").get<std::string>(), "unavailable: connection refused (test)");
            }
        }
        QCOMPARE(events, routes.size() + 1);
        QCOMPARE(lines.size(), 2 * routes.size() + 2 + 1);
    }

    void eventsAreWrittenWhenRequestLinesAreOff() {
        std::vector<std::string> lines;
        server::RequestLog log([&](std::string_view line) { lines.emplace_back(line); });
        log.writeEvent(0, "storage_error", "unavailable: x");
        QCOMPARE(lines.size(), std::size_t{1});
        QCOMPARE(lines[0], std::string("{\"time\":\"1970-01-01T00:00:00Z\",\"event\":\"storage_error\",\"detail\":"
                                       "\"unavailable: x\"}\n"));
    }
};

QTEST_GUILESS_MAIN(TestApiStorageDown)
#include "TestApiStorageDown.moc"
