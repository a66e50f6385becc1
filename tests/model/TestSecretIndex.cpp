// SPDX-License-Identifier: Apache-2.0
// SecretIndex: Store::allSecrets() in one query, and the matching rules of search (words, case, fields, order).
#include "model/SecretIndex.h"
#include "tests/model/StoreTestSupport.h"

#include <QTest>

using coffer::model::ScopedSecret;
using coffer::model::SecretEdit;
using coffer::model::SecretIndex;
using coffer::model::Store;
using coffer::model::testing::bytesOf;
using coffer::model::testing::StoreFixture;

class TestSecretIndex : public QObject {
    Q_OBJECT

private:
    StoreFixture m_fixture;
    SecretIndex m_index;

    Store& store() { return m_fixture.store(); }

    std::int64_t environment(const QString& project, const QString& name) {
        auto p = store().project(project);
        if (!p) {
            p = store().addProject(project);
        }
        auto e = store().environment(p->id, name);
        if (!e) {
            e = store().addEnvironment(p->id, name);
        }
        return e ? e->id : 0;
    }

    void set(const char* project, const char* env, const char* name, const char* note, QStringList tags = {}) {
        SecretEdit edit;
        edit.note = QString::fromUtf8(note);
        edit.tags = std::move(tags);
        auto set = store().setSecret(environment(QString::fromUtf8(project), QString::fromUtf8(env)),
                                     QString::fromUtf8(name), bytesOf("value"), edit);
        QVERIFY2(set.has_value(), set ? "" : qPrintable(set.error().detail));
    }

    // "project/env/NAME" of each match, in order.
    QStringList find(const QString& query) const {
        QStringList found;
        for (const int position : m_index.match(SecretIndex::words(query))) {
            const ScopedSecret& entry = m_index.at(position);
            found << QStringLiteral("%1/%2/%3").arg(entry.project, entry.environment, entry.secret.name);
        }
        return found;
    }

    void prepare() {
        // Added out of order on purpose: the index follows the tree (positions), then names.
        set("web", "prod", "SESSION_SECRET", "Rotated after the March incident", {QStringLiteral("auth")});
        set("payments", "dev", "DATABASE_URL", "Local Postgres", {QStringLiteral("database")});
        set("payments", "prod", "STRIPE_SECRET_KEY", "Live key: rotate in the dashboard",
            {QStringLiteral("stripe"), QStringLiteral("PCI")});
        set("payments", "prod", "DATABASE_URL", "Primary cluster in Zürich",
            {QStringLiteral("database"), QStringLiteral("pci")});
        set("payments", "dev", "OLD_TOKEN", "to be removed", {QStringLiteral("legacy")});
        auto moved = store().project(QStringLiteral("web"));
        QVERIFY(moved.has_value());
        QVERIFY(store().moveProject(moved->id, 5).has_value()); // web after payments
        auto old =
            store().secret(environment(QStringLiteral("payments"), QStringLiteral("dev")), QStringLiteral("OLD_TOKEN"));
        QVERIFY(old.has_value());
        QVERIFY(store().deleteSecret(old->id).has_value());
        QVERIFY(m_index.load(store()).has_value());
    }

private Q_SLOTS:
    STORE_FIXTURE_SLOTS("tester")

    void allSecretsListsLiveSecretsWithTheirScope() {
        auto all = store().allSecrets();
        QVERIFY(all.has_value());
        QCOMPARE(all->size(), std::size_t{4});
        const ScopedSecret& first = all->front();
        QCOMPARE(first.project, QStringLiteral("payments"));
        QCOMPARE(first.environment, QStringLiteral("dev"));
        QCOMPARE(first.secret.name, QStringLiteral("DATABASE_URL"));
        QCOMPARE(first.secret.note, QStringLiteral("Local Postgres"));
        QCOMPARE(first.secret.tags, QStringList{QStringLiteral("database")});
        QCOMPARE(first.secret.version, 1);
        QCOMPARE(first.secret.valueSize, 5);
        QCOMPARE(first.projectId, store().project(QStringLiteral("payments"))->id);
        QVERIFY(!first.environmentProtected);
        QVERIFY(all->at(1).environmentProtected); // prod
        QCOMPARE(all->back().project, QStringLiteral("web"));
        QCOMPARE(m_index.size(), 4);
    }

    void emptyQueryMatchesNothing() {
        QCOMPARE(find(QString()), QStringList{});
        QCOMPARE(find(QStringLiteral("   \t ")), QStringList{});
        QVERIFY(SecretIndex::words(QStringLiteral("  ")).isEmpty());
    }

