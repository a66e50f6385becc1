// SPDX-License-Identifier: Apache-2.0
// Secret values, tags and listing, and bulk changes in one transaction, against a real vault file.
#include "tests/model/StoreTestSupport.h"

using namespace coffer::model;
using namespace coffer::model::testing;

class TestStoreValues : public QObject {
    Q_OBJECT

private:
    StoreFixture m_fixture;

    Store& store() { return m_fixture.store(); }

    // Environment `env` of `project`, both made as needed; returns its id.
    std::int64_t makeEnvironment(const QString& project, const QString& env) {
        auto p = store().project(project);
        const std::int64_t projectId = p ? p->id : store().addProject(project).value().id;
        return store().addEnvironment(projectId, env).value().id;
    }

    std::int64_t auditCount() { return store().counts().value().auditEvents; }

    void prepare() {}

private Q_SLOTS:
    STORE_FIXTURE_SLOTS("alice")

    // Values

    void valuesRoundTrip_data() {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("NUL bytes") << QByteArray("a\0b\0\0c", 6);
        QTest::newRow("CRLF") << QByteArray("line1\r\nline2\r\n");
        QTest::newRow("multiline PEM") << QByteArray("-----BEGIN KEY-----\nMIIB\nAAAA\n-----END KEY-----\n");
        QTest::newRow("UTF-8") << QStringLiteral("p\u00E4ss \u2603").toUtf8();
        QTest::newRow("all byte values") << [] {
            QByteArray all(256, '\0');
            for (int i = 0; i < 256; ++i) {
                all[i] = static_cast<char>(i);
            }
            return all;
        }();
        QTest::newRow("exactly 1 MiB") << QByteArray(static_cast<qsizetype>(kMaxValueBytes), 'x');
    }

    void valuesRoundTrip() {
        QFETCH(QByteArray, value);
        const auto env = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        REQUIRE_OK(s, store().setSecret(env, QStringLiteral("V"), bytesOf(value)));
        QCOMPARE(s->valueSize, value.size());
        REQUIRE_OK(read, store().value(s->id));
        QCOMPARE(toByteArray(*read), value);
        REQUIRE_OK(v1, store().value(s->id, 1));
        QCOMPARE(toByteArray(*v1), value);
        REQUIRE_OK(listed, store().secrets(env));
        QCOMPARE(listed->front().valueSize, value.size());
    }

    void valueOverTheLimitIsRefused() {
        const auto env = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        const QByteArray big(static_cast<qsizetype>(kMaxValueBytes) + 1, 'x');
        REQUIRE_ERROR(store().setSecret(env, QStringLiteral("BIG"), bytesOf(big)), ErrorCode::TooLarge);
        REQUIRE_OK(s, store().setSecret(env, QStringLiteral("SMALL"), bytesOf("x")));
        REQUIRE_ERROR(store().setSecret(env, QStringLiteral("SMALL"), bytesOf(big)), ErrorCode::TooLarge);
        REQUIRE_OK(list, store().secrets(env));
        QCOMPARE(list->size(), 1u);
        QCOMPARE(list->front().version, 1);
    }

    void setSecretIntoUnknownEnvironment() {
        REQUIRE_ERROR(store().setSecret(9999, QStringLiteral("X"), bytesOf("v")), ErrorCode::NotFound);
        REQUIRE_ERROR(store().secrets(9999), ErrorCode::NotFound);
        QCOMPARE(store().counts()->versions, 0);
    }

    void setSecretUpdatesAndSkipsNoOps() {
        const auto env = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        REQUIRE_OK(created, store().setSecret(env, QStringLiteral("TOKEN"), bytesOf("one"),
                                              SecretEdit{QStringLiteral("a note"), QStringList{QStringLiteral("ci")}}));
        QCOMPARE(created->version, 1);
        QCOMPARE(created->updatedBy, QStringLiteral("alice"));
        const auto events = auditCount();

        // Same value, note and tags (given or left unset): no new version, no audit event.
        REQUIRE_OK(same, store().setSecret(env, QStringLiteral("TOKEN"), bytesOf("one")));
        QCOMPARE(same->id, created->id);
        QCOMPARE(same->version, 1);
        REQUIRE_OK(sameExplicit,
                   store().setSecret(env, QStringLiteral("TOKEN"), bytesOf("one"),
                                     SecretEdit{QStringLiteral("a note"), QStringList{QStringLiteral("ci")}}));
        QCOMPARE(sameExplicit->version, 1);
        QCOMPARE(sameExplicit->updatedAt, created->updatedAt);
        QCOMPARE(auditCount(), events);
        QCOMPARE(store().history(created->id)->size(), 1u);

        REQUIRE_OK(updated, store().setSecret(env, QStringLiteral("TOKEN"), bytesOf("two")));
        QCOMPARE(updated->id, created->id);
        QCOMPARE(updated->version, 2);
        QCOMPARE(updated->versionCount, 2);
        QCOMPARE(updated->note, QStringLiteral("a note")); // unset fields keep their content
        QCOMPARE(updated->tags, QStringList{QStringLiteral("ci")});
        QCOMPARE(toByteArray(store().value(created->id).value()), QByteArray("two"));

        REQUIRE_OK(noteOnly, store().setSecret(env, QStringLiteral("TOKEN"), bytesOf("two"),
                                               SecretEdit{QStringLiteral("new note"), std::nullopt}));
        QCOMPARE(noteOnly->version, 3);
        QCOMPARE(auditCount(), events + 2);
    }

