// SPDX-License-Identifier: Apache-2.0
// Copying and moving secrets between environments: what arrives, what is skipped or overwritten, and that a
// failure leaves nothing behind.
#include "model/SecretTransfer.h"
#include "tests/model/StoreTestSupport.h"

#include <vector>

using namespace coffer::model;
using namespace coffer::model::testing;

class TestSecretTransfer : public QObject {
    Q_OBJECT

private:
    StoreFixture m_fixture;
    std::int64_t m_dev = 0;
    std::int64_t m_staging = 0;
    std::int64_t m_otherProd = 0;

    Store& store() { return m_fixture.store(); }

    void prepare() {
        const auto api = store().addProject(QStringLiteral("api")).value().id;
        m_dev = store().addEnvironment(api, QStringLiteral("dev")).value().id;
        m_staging = store().addEnvironment(api, QStringLiteral("staging")).value().id;
        const auto web = store().addProject(QStringLiteral("web")).value().id;
        m_otherProd = store().addEnvironment(web, QStringLiteral("prod")).value().id;
    }

    std::int64_t put(std::int64_t env, const char* name, const QByteArray& value, const QString& note = {},
                     const QStringList& tags = {}) {
        SecretEdit edit;
        edit.note = note;
        edit.tags = tags;
        return store().setSecret(env, QString::fromLatin1(name), bytesOf(value), edit).value().id;
    }

    QByteArray valueIn(std::int64_t env, const char* name) {
        auto secret = store().secret(env, QString::fromLatin1(name));
        if (!secret) {
            return "<missing>";
        }
        return toByteArray(store().value(secret->id).value());
    }

private Q_SLOTS:
    STORE_FIXTURE_SLOTS("alice")

    void copiesValueNoteAndTagsToAnotherProject() {
        const QByteArray pem("-----BEGIN KEY-----\nMIIB\0AA\n-----END KEY-----\n", 44);
        const auto id = put(m_dev, "TLS_KEY", pem, QStringLiteral("local cert"), {QStringLiteral("tls")});
        const std::vector<std::int64_t> ids{id};
        SecretTransfer transfer(store());
        REQUIRE_OK(result, transfer.copy(ids, m_otherProd, ExistingSecrets::Skip));
        QCOMPARE(result->copied, QStringList{QStringLiteral("TLS_KEY")});
        QVERIFY(result->overwritten.isEmpty());
        QVERIFY(result->skipped.isEmpty());
        QCOMPARE(valueIn(m_otherProd, "TLS_KEY"), pem);
        REQUIRE_OK(copied, store().secret(m_otherProd, QStringLiteral("TLS_KEY")));
        QCOMPARE(copied->note, QStringLiteral("local cert"));
        QCOMPARE(copied->tags, QStringList{QStringLiteral("tls")});
        QVERIFY(copied->id != id);
        // The source is untouched.
        QCOMPARE(valueIn(m_dev, "TLS_KEY"), pem);
        QCOMPARE(store().secretById(id)->version, 1);
    }

    void skipsOrOverwritesNamesTakenInTheTarget() {
        const std::vector<std::int64_t> ids{put(m_dev, "A", "a-dev"), put(m_dev, "B", "b-dev")};
        const auto stagingB = put(m_staging, "B", "b-staging");
        SecretTransfer transfer(store());
        REQUIRE_OK(taken, transfer.conflicts(ids, m_staging));
        QCOMPARE(*taken, QStringList{QStringLiteral("B")});

        REQUIRE_OK(skipped, transfer.copy(ids, m_staging, ExistingSecrets::Skip));
        QCOMPARE(skipped->copied, QStringList{QStringLiteral("A")});
        QCOMPARE(skipped->skipped, QStringList{QStringLiteral("B")});
        QCOMPARE(valueIn(m_staging, "B"), QByteArray("b-staging"));

        REQUIRE_OK(overwritten, transfer.copy(ids, m_staging, ExistingSecrets::Overwrite));
        QCOMPARE(overwritten->overwritten, (QStringList{QStringLiteral("A"), QStringLiteral("B")}));
        QCOMPARE(overwritten->transferred(), 2);
        QCOMPARE(valueIn(m_staging, "B"), QByteArray("b-dev"));
        // Overwriting is a new version: the old value stays in history.
        QCOMPARE(store().secretById(stagingB)->version, 2);
        QCOMPARE(toByteArray(store().value(stagingB, 1).value()), QByteArray("b-staging"));
    }