    void matchesNamesIgnoringCase() {
        QCOMPARE(find(QStringLiteral("database_url")), (QStringList{QStringLiteral("payments/dev/DATABASE_URL"),
                                                                    QStringLiteral("payments/prod/DATABASE_URL")}));
        QCOMPARE(find(QStringLiteral("SeSSion")), QStringList{QStringLiteral("web/prod/SESSION_SECRET")});
    }

    void matchesNotesAndTags() {
        QCOMPARE(find(QStringLiteral("march")), QStringList{QStringLiteral("web/prod/SESSION_SECRET")});
        QCOMPARE(find(QStringLiteral("pci")), (QStringList{QStringLiteral("payments/prod/DATABASE_URL"),
                                                           QStringLiteral("payments/prod/STRIPE_SECRET_KEY")}));
        QCOMPARE(find(QStringLiteral("stripe")), QStringList{QStringLiteral("payments/prod/STRIPE_SECRET_KEY")});
        // Beyond ASCII: "ZÜRICH" finds "Zürich".
        QCOMPARE(find(QStringLiteral("ZÜRICH")), QStringList{QStringLiteral("payments/prod/DATABASE_URL")});
    }

    void everyWordMustMatchInAnyFieldAndOrder() {
        QCOMPARE(find(QStringLiteral("database rotate")), QStringList{});
        QCOMPARE(find(QStringLiteral("key rotate")), QStringList{QStringLiteral("payments/prod/STRIPE_SECRET_KEY")});
        QCOMPARE(find(QStringLiteral("rotate   KEY")), QStringList{QStringLiteral("payments/prod/STRIPE_SECRET_KEY")});
        QCOMPARE(find(QStringLiteral("database cluster")), QStringList{QStringLiteral("payments/prod/DATABASE_URL")});
        QCOMPARE(find(QStringLiteral("url postgres database")),
                 QStringList{QStringLiteral("payments/dev/DATABASE_URL")});
    }

    void wordsDoNotSpanFieldsOrSecrets() {
        // The name of one secret ends in "URL" and its note starts with "Local": "urllocal" is in neither field.
        QCOMPARE(find(QStringLiteral("urllocal")), QStringList{});
        QCOMPARE(find(QStringLiteral("postgresstripe")), QStringList{});
    }

    void deletedSecretsAreNotListed() {
        QCOMPARE(find(QStringLiteral("old_token")), QStringList{});
        QCOMPARE(find(QStringLiteral("legacy")), QStringList{});
        QCOMPARE(m_index.positionOf(12345), -1);
    }

    void projectAndEnvironmentNamesAreNotSearched() {
        // They have their own columns; matching them would list every secret of "payments" for "pay".
        QCOMPARE(find(QStringLiteral("payments")), QStringList{});
        QCOMPARE(find(QStringLiteral("prod")), QStringList{});
    }

    void narrowingSearchesOnlyPreviousMatches() {
        const QStringList d = SecretIndex::words(QStringLiteral("d"));
        const QStringList data = SecretIndex::words(QStringLiteral("data"));
        const QStringList dataPci = SecretIndex::words(QStringLiteral("data pci"));
        QVERIFY(SecretIndex::narrows(data, d));
        QVERIFY(SecretIndex::narrows(dataPci, data));
        QVERIFY(!SecretIndex::narrows(d, data));
        QVERIFY(!SecretIndex::narrows(data, {}));
        const auto all = m_index.match(d);
        const auto narrowed = m_index.match(dataPci, m_index.match(data));
        QCOMPARE(narrowed, m_index.match(dataPci));
        QCOMPARE(narrowed.size(), std::size_t{1});
        QVERIFY(all.size() > narrowed.size());
    }

    void reloadSeesChanges() {
        set("web", "prod", "MARCH_REPORT_KEY", "");
        QCOMPARE(find(QStringLiteral("march")).size(), 1); // not reloaded yet
        QVERIFY(m_index.load(store()).has_value());
        QCOMPARE(find(QStringLiteral("march")),
                 (QStringList{QStringLiteral("web/prod/MARCH_REPORT_KEY"), QStringLiteral("web/prod/SESSION_SECRET")}));
        m_index.clear();
        QVERIFY(m_index.isEmpty());
        QCOMPARE(find(QStringLiteral("march")), QStringList{});
    }
};

QTEST_GUILESS_MAIN(TestSecretIndex)
#include "TestSecretIndex.moc"