    void tags_data() {
        QTest::addColumn<QStringList>("tags");
        QTest::newRow("none") << QStringList();
        QTest::newRow("one") << QStringList{QStringLiteral("ci")};
        QTest::newRow("several with spaces and commas")
            << QStringList{QStringLiteral("team a"), QStringLiteral("rotate, monthly"), QStringLiteral("db")};
    }

    void tags() {
        QFETCH(QStringList, tags);
        const auto env = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        REQUIRE_OK(s, store().setSecret(env, QStringLiteral("T"), bytesOf("v"), SecretEdit{std::nullopt, tags}));
        QCOMPARE(s->tags, tags);
        REQUIRE_OK(read, store().secret(env, QStringLiteral("T")));
        QCOMPARE(read->tags, tags);
        REQUIRE_OK(history, store().history(s->id));
        QCOMPARE(history->front().tags, tags);
    }

    void invalidTags_data() {
        QTest::addColumn<QStringList>("tags");
        QTest::newRow("line feed") << QStringList{QStringLiteral("a\nb")};
        QTest::newRow("carriage return") << QStringList{QStringLiteral("a\rb")};
        QTest::newRow("empty tag") << QStringList{QStringLiteral("ok"), QString()};
    }

    void invalidTags() {
        QFETCH(QStringList, tags);
        const auto env = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        REQUIRE_ERROR(store().setSecret(env, QStringLiteral("T"), bytesOf("v"), SecretEdit{std::nullopt, tags}),
                      ErrorCode::InvalidName);
        REQUIRE_OK(s, store().setSecret(env, QStringLiteral("T"), bytesOf("v")));
        REQUIRE_ERROR(store().editSecret(s->id, SecretEdit{std::nullopt, tags}), ErrorCode::InvalidName);
        QCOMPARE(store().secretById(s->id)->version, 1);
    }

    void listingIsOrderedAndSkipsDeleted() {
        const auto env = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        const auto other = makeEnvironment(QStringLiteral("web"), QStringLiteral("prod"));
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        for (const char* name : {"ZED", "ALPHA", "MIKE"}) {
            REQUIRE_OK(s, store().setSecret(env, QString::fromLatin1(name), bytesOf("1234")));
        }
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        REQUIRE_OK(elsewhere, store().setSecret(other, QStringLiteral("ELSEWHERE"), bytesOf("v")));
        REQUIRE_OK(mike, store().secret(env, QStringLiteral("MIKE")));
        QVERIFY(store().deleteSecret(mike->id).has_value());

        REQUIRE_OK(live, store().secrets(env));
        QCOMPARE(live->size(), 2u);
        QCOMPARE(live->at(0).name, QStringLiteral("ALPHA"));
        QCOMPARE(live->at(1).name, QStringLiteral("ZED"));
        QCOMPARE(live->at(0).valueSize, 4);
        QCOMPARE(live->at(0).environmentId, env);
        QCOMPARE(live->at(0).updatedAt.timeSpec(), Qt::UTC);
        QVERIFY(live->at(0).updatedAt.toMSecsSinceEpoch() >= before);
        QVERIFY(live->at(0).updatedAt.toMSecsSinceEpoch() <= after);

        REQUIRE_OK(all, store().secrets(env, true));
        QCOMPARE(all->size(), 3u);
        QCOMPARE(all->at(1).name, QStringLiteral("MIKE"));
        QVERIFY(all->at(1).deleted);
    }

    // Transactions

