// SPDX-License-Identifier: Apache-2.0
// A secret's history: every change is an immutable version; rename keeps history; delete is a version and
// can be undone; any version can be restored.
#include "tests/model/StoreTestSupport.h"

using namespace coffer::model;
using namespace coffer::model::testing;

namespace {

QStringList kinds(const std::vector<SecretVersion>& history) {
    QStringList words;
    for (const auto& v : history) {
        words << toString(v.kind);
    }
    return words;
}

} // namespace

class TestStoreHistory : public QObject {
    Q_OBJECT

private:
    StoreFixture m_fixture;
    std::int64_t m_env = 0;

    Store& store() { return m_fixture.store(); }

    QByteArray valueOf(std::int64_t id, std::optional<int> version = std::nullopt) {
        auto v = store().value(id, version);
        return v ? toByteArray(*v) : QByteArray("<error>");
    }

    void prepare() {
        REQUIRE_OK(project, store().addProject(QStringLiteral("web")));
        REQUIRE_OK(env, store().addEnvironment(project->id, QStringLiteral("dev")));
        m_env = env->id;
    }

private Q_SLOTS:
    STORE_FIXTURE_SLOTS("bob")

    void everyChangeIsAVersion() {
        const qint64 start = QDateTime::currentMSecsSinceEpoch();
        REQUIRE_OK(s, store().setSecret(m_env, QStringLiteral("DB_URL"), bytesOf("v1")));
        REQUIRE_OK(u, store().setSecret(m_env, QStringLiteral("DB_URL"), bytesOf("v2")));
        REQUIRE_OK(e, store().editSecret(s->id, SecretEdit{QStringLiteral("primary"), std::nullopt}));
        REQUIRE_OK(r, store().renameSecret(s->id, QStringLiteral("DATABASE_URL")));
        REQUIRE_OK(d, store().deleteSecret(s->id));
        REQUIRE_OK(back, store().restoreVersion(s->id, 2));
        QCOMPARE(back->version, 6);
        QCOMPARE(back->versionCount, 6);

        REQUIRE_OK(history, store().history(s->id));
        QCOMPARE(kinds(*history),
                 (QStringList{QStringLiteral("created"), QStringLiteral("updated"), QStringLiteral("updated"),
                              QStringLiteral("renamed"), QStringLiteral("deleted"), QStringLiteral("restored")}));
        qint64 previous = start;
        for (std::size_t i = 0; i < history->size(); ++i) {
            const SecretVersion& v = history->at(i);
            QCOMPARE(v.secretId, s->id);
            QCOMPARE(v.version, static_cast<int>(i) + 1);
            QCOMPARE(v.author, QStringLiteral("bob"));
            QCOMPARE(v.at.timeSpec(), Qt::UTC);
            QVERIFY(v.at.toMSecsSinceEpoch() >= previous);
            previous = v.at.toMSecsSinceEpoch();
            QCOMPARE(v.deleted, v.kind == VersionKind::Deleted);
            QCOMPARE(v.restoredFrom, v.kind == VersionKind::Restored ? 2 : 0);
        }
        QCOMPARE(history->at(2).note, QStringLiteral("primary"));
        QCOMPARE(history->at(3).name, QStringLiteral("DATABASE_URL"));
        QCOMPARE(history->at(5).name, QStringLiteral("DB_URL")); // version 2's name came back
        QCOMPARE(history->at(5).note, QString());
    }

    void everyVersionKeepsItsValue() {
        REQUIRE_OK(s, store().setSecret(m_env, QStringLiteral("K"), bytesOf("first")));
        REQUIRE_OK(u, store().setSecret(m_env, QStringLiteral("K"), bytesOf("second")));
        REQUIRE_OK(r, store().renameSecret(s->id, QStringLiteral("K2")));
        REQUIRE_OK(d, store().deleteSecret(s->id));
        QCOMPARE(valueOf(s->id, 1), QByteArray("first"));
        QCOMPARE(valueOf(s->id, 2), QByteArray("second"));
        QCOMPARE(valueOf(s->id, 3), QByteArray("second"));
        QCOMPARE(valueOf(s->id, 4), QByteArray("second")); // the Deleted version carries the last value
        REQUIRE_ERROR(store().value(s->id), ErrorCode::NotFound);
        REQUIRE_ERROR(store().value(s->id, 5), ErrorCode::NotFound);
        REQUIRE_ERROR(store().value(s->id, 0), ErrorCode::NotFound);
        REQUIRE_ERROR(store().value(9999), ErrorCode::NotFound);
        REQUIRE_ERROR(store().history(9999), ErrorCode::NotFound);
    }

