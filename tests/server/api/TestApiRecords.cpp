// SPDX-License-Identifier: Apache-2.0
// Environment logs through the in-process Api: push needs write at the current epoch with the caller
// as author, pull needs a grant at the current epoch, compare-and-append gives 409 with the head,
// bounds give 413, and reads and writes land in the access log.
#include "tests/server/api/ApiHarness.h"

#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"

#include <QTest>

using namespace coffer;
using coffer::test::ApiHarness;
using coffer::test::Member;
using coffer::test::Reply;
using coffer::test::Signing;
using coffer::test::Team;
using protocol::Access;
using protocol::Head;
using protocol::Role;

class TestApiRecords : public QObject {
    Q_OBJECT

    struct Fixture {
        explicit Fixture(server::Limits limits)
            : h(limits) {}
        ApiHarness h;
        Member owner = Member::make("Owner");
        Member writer = Member::make("Writer");
        Member reader = Member::make("Reader");
        Member outsider = Member::make("Member without a grant");
        Team team;
        protocol::EnvironmentId environment = ApiHarness::newEnvironment();
        std::string records;
    };

    /// owner (admin), writer (write at epoch 1), reader (read at epoch 1), outsider (no grant).
    static std::unique_ptr<Fixture> fixture(server::Limits limits = {}) {
        auto f = std::make_unique<Fixture>(limits);
        auto& h = f->h;
        auto team = h.createTeam(f->owner);
        if (!team)
            return nullptr;
        f->team = *team;
        if (!h.addMember(f->team, f->owner, f->writer, Role::Member) ||
            !h.addMember(f->team, f->owner, f->reader, Role::Member) ||
            !h.addMember(f->team, f->owner, f->outsider, Role::Member))
            return nullptr;
        const Reply grants = h.putGrants(f->team, f->owner,
                                         {h.grant(f->team, f->owner, f->writer, f->environment, 1, Access::Write),
                                          h.grant(f->team, f->owner, f->reader, f->environment, 1, Access::Read)});
        if (grants.status != 200)
            return nullptr;
        f->records = ApiHarness::envPath(f->team, f->environment) + "/records";
        return f;
    }

    static Head headOf(const std::vector<protocol::ChangeRecord>& records) {
        return Head{records.back().seq, protocol::recordHash(records.back())};
    }

private Q_SLOTS:
    void pushThenPull() {
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        const auto records = h.batch(f->team, f->environment, f->writer, 1, Head{}, 3);
        const Reply pushed = h.push(f->team, f->environment, f->writer, Head{}, records);
        QCOMPARE(pushed.status, 200);
        QCOMPARE(pushed.json.at("head").dump(), (protocol::toJson(headOf(records))).dump());

        for (const Member* member : {&f->writer, &f->reader}) {
            const Reply pulled = h.get(f->records, *member);
            QCOMPARE(pulled.status, 200);
            QCOMPARE(pulled.json.at("records").size(), std::size_t{3});
            for (std::size_t i = 0; i < 3; ++i)
                QCOMPARE(pulled.json.at("records")[i].dump(), (protocol::toJson(records[i])).dump());
            QCOMPARE(pulled.json.at("head").dump(), (protocol::toJson(headOf(records))).dump());
            QCOMPARE(pulled.json.at("more").get<bool>(), false);
        }
        const Reply after = h.get(f->records + "?after=3", f->reader);
        QCOMPARE(after.status, 200);
        QCOMPARE(after.json.at("records").size(), std::size_t{0});

        const Reply metrics = h.send("GET", "/metrics", std::string{}, nullptr);
        QVERIFY(metrics.body.find("coffer_records_stored 3\n") != std::string::npos);
    }

    void pagesEndOnABatchEnd() {
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        const auto first = h.batch(f->team, f->environment, f->writer, 1, Head{}, 3);
        QCOMPARE(h.push(f->team, f->environment, f->writer, Head{}, first).status, 200);
        const auto second = h.batch(f->team, f->environment, f->writer, 1, headOf(first), 2);
        QCOMPARE(h.push(f->team, f->environment, f->writer, headOf(first), second).status, 200);

        const Reply page = h.get(f->records + "?after=0&limit=1", f->reader);
        QCOMPARE(page.status, 200);
        QCOMPARE(page.json.at("records").size(), std::size_t{3}); // extended to the first batch's signature
        QCOMPARE(page.json.at("more").get<bool>(), true);
        const Reply next = h.get(f->records + "?after=3&limit=1", f->reader);
        QCOMPARE(next.json.at("records").size(), std::size_t{2});
        QCOMPARE(next.json.at("more").get<bool>(), false);
        QCOMPARE(h.get(f->records + "?limit=0", f->reader).status, 400);
        QCOMPARE(h.get(f->records + "?after=-1", f->reader).status, 400);
    }

