// SPDX-License-Identifier: Apache-2.0
// The Store's projects, environments, names, audit log and counts, against a real vault file.
// Values and transactions are in TestStoreValues.cpp; history (versions, rename, delete, restore) in
// TestStoreHistory.cpp.
#include "tests/model/StoreTestSupport.h"

#include "model/Database.h"

using namespace coffer::model;
using namespace coffer::model::testing;

class TestStore : public QObject {
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

    void prepare() {}

private Q_SLOTS:
    STORE_FIXTURE_SLOTS("alice")

    // Projects

    void projectsAreOrderedByPosition() {
        for (const char* name : {"web", "api", "batch"}) {
            REQUIRE_OK(p, store().addProject(QString::fromLatin1(name)));
        }
        REQUIRE_OK(list, store().projects());
        QCOMPARE(list->size(), 3u);
        QCOMPARE(list->at(0).name, QStringLiteral("web"));
        QCOMPARE(list->at(1).name, QStringLiteral("api"));
        QCOMPARE(list->at(2).name, QStringLiteral("batch"));
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(list->at(static_cast<std::size_t>(i)).position, i);
        }
        REQUIRE_OK(api, store().project(QStringLiteral("api")));
        QCOMPARE(api->id, list->at(1).id);
        REQUIRE_ERROR(store().project(QStringLiteral("nope")), ErrorCode::NotFound);
    }

    void renameProject() {
        REQUIRE_OK(web, store().addProject(QStringLiteral("web")));
        REQUIRE_OK(api, store().addProject(QStringLiteral("api")));
        QVERIFY(store().renameProject(web->id, QStringLiteral("site")).has_value());
        REQUIRE_OK(site, store().project(QStringLiteral("site")));
        QCOMPARE(site->id, web->id);
        REQUIRE_ERROR(store().project(QStringLiteral("web")), ErrorCode::NotFound);

        const auto taken = store().renameProject(web->id, QStringLiteral("api"));
        QVERIFY(!taken);
        QCOMPARE(taken.error().code, ErrorCode::AlreadyExists);
        QVERIFY(taken.error().detail.contains(QStringLiteral("api")));
        REQUIRE_ERROR(store().renameProject(web->id, QStringLiteral("a/b")), ErrorCode::InvalidName);
        REQUIRE_ERROR(store().renameProject(9999, QStringLiteral("other")), ErrorCode::NotFound);

        REQUIRE_OK(events, store().auditEvents());
        QCOMPARE(events->front().action, QStringLiteral("rename-project"));
        QCOMPARE(events->front().project, QStringLiteral("site"));
        QVERIFY(events->front().detail.contains(QStringLiteral("web")));
    }

    void moveProject_data() {
        QTest::addColumn<QString>("moved");
        QTest::addColumn<int>("position");
        QTest::addColumn<QString>("expected");
        QTest::newRow("first to last") << "a" << 3 << "b c d a";
        QTest::newRow("last to first") << "d" << 0 << "d a b c";
        QTest::newRow("one step down") << "b" << 2 << "a c b d";
        QTest::newRow("one step up") << "c" << 1 << "a c b d";
        QTest::newRow("same place") << "b" << 1 << "a b c d";
        QTest::newRow("past the end goes last") << "a" << 99 << "b c d a";
        QTest::newRow("negative goes first") << "c" << -5 << "c a b d";
    }

    void moveProject() {
        QFETCH(QString, moved);
        QFETCH(int, position);
        QFETCH(QString, expected);
        for (const char* name : {"a", "b", "c", "d"}) {
            REQUIRE_OK(p, store().addProject(QString::fromLatin1(name)));
        }
        REQUIRE_OK(target, store().project(moved));
        QVERIFY(store().moveProject(target->id, position).has_value());
        REQUIRE_OK(list, store().projects());
        QStringList names;
        for (std::size_t i = 0; i < list->size(); ++i) {
            names << list->at(i).name;
            QCOMPARE(list->at(i).position, static_cast<int>(i)); // renumbered densely
        }
        QCOMPARE(names.join(u' '), expected);
    }

    void removeEmptyProject() {
        REQUIRE_OK(a, store().addProject(QStringLiteral("a")));
        REQUIRE_OK(b, store().addProject(QStringLiteral("b")));
        REQUIRE_OK(c, store().addProject(QStringLiteral("c")));
        QVERIFY(store().removeProject(b->id, false).has_value());
        REQUIRE_OK(list, store().projects());
        QCOMPARE(list->size(), 2u);
        QCOMPARE(list->at(1).name, QStringLiteral("c"));
        QCOMPARE(list->at(1).position, 1); // the gap is closed
        REQUIRE_OK(d, store().addProject(QStringLiteral("d")));
        QCOMPARE(d->position, 2);
        REQUIRE_ERROR(store().removeProject(b->id, false), ErrorCode::NotFound);
    }

    void removeProjectHoldingSomethingNeedsForce() {
        const auto dev = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        const auto prod = makeEnvironment(QStringLiteral("web"), QStringLiteral("prod"));
        const auto other = makeEnvironment(QStringLiteral("api"), QStringLiteral("dev"));
        for (const char* name : {"A", "B"}) {
            REQUIRE_OK(s, store().setSecret(dev, QString::fromLatin1(name), bytesOf("v")));
        }
        REQUIRE_OK(c, store().setSecret(prod, QStringLiteral("C"), bytesOf("v")));
        REQUIRE_OK(c2, store().setSecret(prod, QStringLiteral("C"), bytesOf("v2")));
        REQUIRE_OK(kept, store().setSecret(other, QStringLiteral("KEPT"), bytesOf("v")));
        REQUIRE_OK(web, store().project(QStringLiteral("web")));

        const auto refused = store().removeProject(web->id, false);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::NotEmpty);
        QVERIFY2(refused.error().detail.contains(QStringLiteral("2 environments, 3 secrets")),
                 qPrintable(refused.error().detail));
        QVERIFY(store().project(QStringLiteral("web")).has_value());

        QVERIFY(store().removeProject(web->id, true).has_value());
        REQUIRE_ERROR(store().project(QStringLiteral("web")), ErrorCode::NotFound);
        REQUIRE_ERROR(store().environments(web->id), ErrorCode::NotFound);
        REQUIRE_ERROR(store().secrets(dev), ErrorCode::NotFound);
        REQUIRE_ERROR(store().history(c->id), ErrorCode::NotFound);
        REQUIRE_OK(counts, store().counts());
        QCOMPARE(counts->projects, 1);
        QCOMPARE(counts->environments, 1);
        QCOMPARE(counts->secrets, 1);
        QCOMPARE(counts->versions, 1); // only KEPT's: the others cascaded away
        REQUIRE_OK(events, store().auditEvents(1));
        QCOMPARE(events->front().action, QStringLiteral("remove-project"));
        QCOMPARE(events->front().project, QStringLiteral("web"));
        QVERIFY2(events->front().detail.contains(QStringLiteral("2 environments, 3 secrets, 4 versions")),
                 qPrintable(events->front().detail));
    }

    // Names

    void invalidScopeNames_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("empty") << QString();
        QTest::newRow("starts with dash") << "-web";
        QTest::newRow("starts with dot") << ".web";
        QTest::newRow("slash") << "web/api";
        QTest::newRow("space") << "my web";
        QTest::newRow("65 characters") << QString(65, u'a');
    }

    void invalidScopeNames() {
        QFETCH(QString, name);
        REQUIRE_ERROR(store().addProject(name), ErrorCode::InvalidName);
        REQUIRE_OK(web, store().addProject(QStringLiteral("web")));
        REQUIRE_ERROR(store().addEnvironment(web->id, name), ErrorCode::InvalidName);
        REQUIRE_OK(list, store().projects());
        QCOMPARE(list->size(), 1u);
    }

    void validScopeNames_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("dots dashes underscores") << "web.api-v2_x";
        QTest::newRow("starts with digit") << "2024";
        QTest::newRow("64 characters") << QString(64, u'a');
    }

    void validScopeNames() {
        QFETCH(QString, name);
        REQUIRE_OK(p, store().addProject(name));
        REQUIRE_OK(e, store().addEnvironment(p->id, name));
        QCOMPARE(e->name, name);
    }

    void invalidSecretNames_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("empty") << QString();
        QTest::newRow("starts with digit") << "1PASSWORD";
        QTest::newRow("dash") << "API-KEY";
        QTest::newRow("dot") << "api.key";
        QTest::newRow("space") << "API KEY";
        QTest::newRow("non-ASCII letter") << QStringLiteral("\u00C4PI_KEY");
        QTest::newRow("256 characters") << QString(256, u'A');
    }

    void invalidSecretNames() {
        QFETCH(QString, name);
        const auto env = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        REQUIRE_ERROR(store().setSecret(env, name, bytesOf("v")), ErrorCode::InvalidName);
        REQUIRE_OK(ok, store().setSecret(env, QStringLiteral("GOOD"), bytesOf("v")));
        REQUIRE_ERROR(store().renameSecret(ok->id, name), ErrorCode::InvalidName);
        REQUIRE_OK(list, store().secrets(env));
        QCOMPARE(list->size(), 1u);
        QCOMPARE(list->front().name, QStringLiteral("GOOD"));
    }

    void validSecretNames_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("underscore first") << "_X";
        QTest::newRow("lower case") << "a";
        QTest::newRow("digits") << "ABC_123";
        QTest::newRow("255 characters") << QString(255, u'A');
    }

    void validSecretNames() {
        QFETCH(QString, name);
        const auto env = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        REQUIRE_OK(s, store().setSecret(env, name, bytesOf("v")));
        REQUIRE_OK(found, store().secret(env, name));
        QCOMPARE(found->id, s->id);
    }

    void duplicateNames() {
        REQUIRE_OK(web, store().addProject(QStringLiteral("web")));
        REQUIRE_ERROR(store().addProject(QStringLiteral("web")), ErrorCode::AlreadyExists);
        REQUIRE_OK(api, store().addProject(QStringLiteral("api")));
        REQUIRE_OK(dev, store().addEnvironment(web->id, QStringLiteral("dev")));
        const auto again = store().addEnvironment(web->id, QStringLiteral("dev"));
        QVERIFY(!again);
        QCOMPARE(again.error().code, ErrorCode::AlreadyExists);
        QVERIFY(again.error().detail.contains(QStringLiteral("dev")));
        // The same environment name in another project is fine.
        REQUIRE_OK(apiDev, store().addEnvironment(api->id, QStringLiteral("dev")));
        REQUIRE_OK(stage, store().addEnvironment(web->id, QStringLiteral("stage")));
        REQUIRE_ERROR(store().renameEnvironment(stage->id, QStringLiteral("dev")), ErrorCode::AlreadyExists);
        // The same secret name in another environment is a different secret.
        REQUIRE_OK(a, store().setSecret(dev->id, QStringLiteral("TOKEN"), bytesOf("1")));
        REQUIRE_OK(b, store().setSecret(apiDev->id, QStringLiteral("TOKEN"), bytesOf("2")));
        QVERIFY(a->id != b->id);
    }

    // Environments

    void environmentsAreOrdered() {
        REQUIRE_OK(web, store().addProject(QStringLiteral("web")));
        REQUIRE_OK(empty, store().environments(web->id));
        QVERIFY(empty->empty());
        for (const char* name : {"dev", "staging", "prod"}) {
            REQUIRE_OK(e, store().addEnvironment(web->id, QString::fromLatin1(name)));
            QCOMPARE(e->projectId, web->id);
        }
        REQUIRE_OK(list, store().environments(web->id));
        QCOMPARE(list->size(), 3u);
        QCOMPARE(list->at(2).name, QStringLiteral("prod"));
        QCOMPARE(list->at(2).position, 2);

        QVERIFY(store().moveEnvironment(list->at(2).id, 0).has_value());
        REQUIRE_OK(moved, store().environments(web->id));
        QCOMPARE(moved->at(0).name, QStringLiteral("prod"));
        QCOMPARE(moved->at(1).name, QStringLiteral("dev"));
        QCOMPARE(moved->at(1).position, 1);

        REQUIRE_OK(prod, store().environment(web->id, QStringLiteral("prod")));
        QCOMPARE(prod->position, 0);
        REQUIRE_ERROR(store().environment(web->id, QStringLiteral("qa")), ErrorCode::NotFound);
        REQUIRE_ERROR(store().environments(9999), ErrorCode::NotFound);
        REQUIRE_ERROR(store().addEnvironment(9999, QStringLiteral("dev")), ErrorCode::NotFound);
    }

    void protectedByDefault_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("expected");
        QTest::newRow("prod") << "prod" << true;
        QTest::newRow("production") << "production" << true;
        QTest::newRow("Production") << "Production" << true;
        QTest::newRow("prod-eu") << "prod-eu" << true;
        QTest::newRow("dev") << "dev" << false;
        QTest::newRow("staging") << "staging" << false;
        QTest::newRow("product") << "product" << false;
    }

    void protectedByDefault() {
        QFETCH(QString, name);
        QFETCH(bool, expected);
        REQUIRE_OK(web, store().addProject(QStringLiteral("web")));
        REQUIRE_OK(env, store().addEnvironment(web->id, name));
        QCOMPARE(env->isProtected, expected);
        REQUIRE_OK(read, store().environment(web->id, name));
        QCOMPARE(read->isProtected, expected);
        // An explicit choice wins over the default.
        REQUIRE_OK(other, store().addProject(QStringLiteral("other")));
        REQUIRE_OK(overridden, store().addEnvironment(other->id, name, !expected));
        QCOMPARE(overridden->isProtected, !expected);
    }

    void protectionAndColourChanges() {
        REQUIRE_OK(web, store().addProject(QStringLiteral("web")));
        REQUIRE_OK(prod, store().addEnvironment(web->id, QStringLiteral("prod")));
        QVERIFY(prod->isProtected);
        // Renaming never quietly drops protection.
        QVERIFY(store().renameEnvironment(prod->id, QStringLiteral("live-eu")).has_value());
        QVERIFY(store().environment(web->id, QStringLiteral("live-eu"))->isProtected);

        QVERIFY(store().setProtected(prod->id, false).has_value());
        QVERIFY(!store().environment(web->id, QStringLiteral("live-eu"))->isProtected);
        REQUIRE_OK(events, store().auditEvents(1));
        QCOMPARE(events->front().action, QStringLiteral("unprotect"));
        QCOMPARE(events->front().environment, QStringLiteral("live-eu"));
        REQUIRE_ERROR(store().setProtected(9999, true), ErrorCode::NotFound);

        QVERIFY(store().setColour(prod->id, QStringLiteral("#A0b1C2")).has_value());
        QCOMPARE(store().environment(web->id, QStringLiteral("live-eu"))->colour, QStringLiteral("#a0b1c2"));
        QVERIFY(store().setColour(prod->id, QString()).has_value());
        QCOMPARE(store().environment(web->id, QStringLiteral("live-eu"))->colour, QString());
        REQUIRE_ERROR(store().setColour(prod->id, QStringLiteral("red")), ErrorCode::InvalidName);
        REQUIRE_ERROR(store().setColour(prod->id, QStringLiteral("#12345")), ErrorCode::InvalidName);
        REQUIRE_ERROR(store().setColour(9999, QStringLiteral("#123456")), ErrorCode::NotFound);
    }

    void removeEnvironment() {
        const auto dev = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        const auto prod = makeEnvironment(QStringLiteral("web"), QStringLiteral("prod"));
        const auto qa = makeEnvironment(QStringLiteral("web"), QStringLiteral("qa"));
        REQUIRE_OK(s, store().setSecret(prod, QStringLiteral("DB_URL"), bytesOf("x")));

        QVERIFY(store().removeEnvironment(dev, false).has_value());
        const auto refused = store().removeEnvironment(prod, false);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::NotEmpty);
        QVERIFY2(refused.error().detail.contains(QStringLiteral("1 secret")), qPrintable(refused.error().detail));

        QVERIFY(store().removeEnvironment(prod, true).has_value());
        REQUIRE_ERROR(store().secretById(s->id), ErrorCode::NotFound);
        REQUIRE_OK(web, store().project(QStringLiteral("web")));
        REQUIRE_OK(left, store().environments(web->id));
        QCOMPARE(left->size(), 1u);
        QCOMPARE(left->front().id, qa);
        QCOMPARE(left->front().position, 0);
        REQUIRE_OK(events, store().auditEvents(1));
        QCOMPARE(events->front().action, QStringLiteral("remove-environment"));
        QVERIFY2(events->front().detail.contains(QStringLiteral("1 secret, 1 version")),
                 qPrintable(events->front().detail));
        REQUIRE_ERROR(store().removeEnvironment(prod, true), ErrorCode::NotFound);

        // Only live secrets make it "not empty"; the history of deleted ones goes with it, and the audit says so.
        REQUIRE_OK(old, store().setSecret(qa, QStringLiteral("OLD"), bytesOf("x")));
        REQUIRE_OK(gone, store().deleteSecret(old->id));
        QVERIFY(store().removeEnvironment(qa, false).has_value());
        REQUIRE_OK(last, store().auditEvents(1));
        QVERIFY2(last->front().detail.contains(QStringLiteral("0 secrets, 1 deleted secret, 2 versions")),
                 qPrintable(last->front().detail));
    }

    // Audit and counts

    void auditNeverHoldsValues() {
        const QByteArray value("s3cr3t-VALUE-do-not-log");
        const QByteArray second("an0ther-VALUE-do-not-log");
        const auto env = makeEnvironment(QStringLiteral("web"), QStringLiteral("prod"));
        REQUIRE_OK(s, store().setSecret(env, QStringLiteral("API_KEY"), bytesOf(value)));
        REQUIRE_OK(u, store().setSecret(env, QStringLiteral("API_KEY"), bytesOf(second)));
        REQUIRE_OK(e, store().editSecret(s->id, SecretEdit{QStringLiteral("note"), std::nullopt}));
        REQUIRE_OK(r, store().renameSecret(s->id, QStringLiteral("API_TOKEN")));
        REQUIRE_OK(d, store().deleteSecret(s->id));
        REQUIRE_OK(back, store().restoreVersion(s->id, 1));
        REQUIRE_OK(d2, store().deleteSecret(s->id));
        REQUIRE_OK(revived, store().setSecret(env, QStringLiteral("API_KEY"), bytesOf(value)));
        QVERIFY(store()
                    .audit(QStringLiteral("reveal"), QStringLiteral("web"), QStringLiteral("prod"),
                           QStringLiteral("API_KEY"))
                    .has_value());

        // Every column of every row, read straight from the table so that a new column is scanned too.
        Database& db = m_fixture.vault().database();
        QStringList columns;
        {
            auto info = db.prepare("PRAGMA table_info(audit_events)");
            QVERIFY(info.has_value());
            while (info->step().value_or(false)) {
                columns << info->columnText(1);
            }
        }
        QVERIFY(columns.size() >= 8);
        const QByteArray sql = "SELECT " + columns.join(QStringLiteral(", ")).toUtf8() + " FROM audit_events";
        auto rows = db.prepare(std::string_view(sql.constData(), static_cast<std::size_t>(sql.size())));
        QVERIFY(rows.has_value());
        int rowCount = 0;
        while (rows->step().value_or(false)) {
            ++rowCount;
            for (int c = 0; c < columns.size(); ++c) {
                const QByteArray text = rows->columnText(c).toUtf8();
                QVERIFY2(!text.contains("VALUE"), qPrintable(columns.at(c)));
            }
        }
        QCOMPARE(rowCount, 11); // project, environment, 8 secret changes, the reveal
    }

    void auditEventsAreNewestFirst() {
        const auto env = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        REQUIRE_OK(s, store().setSecret(env, QStringLiteral("A"), bytesOf("v")));
        QVERIFY(store()
                    .audit(QStringLiteral("copy"), QStringLiteral("web"), QStringLiteral("dev"), QStringLiteral("A"),
                           QStringLiteral("clipboard"))
                    .has_value());
        REQUIRE_OK(events, store().auditEvents());
        QCOMPARE(events->size(), 4u);
        QCOMPARE(events->at(0).action, QStringLiteral("copy"));
        QCOMPARE(events->at(0).detail, QStringLiteral("clipboard"));
        QCOMPARE(events->at(0).actor, QStringLiteral("alice"));
        QCOMPARE(events->at(0).at.timeSpec(), Qt::UTC);
        QCOMPARE(events->at(1).action, QStringLiteral("create"));
        QCOMPARE(events->at(1).project, QStringLiteral("web"));
        QCOMPARE(events->at(1).environment, QStringLiteral("dev"));
        QCOMPARE(events->at(1).secret, QStringLiteral("A"));
        QCOMPARE(events->at(2).action, QStringLiteral("add-environment"));
        QCOMPARE(events->at(3).action, QStringLiteral("add-project"));
        QVERIFY(events->at(0).id > events->at(1).id);
        REQUIRE_OK(two, store().auditEvents(2));
        QCOMPARE(two->size(), 2u);
    }

    void counts() {
        REQUIRE_OK(zero, store().counts());
        QCOMPARE(zero->projects, 0);
        QCOMPARE(zero->auditEvents, 0);
        const auto dev = makeEnvironment(QStringLiteral("web"), QStringLiteral("dev"));
        const auto prod = makeEnvironment(QStringLiteral("web"), QStringLiteral("prod"));
        makeEnvironment(QStringLiteral("api"), QStringLiteral("dev"));
        REQUIRE_OK(a, store().setSecret(dev, QStringLiteral("A"), bytesOf("1")));
        REQUIRE_OK(a2, store().setSecret(dev, QStringLiteral("A"), bytesOf("2")));
        REQUIRE_OK(b, store().setSecret(prod, QStringLiteral("B"), bytesOf("1")));
        REQUIRE_OK(gone, store().deleteSecret(b->id));
        REQUIRE_OK(counts, store().counts());
        QCOMPARE(counts->projects, 2);
        QCOMPARE(counts->environments, 3);
        QCOMPARE(counts->secrets, 1); // live ones
        QCOMPARE(counts->versions, 4);
        QCOMPARE(counts->auditEvents, 2 + 3 + 4);
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "TestStore.moc"