    void renameKeepsHistory() {
        REQUIRE_OK(s, store().setSecret(m_env, QStringLiteral("OLD"), bytesOf("v"),
                                        SecretEdit{QStringLiteral("n"), QStringList{QStringLiteral("t")}}));
        REQUIRE_OK(other, store().setSecret(m_env, QStringLiteral("TAKEN"), bytesOf("w")));
        REQUIRE_OK(r, store().renameSecret(s->id, QStringLiteral("NEW")));
        QCOMPARE(r->id, s->id);
        QCOMPARE(r->name, QStringLiteral("NEW"));
        QCOMPARE(r->version, 2);
        QCOMPARE(r->note, QStringLiteral("n"));
        QCOMPARE(r->tags, QStringList{QStringLiteral("t")});
        QCOMPARE(valueOf(s->id), QByteArray("v"));
        REQUIRE_ERROR(store().secret(m_env, QStringLiteral("OLD")), ErrorCode::NotFound);
        QCOMPARE(store().secret(m_env, QStringLiteral("NEW"))->id, s->id);
        REQUIRE_OK(history, store().history(s->id));
        QCOMPARE(history->size(), 2u);
        QCOMPARE(history->at(0).name, QStringLiteral("OLD"));
        QCOMPARE(toString(history->at(1).kind), toString(VersionKind::Renamed));

        const auto taken = store().renameSecret(s->id, QStringLiteral("TAKEN"));
        QVERIFY(!taken);
        QCOMPARE(taken.error().code, ErrorCode::AlreadyExists);
        QVERIFY2(taken.error().detail.contains(QStringLiteral("TAKEN")), qPrintable(taken.error().detail));
        REQUIRE_ERROR(store().renameSecret(s->id, QStringLiteral("BAD NAME")), ErrorCode::InvalidName);
        REQUIRE_OK(same, store().renameSecret(s->id, QStringLiteral("NEW")));
        QCOMPARE(same->version, 2); // renaming to its own name changes nothing
        QCOMPARE(store().history(s->id)->size(), 2u);
        REQUIRE_ERROR(store().renameSecret(9999, QStringLiteral("X")), ErrorCode::NotFound);
    }

    void deleteIsAVersion() {
        REQUIRE_OK(s,
                   store().setSecret(m_env, QStringLiteral("GONE"), bytesOf("v"), SecretEdit{QStringLiteral("n"), {}}));
        REQUIRE_OK(d, store().deleteSecret(s->id));
        QVERIFY(d->deleted);
        QCOMPARE(d->version, 2);
        QVERIFY(store().secrets(m_env)->empty());
        REQUIRE_ERROR(store().secret(m_env, QStringLiteral("GONE")), ErrorCode::NotFound);
        REQUIRE_OK(withDeleted, store().secret(m_env, QStringLiteral("GONE"), true));
        QVERIFY(withDeleted->deleted);
        QCOMPARE(withDeleted->note, QStringLiteral("n"));
        REQUIRE_ERROR(store().value(s->id), ErrorCode::NotFound);
        REQUIRE_OK(history, store().history(s->id));
        QCOMPARE(toString(history->back().kind), toString(VersionKind::Deleted));
        QVERIFY(history->back().deleted);
        QCOMPARE(store().counts()->secrets, 0);

        // A deleted secret cannot be deleted, edited or renamed again; restore it first.
        REQUIRE_ERROR(store().deleteSecret(s->id), ErrorCode::NotFound);
        REQUIRE_ERROR(store().editSecret(s->id, SecretEdit{QStringLiteral("x"), std::nullopt}), ErrorCode::NotFound);
        REQUIRE_ERROR(store().renameSecret(s->id, QStringLiteral("OTHER")), ErrorCode::NotFound);
        QCOMPARE(store().history(s->id)->size(), 2u);
    }