    void pushOnAStaleHeadIsAConflictWithTheHead() {
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        const auto first = h.batch(f->team, f->environment, f->writer, 1, Head{}, 2);
        QCOMPARE(h.push(f->team, f->environment, f->writer, Head{}, first).status, 200);
        const auto late = h.batch(f->team, f->environment, f->writer, 1, Head{}, 1);
        const Reply reply = h.push(f->team, f->environment, f->writer, Head{}, late);
        QCOMPARE(reply.status, 409);
        QCOMPARE(reply.json.at("error").get<std::string>(), "conflict");
        QCOMPARE(reply.json.at("head").dump(), (protocol::toJson(headOf(first))).dump());
    }

    void accessRefusals_data() {
        QTest::addColumn<QByteArray>("kind");
        QTest::addColumn<int>("status");
        QTest::newRow("push with a read-only grant") << QByteArray("read-only push") << 403;
        QTest::newRow("push without a grant") << QByteArray("no grant push") << 403;
        QTest::newRow("pull without a grant") << QByteArray("no grant pull") << 403;
        QTest::newRow("push by a stranger") << QByteArray("stranger push") << 403;
        QTest::newRow("records by another author") << QByteArray("other author") << 403;
        QTest::newRow("records at an old epoch") << QByteArray("old epoch") << 403;
        QTest::newRow("pull with a grant of an old epoch only") << QByteArray("old epoch pull") << 403;
    }
    void accessRefusals() {
        QFETCH(QByteArray, kind);
        QFETCH(int, status);
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        Reply reply;
        if (kind == QByteArray("read-only push")) {
            reply = h.push(f->team, f->environment, f->reader, Head{},
                           h.batch(f->team, f->environment, f->reader, 1, Head{}, 1));
        } else if (kind == QByteArray("no grant push")) {
            reply = h.push(f->team, f->environment, f->outsider, Head{},
                           h.batch(f->team, f->environment, f->outsider, 1, Head{}, 1));
        } else if (kind == QByteArray("no grant pull")) {
            reply = h.get(f->records, f->outsider);
        } else if (kind == QByteArray("stranger push")) {
            const Member stranger = Member::make("Stranger");
            reply = h.push(f->team, f->environment, stranger, Head{},
                           h.batch(f->team, f->environment, stranger, 1, Head{}, 1));
        } else if (kind == QByteArray("other author")) {
            // The writer sends records that the reader authored (and signed).
            reply = h.push(f->team, f->environment, f->writer, Head{},
                           h.batch(f->team, f->environment, f->reader, 1, Head{}, 1));
        } else if (kind == QByteArray("old epoch") || kind == QByteArray("old epoch pull")) {
            // Epoch 2 starts (a rotation): the writer's epoch-1 write grant is no longer current.
            QCOMPARE(
                h.putGrants(f->team, f->owner, {h.grant(f->team, f->owner, f->owner, f->environment, 2, Access::Write)})
                    .status,
                200);
            if (kind == QByteArray("old epoch"))
                reply = h.push(f->team, f->environment, f->writer, Head{},
                               h.batch(f->team, f->environment, f->writer, 1, Head{}, 1));
            else
                reply = h.get(f->records, f->reader);
        }
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.json.at("error").get<std::string>(), "forbidden");
        auto count = h.store->recordCount();
        QVERIFY(count);
        QCOMPARE(*count, std::uint64_t{0});
    }

    void ownerWritesAtTheNewEpoch() {
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        QCOMPARE(
            h.putGrants(f->team, f->owner, {h.grant(f->team, f->owner, f->owner, f->environment, 2, Access::Write)})
                .status,
            200);
        QCOMPARE(
            h.push(f->team, f->environment, f->owner, Head{}, h.batch(f->team, f->environment, f->owner, 2, Head{}, 1))
                .status,
            200);
    }

    void brokenBatches_data() {
        QTest::addColumn<QByteArray>("kind");
        QTest::newRow("ciphertext changed after signing") << QByteArray("tampered");
        QTest::newRow("no batch signature") << QByteArray("unsigned");
        QTest::newRow("gap in seq") << QByteArray("gap");
        QTest::newRow("broken previous hash") << QByteArray("previous");
        QTest::newRow("another environment") << QByteArray("environment");
    }
    void brokenBatches() {
        QFETCH(QByteArray, kind);
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        auto records = h.batch(f->team, f->environment, f->writer, 1, Head{}, 3);
        if (kind == QByteArray("tampered")) {
            records[1].ciphertext[0] ^= std::byte{1};
        } else if (kind == QByteArray("unsigned")) {
            records.back().batchSignature.reset();
        } else if (kind == QByteArray("gap")) {
            records.erase(records.begin() + 1);
        } else if (kind == QByteArray("previous")) {
            records[2].previous.bytes[0] ^= std::byte{1};
        } else if (kind == QByteArray("environment")) {
            records = h.batch(f->team, ApiHarness::newEnvironment(), f->writer, 1, Head{}, 3);
        }
        const Reply reply = h.push(f->team, f->environment, f->writer, Head{}, records);
        QCOMPARE(reply.status, 400);
        auto count = h.store->recordCount();
        QVERIFY(count);
        QCOMPARE(*count, std::uint64_t{0});
    }

    void tooManyRecordsIs413() {
        server::Limits limits;
        limits.maxRecordsPerPush = 4;
        auto f = fixture(limits);
        QVERIFY(f);
        auto& h = f->h;
        QCOMPARE(h.push(f->team, f->environment, f->writer, Head{},
                        h.batch(f->team, f->environment, f->writer, 1, Head{}, 5))
                     .status,
                 413);
        QCOMPARE(h.push(f->team, f->environment, f->writer, Head{},
                        h.batch(f->team, f->environment, f->writer, 1, Head{}, 4))
                     .status,
                 200);
    }

    void tooLargeRecordIs413() {
        server::Limits limits;
        limits.maxRecordBytes = 1000;
        auto f = fixture(limits);
        QVERIFY(f);
        auto& h = f->h;
        QCOMPARE(h.push(f->team, f->environment, f->writer, Head{},
                        h.batch(f->team, f->environment, f->writer, 1, Head{}, 2, 1001))
                     .status,
                 413);
        QCOMPARE(h.push(f->team, f->environment, f->writer, Head{},
                        h.batch(f->team, f->environment, f->writer, 1, Head{}, 2, 1000))
                     .status,
                 200);
    }

    void removedWriterIsRefusedAtOnce() {
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        const auto first = h.batch(f->team, f->environment, f->writer, 1, Head{}, 1);
        QCOMPARE(h.push(f->team, f->environment, f->writer, Head{}, first).status, 200);
        QCOMPARE(
            h.appendRoster(f->team, f->owner,
                           h.rosterEvent(f->team, f->owner, f->writer, protocol::RosterEventKind::Remove, Role::Member))
                .status,
            200);
        // Its grant still exists (no rotation yet), but the roster says removed: refused right away.
        const auto second = h.batch(f->team, f->environment, f->writer, 1, headOf(first), 1);
        QCOMPARE(h.push(f->team, f->environment, f->writer, headOf(first), second).status, 403);
        QCOMPARE(h.get(f->records, f->writer).status, 403);
    }

    /// A session key for `member`, registered through POST /v1/sessions; nullopt unless 200.
    static std::optional<crypto::SigningKeyPair> session(ApiHarness& h, const Team& team, const Member& member,
                                                         std::int64_t lifetime) {
        auto key = crypto::SigningKeyPair::keygen();
        const Reply created = h.send("POST", "/v1/sessions",
                                     nlohmann::json{{"team", team.idHex},
                                                    {"sessionKey", ApiHarness::hex(key.publicKey.bytes)},
                                                    {"expiresAt", h.clock.seconds + lifetime}},
                                     member);
        if (created.status != 200)
            return std::nullopt;
        return key;
    }

    // The server caches sessions, members and grants (SQLite): a pull served from warm caches must still
    // see a removal, a new epoch or an expiry on the very next request.
    void removedReaderIsRefusedWithCachesWarm() {
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        const auto key = session(h, f->team, f->reader, 600);
        QVERIFY(key);
        Signing viaSession;
        viaSession.session = true;
        viaSession.sessionKey = &*key;
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(h.get(f->records, f->reader, viaSession).status, 200);
            QCOMPARE(h.get(f->records, f->reader).status, 200);
        }
        QCOMPARE(
            h.appendRoster(f->team, f->owner,
                           h.rosterEvent(f->team, f->owner, f->reader, protocol::RosterEventKind::Remove, Role::Member))
                .status,
            200);
        QCOMPARE(h.get(f->records, f->reader, viaSession).status, 403);
        QCOMPARE(h.get(f->records, f->reader).status, 403);
    }

    void newEpochWithoutAReaderIsSeenWithCachesWarm() {
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        for (int i = 0; i < 3; ++i)
            QCOMPARE(h.get(f->records, f->reader).status, 200);
        // A rotation: epoch 2 grants the writer only.
        QCOMPARE(
            h.putGrants(f->team, f->owner, {h.grant(f->team, f->owner, f->writer, f->environment, 2, Access::Write)})
                .status,
            200);
        QCOMPARE(h.get(f->records, f->reader).status, 403);
        QCOMPARE(h.get(f->records, f->writer).status, 200);
    }

    void expiredSessionIsRefusedWithTheCacheWarm() {
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        const auto key = session(h, f->team, f->reader, 300);
        QVERIFY(key);
        Signing viaSession;
        viaSession.session = true;
        viaSession.sessionKey = &*key;
        for (int i = 0; i < 3; ++i)
            QCOMPARE(h.get(f->records, f->reader, viaSession).status, 200);
        h.clock.advance(299);
        QCOMPARE(h.get(f->records, f->reader, viaSession).status, 200);
        h.clock.advance(1);
        const Reply expired = h.get(f->records, f->reader, viaSession);
        QCOMPARE(expired.status, 401);
        QVERIFY(expired.json.at("message").get<std::string>().find("session") != std::string::npos);
        QCOMPARE(h.get(f->records, f->reader).status, 200); // the device key itself still works
    }

    void replayedPullIsRefusedBeforeAndAfterAFlush() {
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        const server::Request request = h.prepare("GET", f->records, {}, &f->reader);
        QCOMPARE(h.sendRaw(request).status, 200);
        QCOMPARE(h.sendRaw(request).status, 401);
        QVERIFY(h.store->flush());
        QCOMPARE(h.sendRaw(request).status, 401);
    }

    void accessLogRecordsReadsAndWrites() {
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        QCOMPARE(h.push(f->team, f->environment, f->writer, Head{},
                        h.batch(f->team, f->environment, f->writer, 1, Head{}, 1))
                     .status,
                 200);
        h.clock.advance(10);
        QCOMPARE(h.get(f->records, f->reader).status, 200);

        const std::string base = "/v1/teams/" + f->team.idHex + "/access-log";
        const Reply log = h.get(base, f->owner);
        QCOMPARE(log.status, 200);
        const auto& entries = log.json.at("entries");
        QCOMPARE(entries.size(), std::size_t{2});
        bool sawRead = false;
        bool sawWrite = false;
        for (const auto& entry : entries) {
            QCOMPARE(entry.at("environment").get<std::string>(), ApiHarness::hex(f->environment));
            if (entry.at("action") == "read") {
                sawRead = true;
                QCOMPARE(entry.at("member").get<std::string>(), f->reader.idHex);
                QCOMPARE(entry.at("time").get<std::int64_t>(), h.clock.seconds);
            } else if (entry.at("action") == "write") {
                sawWrite = true;
                QCOMPARE(entry.at("member").get<std::string>(), f->writer.idHex);
            }
        }
        QVERIFY(sawRead && sawWrite);
        const Reply since = h.get(base + "?since=" + std::to_string(h.clock.seconds) + "&limit=10", f->owner);
        QCOMPARE(since.status, 200);
        QCOMPARE(since.json.at("entries").size(), std::size_t{1});
        QCOMPARE(h.get(base, f->reader).status, 403);
    }
};

QTEST_GUILESS_MAIN(TestApiRecords)
#include "TestApiRecords.moc"