    void failedBulkLeavesNothing() {
        const auto env = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        const auto before = store().counts().value();
        int done = 0;
        const auto result = store().transaction([&]() -> Result<void> {
            for (int i = 1; i <= 100; ++i) {
                // Item 50 has a name no environment variable may have.
                const QString name = i == 50 ? QStringLiteral("BAD-NAME") : QStringLiteral("ITEM_%1").arg(i);
                auto s = store().setSecret(env, name, bytesOf(QByteArray::number(i)));
                if (!s) {
                    return std::unexpected(s.error());
                }
                ++done;
            }
            return {};
        });
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::InvalidName);
        QCOMPARE(done, 49);
        REQUIRE_OK(list, store().secrets(env, true));
        QVERIFY(list->empty());
        const auto after = store().counts().value();
        QCOMPARE(after.versions, before.versions);
        QCOMPARE(after.auditEvents, before.auditEvents);

        // The connection is usable afterwards, and a good bulk commits all of it, nested calls included.
        QVERIFY(store()
                    .transaction([&]() -> Result<void> {
                        for (int i = 1; i <= 10; ++i) {
                            if (auto s = store().setSecret(env, QStringLiteral("OK_%1").arg(i), bytesOf("v")); !s) {
                                return std::unexpected(s.error());
                            }
                        }
                        return store().transaction([&]() -> Result<void> {
                            auto s = store().setSecret(env, QStringLiteral("NESTED"), bytesOf("v"));
                            return s ? Result<void>{} : std::unexpected(s.error());
                        });
                    })
                    .has_value());
        QCOMPARE(store().secrets(env)->size(), 11u);
    }

    void failedCallInsideTransactionLeavesNothing() {
        const auto env = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        std::int64_t x = 0;
        QVERIFY(store()
                    .transaction([&]() -> Result<void> {
                        auto a = store().setSecret(env, QStringLiteral("X"), bytesOf("1"));
                        auto b = store().setSecret(env, QStringLiteral("Y"), bytesOf("1"));
                        if (!a || !b) {
                            return fail(ErrorCode::Io, QStringLiteral("setup failed"));
                        }
                        x = a->id;
                        // Calls inside a transaction open no savepoint; each of these fails at or before its first
                        // write, so carrying on must keep nothing of them.
                        const bool allFailed =
                            !store().renameSecret(a->id, QStringLiteral("Y")) && !store().restoreVersion(a->id, 7) &&
                            !store().setSecret(env, QStringLiteral("BAD NAME"), bytesOf("1")) &&
                            !store().setSecret(env, QStringLiteral("X"),
                                               bytesOf(QByteArray(static_cast<qsizetype>(kMaxValueBytes) + 1, 'x'))) &&
                            !store().setSecret(9999, QStringLiteral("X"), bytesOf("1"));
                        return allFailed ? Result<void>{} : fail(ErrorCode::Io, QStringLiteral("a call succeeded"));
                    })
                    .has_value());
        REQUIRE_OK(history, store().history(x));
        QCOMPARE(history->size(), 1u);
        REQUIRE_OK(secret, store().secretById(x));
        QCOMPARE(secret->name, QStringLiteral("X"));
        QCOMPARE(secret->version, 1);
        REQUIRE_OK(counts, store().counts());
        QCOMPARE(counts->versions, 2);
        QCOMPARE(counts->auditEvents, 2 + 2);
    }

    void failedInnerTransactionCanBeSurvived() {
        const auto env = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        QVERIFY(store()
                    .transaction([&]() -> Result<void> {
                        if (auto s = store().setSecret(env, QStringLiteral("KEEP"), bytesOf("v")); !s) {
                            return std::unexpected(s.error());
                        }
                        // An inner failure rolls back only the inner part when the body carries on.
                        const auto inner = store().transaction([&]() -> Result<void> {
                            if (auto s = store().setSecret(env, QStringLiteral("DROP"), bytesOf("v")); !s) {
                                return std::unexpected(s.error());
                            }
                            return fail(ErrorCode::Io, QStringLiteral("injected"));
                        });
                        return inner ? fail(ErrorCode::Io, QStringLiteral("inner should fail")) : Result<void>{};
                    })
                    .has_value());
        REQUIRE_OK(list, store().secrets(env, true));
        QCOMPARE(list->size(), 1u);
        QCOMPARE(list->front().name, QStringLiteral("KEEP"));
    }
};

QTEST_GUILESS_MAIN(TestStoreValues)
#include "TestStoreValues.moc"