    void restoreBringsBackOldContent() {
        REQUIRE_OK(s, store().setSecret(m_env, QStringLiteral("API_KEY"), bytesOf("old\r\nvalue"),
                                        SecretEdit{QStringLiteral("old note"), QStringList{QStringLiteral("a")}}));
        REQUIRE_OK(u, store().setSecret(m_env, QStringLiteral("API_KEY"), bytesOf("new"),
                                        SecretEdit{QStringLiteral("new note"), QStringList{QStringLiteral("b")}}));
        REQUIRE_OK(r, store().renameSecret(s->id, QStringLiteral("API_TOKEN")));

        REQUIRE_OK(restored, store().restoreVersion(s->id, 1));
        QCOMPARE(restored->id, s->id);
        QCOMPARE(restored->version, 4);
        QCOMPARE(restored->name, QStringLiteral("API_KEY"));
        QCOMPARE(restored->note, QStringLiteral("old note"));
        QCOMPARE(restored->tags, QStringList{QStringLiteral("a")});
        QCOMPARE(restored->valueSize, 10);
        QVERIFY(!restored->deleted);
        QCOMPARE(valueOf(s->id), QByteArray("old\r\nvalue"));
        REQUIRE_OK(history, store().history(s->id));
        QCOMPARE(toString(history->back().kind), toString(VersionKind::Restored));
        QCOMPARE(history->back().restoredFrom, 1);
        QCOMPARE(history->back().name, QStringLiteral("API_KEY"));
        // Versions 1..3 are untouched.
        QCOMPARE(history->at(1).note, QStringLiteral("new note"));
        QCOMPARE(valueOf(s->id, 2), QByteArray("new"));

        REQUIRE_ERROR(store().restoreVersion(s->id, 99), ErrorCode::NotFound);
        REQUIRE_ERROR(store().restoreVersion(9999, 1), ErrorCode::NotFound);
    }

    void restoreUndoesDelete_data() {
        QTest::addColumn<int>("version");
        QTest::newRow("the version before the delete") << 2;
        QTest::newRow("the Deleted version itself") << 3;
    }

    void restoreUndoesDelete() {
        QFETCH(int, version);
        REQUIRE_OK(s, store().setSecret(m_env, QStringLiteral("UNDO"), bytesOf("a")));
        REQUIRE_OK(u, store().setSecret(m_env, QStringLiteral("UNDO"), bytesOf("b")));
        REQUIRE_OK(d, store().deleteSecret(s->id));
        REQUIRE_OK(back, store().restoreVersion(s->id, version));
        QVERIFY(!back->deleted);
        QCOMPARE(back->version, 4);
        QCOMPARE(valueOf(s->id), QByteArray("b"));
        QCOMPARE(store().secrets(m_env)->size(), 1u);
        REQUIRE_OK(events, store().auditEvents(1));
        QCOMPARE(events->front().action, QStringLiteral("restore"));
        QCOMPARE(events->front().secret, QStringLiteral("UNDO"));
    }