    void moveDeletesTheSourcesRestorably() {
        const auto a = put(m_dev, "A", "a-dev");
        const auto b = put(m_dev, "B", "b-dev");
        put(m_staging, "B", "b-staging");
        const std::vector<std::int64_t> ids{a, b};
        SecretTransfer transfer(store());
        REQUIRE_OK(moved, transfer.move(ids, m_staging, ExistingSecrets::Skip));
        QCOMPARE(moved->copied, QStringList{QStringLiteral("A")});
        QCOMPARE(moved->skipped, QStringList{QStringLiteral("B")});
        QVERIFY(store().secretById(a)->deleted);
        QVERIFY(!store().secretById(b)->deleted); // skipped: not moved
        QCOMPARE(valueIn(m_staging, "A"), QByteArray("a-dev"));

        REQUIRE_OK(history, store().history(a));
        QVERIFY(history->back().kind == VersionKind::Deleted);
        REQUIRE_OK(restored, store().restoreVersion(a, 1));
        QVERIFY(!restored->deleted);
        QCOMPARE(valueIn(m_dev, "A"), QByteArray("a-dev"));
    }

    void revivesADeletedSecretOfTheSameName() {
        const auto old = put(m_staging, "A", "old");
        QVERIFY(store().deleteSecret(old).has_value());
        const std::vector<std::int64_t> ids{put(m_dev, "A", "new")};
        SecretTransfer transfer(store());
        REQUIRE_OK(taken, transfer.conflicts(ids, m_staging));
        QVERIFY(taken->isEmpty());
        REQUIRE_OK(result, transfer.copy(ids, m_staging, ExistingSecrets::Skip));
        QCOMPARE(result->copied, QStringList{QStringLiteral("A")});
        QCOMPARE(store().secret(m_staging, QStringLiteral("A"))->id, old);
        QCOMPARE(valueIn(m_staging, "A"), QByteArray("new"));
    }

    void failsAsAWholeAndLeavesNothingBehind() {
        const auto a = put(m_dev, "A", "a");
        const auto gone = put(m_dev, "GONE", "g");
        QVERIFY(store().deleteSecret(gone).has_value());
        const auto versionsBefore = store().counts()->versions;
        SecretTransfer transfer(store());

        // A deleted secret in the list: nothing is copied, not even the first one.
        const std::vector<std::int64_t> withDeleted{a, gone};
        REQUIRE_ERROR(transfer.move(withDeleted, m_staging, ExistingSecrets::Overwrite), ErrorCode::NotFound);
        REQUIRE_ERROR(transfer.conflicts(withDeleted, m_staging), ErrorCode::NotFound);
        // Onto itself.
        const std::vector<std::int64_t> onlyA{a};
        REQUIRE_ERROR(transfer.copy(onlyA, m_dev, ExistingSecrets::Overwrite), ErrorCode::AlreadyExists);
        // An unknown environment or secret.
        REQUIRE_ERROR(transfer.copy(onlyA, 9999, ExistingSecrets::Overwrite), ErrorCode::NotFound);
        const std::vector<std::int64_t> unknown{a, 9999};
        REQUIRE_ERROR(transfer.copy(unknown, m_staging, ExistingSecrets::Overwrite), ErrorCode::NotFound);

        QVERIFY(!store().secret(m_staging, QStringLiteral("A")).has_value());
        QVERIFY(!store().secretById(a)->deleted);
        QCOMPARE(store().counts()->versions, versionsBefore);
    }

    void anEmptyListDoesNothing() {
        SecretTransfer transfer(store());
        REQUIRE_OK(result, transfer.copy({}, m_staging, ExistingSecrets::Skip));
        QCOMPARE(result->transferred(), 0);
        QVERIFY(result->skipped.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSecretTransfer)
#include "TestSecretTransfer.moc"