    void restoreOntoATakenNameIsRefused() {
        REQUIRE_OK(first, store().setSecret(m_env, QStringLiteral("NAME"), bytesOf("1")));
        REQUIRE_OK(moved, store().renameSecret(first->id, QStringLiteral("MOVED")));
        REQUIRE_OK(second, store().setSecret(m_env, QStringLiteral("NAME"), bytesOf("2")));
        QVERIFY(second->id != first->id);

        const auto refused = store().restoreVersion(first->id, 1);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::AlreadyExists);
        QVERIFY2(refused.error().detail.contains(QStringLiteral("NAME")), qPrintable(refused.error().detail));
        // Nothing was written: no version, no audit event, the names unchanged.
        QCOMPARE(store().history(first->id)->size(), 2u);
        QCOMPARE(store().secretById(first->id)->name, QStringLiteral("MOVED"));
        QCOMPARE(store().auditEvents(1)->front().secret, QStringLiteral("NAME"));
        QCOMPARE(store().auditEvents(1)->front().action, QStringLiteral("create"));
    }

    void setOnADeletedNameRevivesIt() {
        REQUIRE_OK(s, store().setSecret(m_env, QStringLiteral("BACK"), bytesOf("old"),
                                        SecretEdit{QStringLiteral("kept"), QStringList{QStringLiteral("x")}}));
        REQUIRE_OK(d, store().deleteSecret(s->id));
        REQUIRE_OK(revived, store().setSecret(m_env, QStringLiteral("BACK"), bytesOf("new")));
        QCOMPARE(revived->id, s->id);
        QCOMPARE(revived->version, 3);
        QVERIFY(!revived->deleted);
        QCOMPARE(revived->note, QStringLiteral("kept"));
        QCOMPARE(revived->tags, QStringList{QStringLiteral("x")});
        QCOMPARE(valueOf(s->id), QByteArray("new"));
        REQUIRE_OK(history, store().history(s->id));
        QCOMPARE(kinds(*history),
                 (QStringList{QStringLiteral("created"), QStringLiteral("deleted"), QStringLiteral("restored")}));
        QCOMPARE(history->back().restoredFrom, 0); // new content, not a copy of an earlier version
        QCOMPARE(store().counts()->secrets, 1);

        // Even the same value revives: a deleted secret is never a no-op target.
        REQUIRE_OK(d2, store().deleteSecret(s->id));
        REQUIRE_OK(again, store().setSecret(m_env, QStringLiteral("BACK"), bytesOf("new")));
        QCOMPARE(again->version, 5);
        QVERIFY(!again->deleted);
    }

    void deletedSecretsDoNotHoldTheirName() {
        REQUIRE_OK(a, store().setSecret(m_env, QStringLiteral("A"), bytesOf("a")));
        REQUIRE_OK(gone, store().deleteSecret(a->id));
        REQUIRE_OK(b, store().setSecret(m_env, QStringLiteral("B"), bytesOf("b")));
        // Renaming onto a deleted secret's name is fine: only live names are unique.
        REQUIRE_OK(renamed, store().renameSecret(b->id, QStringLiteral("A")));
        // Now setSecret(A) updates the live one, and restoring the deleted one collides.
        REQUIRE_OK(updated, store().setSecret(m_env, QStringLiteral("A"), bytesOf("b2")));
        QCOMPARE(updated->id, b->id);
        REQUIRE_ERROR(store().restoreVersion(a->id, 1), ErrorCode::AlreadyExists);
        REQUIRE_OK(both, store().secrets(m_env, true));
        QCOMPARE(both->size(), 2u);
        QCOMPARE(store().secret(m_env, QStringLiteral("A"), true)->id, b->id); // the live one first
    }

    void editSecret() {
        REQUIRE_OK(s, store().setSecret(m_env, QStringLiteral("E"), bytesOf("v")));
        REQUIRE_OK(note, store().editSecret(s->id, SecretEdit{QStringLiteral("n1"), std::nullopt}));
        QCOMPARE(note->version, 2);
        QCOMPARE(note->note, QStringLiteral("n1"));
        REQUIRE_OK(tags, store().editSecret(s->id, SecretEdit{std::nullopt, QStringList{QStringLiteral("t")}}));
        QCOMPARE(tags->version, 3);
        QCOMPARE(tags->note, QStringLiteral("n1"));
        QCOMPARE(tags->tags, QStringList{QStringLiteral("t")});
        REQUIRE_OK(same, store().editSecret(s->id, SecretEdit{QStringLiteral("n1"), QStringList{QStringLiteral("t")}}));
        QCOMPARE(same->version, 3); // nothing changed, no version
        QCOMPARE(valueOf(s->id, 3), QByteArray("v"));
        REQUIRE_OK(events, store().auditEvents(1));
        QCOMPARE(events->front().action, QStringLiteral("update"));
        QVERIFY(events->front().detail.contains(QStringLiteral("tags")));
        REQUIRE_ERROR(store().editSecret(9999, SecretEdit{}), ErrorCode::NotFound);
    }

    void auditFollowsEachChange() {
        REQUIRE_OK(s, store().setSecret(m_env, QStringLiteral("A"), bytesOf("1")));
        REQUIRE_OK(u, store().setSecret(m_env, QStringLiteral("A"), bytesOf("2")));
        REQUIRE_OK(r, store().renameSecret(s->id, QStringLiteral("B")));
        REQUIRE_OK(d, store().deleteSecret(s->id));
        REQUIRE_OK(b, store().restoreVersion(s->id, 1));
        REQUIRE_OK(events, store().auditEvents(5));
        QStringList actions;
        QStringList secrets;
        for (auto it = events->rbegin(); it != events->rend(); ++it) {
            actions << it->action;
            secrets << it->secret;
            QCOMPARE(it->project, QStringLiteral("web"));
            QCOMPARE(it->environment, QStringLiteral("dev"));
            QCOMPARE(it->actor, QStringLiteral("bob"));
        }
        QCOMPARE(actions, (QStringList{QStringLiteral("create"), QStringLiteral("update"), QStringLiteral("rename"),
                                       QStringLiteral("delete"), QStringLiteral("restore")}));
        QCOMPARE(secrets, (QStringList{QStringLiteral("A"), QStringLiteral("A"), QStringLiteral("B"),
                                       QStringLiteral("B"), QStringLiteral("A")}));
    }

    void historySurvivesReopening() {
        REQUIRE_OK(s, store().setSecret(m_env, QStringLiteral("P"), bytesOf("1")));
        REQUIRE_OK(u, store().setSecret(m_env, QStringLiteral("P"), bytesOf("2")));
        QString error;
        QVERIFY2(m_fixture.reopen(QStringLiteral("bob"), error), qPrintable(error));
        QCOMPARE(store().history(s->id)->size(), 2u);
        QCOMPARE(valueOf(s->id, 1), QByteArray("1"));
        QCOMPARE(valueOf(s->id), QByteArray("2"));
    }
};

QTEST_GUILESS_MAIN(TestStoreHistory)
#include "TestStoreHistory.moc"
