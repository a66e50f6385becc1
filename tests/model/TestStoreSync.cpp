// SPDX-License-Identifier: Apache-2.0
// The Store's side of team sync: every local change of a shared environment appends the right outbox rows
// (op, name, value, note, base record, secret and version) in the same transaction; unshared environments and
// tags-only edits append none; applyRemote() writes versions with the change's author and never an outbox row.
// The sync tables are filled with SQL here, as sync/ would fill them.
#include "tests/model/StoreTestSupport.h"

#include "model/Database.h"

using namespace coffer::model;
using namespace coffer::model::testing;

namespace {

constexpr int kSet = 1;    // protocol::ChangeOp::Set
constexpr int kDelete = 2; // protocol::ChangeOp::Delete

const QByteArray kZeroRecord(16, '\0');

struct OutboxRow {
    QByteArray recordId;
    int op = 0;
    QString name;
    QByteArray value;
    QString note;
    QByteArray base;
    std::int64_t secretId = 0;
    int version = 0;
};

QByteArray blobOf(const Statement& q, int column) {
    const auto bytes = q.columnView(column);
    return {reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size())};
}

QByteArray recordId(char fill) {
    return QByteArray(16, fill);
}

} // namespace

class TestStoreSync : public QObject {
    Q_OBJECT

private:
    StoreFixture m_fixture;
    std::int64_t m_shared = 0;   // "app/dev", shared with a team
    std::int64_t m_unshared = 0; // "app/local"

    Store& store() { return m_fixture.store(); }
    Database& db() { return m_fixture.vault().database(); }

    void prepare() {
        REQUIRE_OK(project, store().addProject(QStringLiteral("app")));
        REQUIRE_OK(dev, store().addEnvironment(project->id, QStringLiteral("dev")));
        REQUIRE_OK(local, store().addEnvironment(project->id, QStringLiteral("local")));
        m_shared = dev->id;
        m_unshared = local->id;
        REQUIRE_OK(team, db().exec("INSERT INTO sync_teams (team, name, server_url, joined_at) "
                                   "VALUES (zeroblob(32), 'team', 'http://127.0.0.1:1', 0)"));
        REQUIRE_OK(q, db().prepare("INSERT INTO sync_environments (environment_id, team, environment, head_hash) "
                                   "VALUES (?1, zeroblob(32), randomblob(16), zeroblob(32))"));
        REQUIRE_OK(shared, q->bind(1, m_shared).run());
    }

    // Every outbox row, in order.
    std::vector<OutboxRow> outbox() {
        std::vector<OutboxRow> rows;
        auto q = db().prepare("SELECT record_id, op, name, value, note, base_record, secret_id, version "
                              "FROM sync_outbox ORDER BY id");
        if (!q) {
            qWarning("outbox: %s", qPrintable(q.error().detail));
            return rows;
        }
        for (auto row = q->step(); row && *row; row = q->step()) {
            rows.push_back(OutboxRow{blobOf(*q, 0), static_cast<int>(q->columnInt(1)), q->columnText(2), blobOf(*q, 3),
                                     q->columnText(4), blobOf(*q, 5), q->columnInt(6),
                                     static_cast<int>(q->columnInt(7))});
        }
        return rows;
    }

    // A verified log row as sync/ writes it after applying a pulled record.
    bool addLogRow(int seq, const QByteArray& record, const QString& name) {
        auto q = db().prepare("INSERT INTO sync_log (environment_id, seq, record_id, author, epoch, record, name, op, "
                              "base_record) VALUES (?1, ?2, ?3, zeroblob(32), 1, x'00', ?4, 1, zeroblob(16))");
        if (!q) {
            return false;
        }
        q->bind(1, m_shared).bind(2, seq).bindBlob(3, bytesOf(record)).bind(4, name);
        return q->run().has_value();
    }

    QByteArray valueOf(std::int64_t id, std::optional<int> version = std::nullopt) {
        auto v = store().value(id, version);
        return v ? toByteArray(*v) : QByteArray("<error>");
    }

    // Checks a row's content; the record id is fresh (16 bytes, not zero, not the base).
    static void verifyRow(const OutboxRow& row, int op, const QString& name, const QByteArray& value,
                          const QString& note, const QByteArray& base, const SecretSummary& at) {
        QCOMPARE(row.op, op);
        QCOMPARE(row.name, name);
        QCOMPARE(row.value, value);
        QCOMPARE(row.note, note);
        QCOMPARE(row.base, base);
        QCOMPARE(row.secretId, at.id);
        QCOMPARE(row.version, at.version);
        QCOMPARE(row.recordId.size(), 16);
        QVERIFY(row.recordId != kZeroRecord);
        QVERIFY(row.recordId != row.base);
    }

private Q_SLOTS:
    STORE_FIXTURE_SLOTS("alice")

    void isSharedFollowsTheSyncEnvironmentsRow() {
        REQUIRE_OK(shared, store().isShared(m_shared));
        QVERIFY(*shared);
        REQUIRE_OK(unshared, store().isShared(m_unshared));
        QVERIFY(!*unshared);
        REQUIRE_ERROR(store().isShared(m_shared + m_unshared + 100), ErrorCode::NotFound);
    }

    void unsharedEnvironmentGetsNoRows() {
        REQUIRE_OK(s, store().setSecret(m_unshared, QStringLiteral("K"), bytesOf("v1")));
        REQUIRE_OK(u, store().setSecret(m_unshared, QStringLiteral("K"), bytesOf("v2")));
        REQUIRE_OK(e, store().editSecret(s->id, SecretEdit{QStringLiteral("note"), std::nullopt}));
        REQUIRE_OK(r, store().renameSecret(s->id, QStringLiteral("K2")));
        REQUIRE_OK(d, store().deleteSecret(s->id));
        REQUIRE_OK(back, store().restoreVersion(s->id, 1));
        REQUIRE_OK(revived, store().deleteSecret(s->id));
        REQUIRE_OK(again, store().setSecret(m_unshared, QStringLiteral("K"), bytesOf("v3")));
        QCOMPARE(again->version, 8);
        QCOMPARE(outbox().size(), std::size_t{0});
    }

    void createIsASetOnANewName() {
        REQUIRE_OK(s, store().setSecret(m_shared, QStringLiteral("API_KEY"), bytesOf("v1"),
                                        SecretEdit{QStringLiteral("the key"), QStringList{QStringLiteral("tag")}}));
        const auto rows = outbox();
        QCOMPARE(rows.size(), std::size_t{1});
        verifyRow(rows[0], kSet, QStringLiteral("API_KEY"), "v1", QStringLiteral("the key"), kZeroRecord, *s);
        QCOMPARE(s->version, 1);
    }

    void pendingEditsChain() {
        REQUIRE_OK(s, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("v1")));
        REQUIRE_OK(u, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("v2")));
        REQUIRE_OK(other, store().setSecret(m_shared, QStringLiteral("OTHER"), bytesOf("x")));
        REQUIRE_OK(w, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("v3")));
        const auto rows = outbox();
        QCOMPARE(rows.size(), std::size_t{4});
        verifyRow(rows[0], kSet, QStringLiteral("K"), "v1", QString(), kZeroRecord, *s);
        verifyRow(rows[1], kSet, QStringLiteral("K"), "v2", QString(), rows[0].recordId, *u);
        verifyRow(rows[2], kSet, QStringLiteral("OTHER"), "x", QString(), kZeroRecord, *other);
        verifyRow(rows[3], kSet, QStringLiteral("K"), "v3", QString(), rows[1].recordId, *w); // not OTHER's
        QCOMPARE(w->version, 3);
        QVERIFY(rows[0].recordId != rows[1].recordId);
    }

    void baseIsTheNewestLogRowWhenNothingIsPending() {
        QVERIFY(addLogRow(1, recordId('\x01'), QStringLiteral("K")));
        QVERIFY(addLogRow(2, recordId('\x02'), QStringLiteral("K")));
        QVERIFY(addLogRow(3, recordId('\x03'), QStringLiteral("OTHER")));
        REQUIRE_OK(s, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("mine")));
        // A pending row is newer than anything in the log.
        REQUIRE_OK(u, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("mine again")));
        const auto rows = outbox();
        QCOMPARE(rows.size(), std::size_t{2});
        verifyRow(rows[0], kSet, QStringLiteral("K"), "mine", QString(), recordId('\x02'), *s);
        verifyRow(rows[1], kSet, QStringLiteral("K"), "mine again", QString(), rows[0].recordId, *u);

        // Once acknowledged (sync/ moves it to the log and removes it from the outbox) the log is the base again.
        QVERIFY(addLogRow(4, rows[0].recordId, QStringLiteral("K")));
        QVERIFY(addLogRow(5, rows[1].recordId, QStringLiteral("K")));
        REQUIRE_OK(cleared, db().exec("DELETE FROM sync_outbox"));
        REQUIRE_OK(w, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("third")));
        const auto after = outbox();
        QCOMPARE(after.size(), std::size_t{1});
        verifyRow(after[0], kSet, QStringLiteral("K"), "third", QString(), rows[1].recordId, *w);
    }

    void unchangedSetAddsNothing() {
        REQUIRE_OK(s, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("v1"),
                                        SecretEdit{QStringLiteral("n"), std::nullopt}));
        REQUIRE_OK(same, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("v1")));
        QCOMPARE(same->version, 1);
        QCOMPARE(outbox().size(), std::size_t{1});
    }

    void tagsOnlyEditsAddNothing() {
        REQUIRE_OK(s, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("v1")));
        REQUIRE_OK(e, store().editSecret(s->id, SecretEdit{std::nullopt, QStringList{QStringLiteral("a")}}));
        QCOMPARE(e->version, 2);
        // setSecret with the same value and note but new tags is a tags-only change too.
        REQUIRE_OK(t, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("v1"),
                                        SecretEdit{std::nullopt, QStringList{QStringLiteral("b")}}));
        QCOMPARE(t->version, 3);
        QCOMPARE(outbox().size(), std::size_t{1});
    }

    void noteEditIsASetWithTheCurrentValue() {
        REQUIRE_OK(s, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("value")));
        REQUIRE_OK(e, store().editSecret(s->id, SecretEdit{QStringLiteral("new note"), std::nullopt}));
        REQUIRE_OK(both, store().editSecret(
                             s->id, SecretEdit{QStringLiteral("third note"), QStringList{QStringLiteral("tag")}}));
        const auto rows = outbox();
        QCOMPARE(rows.size(), std::size_t{3});
        verifyRow(rows[1], kSet, QStringLiteral("K"), "value", QStringLiteral("new note"), rows[0].recordId, *e);
        verifyRow(rows[2], kSet, QStringLiteral("K"), "value", QStringLiteral("third note"), rows[1].recordId, *both);
    }

    void renameIsADeleteThenASet() {
        QVERIFY(addLogRow(1, recordId('\x07'), QStringLiteral("NEW"))); // the new name had a past in the log
        REQUIRE_OK(s, store().setSecret(m_shared, QStringLiteral("OLD"), bytesOf("value"),
                                        SecretEdit{QStringLiteral("n"), std::nullopt}));
        REQUIRE_OK(r, store().renameSecret(s->id, QStringLiteral("NEW")));
        const auto rows = outbox();
        QCOMPARE(rows.size(), std::size_t{3});
        verifyRow(rows[1], kDelete, QStringLiteral("OLD"), "", QString(), rows[0].recordId, *r);
        verifyRow(rows[2], kSet, QStringLiteral("NEW"), "value", QStringLiteral("n"), recordId('\x07'), *r);
        QCOMPARE(r->version, 2);
        // Renaming to a name with no past starts from zero.
        REQUIRE_OK(r2, store().renameSecret(s->id, QStringLiteral("THIRD")));
        const auto more = outbox();
        QCOMPARE(more.size(), std::size_t{5});
        verifyRow(more[3], kDelete, QStringLiteral("NEW"), "", QString(), rows[2].recordId, *r2);
        verifyRow(more[4], kSet, QStringLiteral("THIRD"), "value", QStringLiteral("n"), kZeroRecord, *r2);
    }

    void deleteIsADelete() {
        REQUIRE_OK(s, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("value"),
                                        SecretEdit{QStringLiteral("n"), std::nullopt}));
        REQUIRE_OK(d, store().deleteSecret(s->id));
        const auto rows = outbox();
        QCOMPARE(rows.size(), std::size_t{2});
        verifyRow(rows[1], kDelete, QStringLiteral("K"), "", QString(), rows[0].recordId, *d);
        QVERIFY(d->deleted);
    }

    void reviveIsASet() {
        REQUIRE_OK(s, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("old"),
                                        SecretEdit{QStringLiteral("n"), std::nullopt}));
        REQUIRE_OK(d, store().deleteSecret(s->id));
        REQUIRE_OK(back, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("new")));
        QCOMPARE(back->id, s->id);
        const auto rows = outbox();
        QCOMPARE(rows.size(), std::size_t{3});
        verifyRow(rows[2], kSet, QStringLiteral("K"), "new", QStringLiteral("n"), rows[1].recordId, *back);
        QCOMPARE(back->version, 3);
    }

    void restoreIsASetOfTheRestoredContent() {
        REQUIRE_OK(s, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("first"),
                                        SecretEdit{QStringLiteral("n1"), std::nullopt}));
        REQUIRE_OK(u, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("second"),
                                        SecretEdit{QStringLiteral("n2"), std::nullopt}));
        REQUIRE_OK(back, store().restoreVersion(s->id, 1));
        auto rows = outbox();
        QCOMPARE(rows.size(), std::size_t{3});
        verifyRow(rows[2], kSet, QStringLiteral("K"), "first", QStringLiteral("n1"), rows[1].recordId, *back);

        // Restoring a deleted secret: only the Set (its name is already deleted for the team).
        REQUIRE_OK(d, store().deleteSecret(s->id));
        REQUIRE_OK(again, store().restoreVersion(s->id, 2));
        rows = outbox();
        QCOMPARE(rows.size(), std::size_t{5});
        verifyRow(rows[3], kDelete, QStringLiteral("K"), "", QString(), rows[2].recordId, *d);
        verifyRow(rows[4], kSet, QStringLiteral("K"), "second", QStringLiteral("n2"), rows[3].recordId, *again);
    }

    void restoringAnotherNameOfALiveSecretIsARename() {
        REQUIRE_OK(s, store().setSecret(m_shared, QStringLiteral("A"), bytesOf("value")));
        REQUIRE_OK(r, store().renameSecret(s->id, QStringLiteral("B")));
        REQUIRE_OK(back, store().restoreVersion(s->id, 1));
        QCOMPARE(back->name, QStringLiteral("A"));
        const auto rows = outbox();
        QCOMPARE(rows.size(), std::size_t{5}); // Set A; Delete A, Set B; Delete B, Set A
        verifyRow(rows[3], kDelete, QStringLiteral("B"), "", QString(), rows[2].recordId, *back);
        verifyRow(rows[4], kSet, QStringLiteral("A"), "value", QString(), rows[1].recordId, *back);
    }

    void failedChangesLeaveNoRow() {
        REQUIRE_OK(a, store().setSecret(m_shared, QStringLiteral("A"), bytesOf("a")));
        REQUIRE_OK(b, store().setSecret(m_shared, QStringLiteral("B"), bytesOf("b")));
        const auto before = outbox().size();
        REQUIRE_ERROR(store().renameSecret(a->id, QStringLiteral("B")), ErrorCode::AlreadyExists);
        REQUIRE_OK(r, store().renameSecret(a->id, QStringLiteral("C")));
        REQUIRE_OK(bGone, store().deleteSecret(b->id));
        REQUIRE_OK(bNew, store().setSecret(m_shared, QStringLiteral("A"), bytesOf("other")));
        const auto middle = outbox().size();
        QCOMPARE(middle, before + 4);
        REQUIRE_ERROR(store().restoreVersion(a->id, 1), ErrorCode::AlreadyExists); // "A" is taken again
        REQUIRE_ERROR(store().setSecret(m_shared, QStringLiteral("BIG"),
                                        bytesOf(QByteArray(static_cast<qsizetype>(kMaxValueBytes) + 1, 'x'))),
                      ErrorCode::TooLarge);
        REQUIRE_ERROR(store().setSecret(m_shared, QStringLiteral("bad name"), bytesOf("x")), ErrorCode::InvalidName);
        QCOMPARE(outbox().size(), middle);
    }

    // A failure after the outbox row was written (an audit insert, or a rename's second row) takes the row back
    // with the rest of the change.
    void aFailureAfterTheRowTakesItBack_data() {
        QTest::addColumn<QString>("trigger");
        QTest::addColumn<QString>("change");
        const QString failAudit = QStringLiteral("BEFORE INSERT ON audit_events");
        const QString failSet = QStringLiteral("BEFORE INSERT ON sync_outbox WHEN NEW.op = 1");
        QTest::newRow("create, audit fails") << failAudit << QStringLiteral("create");
        QTest::newRow("update, audit fails") << failAudit << QStringLiteral("update");
        QTest::newRow("rename, Set row fails") << failSet << QStringLiteral("rename");
        QTest::newRow("restore renamed, Set row fails") << failSet << QStringLiteral("restore");
    }

    void aFailureAfterTheRowTakesItBack() {
        QFETCH(QString, trigger);
        QFETCH(QString, change);
        REQUIRE_OK(s, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("v1")));
        REQUIRE_OK(r, store().renameSecret(s->id, QStringLiteral("K2"))); // version 1 has another name
        const auto before = outbox();
        const QString sql =
            QStringLiteral("CREATE TEMP TRIGGER fail_once %1 BEGIN SELECT RAISE(ABORT, 'injected'); END").arg(trigger);
        REQUIRE_OK(armed, db().exec(sql.toStdString()));
        Result<SecretSummary> result = fail(ErrorCode::Io, QStringLiteral("no change made"));
        if (change == QLatin1String("create")) {
            result = store().setSecret(m_shared, QStringLiteral("NEW"), bytesOf("x"));
        } else if (change == QLatin1String("update")) {
            result = store().setSecret(m_shared, QStringLiteral("K2"), bytesOf("v2"));
        } else if (change == QLatin1String("rename")) {
            result = store().renameSecret(s->id, QStringLiteral("K3"));
        } else {
            result = store().restoreVersion(s->id, 1);
        }
        REQUIRE_OK(disarmed, db().exec("DROP TRIGGER fail_once"));
        QVERIFY(!result);
        QCOMPARE(outbox().size(), before.size());
        REQUIRE_OK(now, store().secretById(s->id));
        QCOMPARE(now->version, 2);
        QCOMPARE(now->name, QStringLiteral("K2"));
        REQUIRE_ERROR(store().secret(m_shared, QStringLiteral("NEW")), ErrorCode::NotFound);
    }

    void aFailedTransactionLeavesNoRow() {
        REQUIRE_ERROR(store().transaction([&]() -> Result<void> {
            auto first = store().setSecret(m_shared, QStringLiteral("A"), bytesOf("a"));
            if (!first) {
                return std::unexpected(first.error());
            }
            auto second = store().setSecret(m_shared, QStringLiteral("B"),
                                            bytesOf(QByteArray(static_cast<qsizetype>(kMaxValueBytes) + 1, 'x')));
            return second ? Result<void>{} : std::unexpected(second.error());
        }),
                      ErrorCode::TooLarge);
        QCOMPARE(outbox().size(), std::size_t{0});
        REQUIRE_ERROR(store().secret(m_shared, QStringLiteral("A")), ErrorCode::NotFound);
    }

    bool noAuditBy(const QString& actor) {
        auto events = store().auditEvents();
        return events && std::none_of(events->begin(), events->end(),
                                      [&](const AuditEvent& event) { return event.actor == actor; });
    }

    void applyRemoteCreatesWithTheAuthor() {
        REQUIRE_OK(s, store().applyRemote(Store::RemoteChange{m_shared, false, QStringLiteral("K"), bytesOf("theirs"),
                                                              QStringLiteral("from bob"), QStringLiteral("bob")}));
        QCOMPARE(s->version, 1);
        QCOMPARE(s->updatedBy, QStringLiteral("bob"));
        QCOMPARE(s->note, QStringLiteral("from bob"));
        QCOMPARE(valueOf(s->id), QByteArray("theirs"));
        REQUIRE_OK(history, store().history(s->id));
        QCOMPARE(history->size(), std::size_t{1});
        QCOMPARE(toString(history->at(0).kind), toString(VersionKind::Created));
        QCOMPARE(history->at(0).author, QStringLiteral("bob"));
        QVERIFY(noAuditBy(QStringLiteral("bob"))); // a teammate's change is history, not a local audit event
        QCOMPARE(outbox().size(), std::size_t{0});
    }

    void applyRemoteUpdatesKeepingTags() {
        REQUIRE_OK(s, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("mine"),
                                        SecretEdit{QStringLiteral("my note"), QStringList{QStringLiteral("local")}}));
        const auto pending = outbox().size();
        REQUIRE_OK(u, store().applyRemote(Store::RemoteChange{m_shared, false, QStringLiteral("K"), bytesOf("theirs"),
                                                              QStringLiteral("their note"), QStringLiteral("bob")}));
        QCOMPARE(u->id, s->id);
        QCOMPARE(u->version, 2);
        QCOMPARE(u->note, QStringLiteral("their note"));
        QCOMPARE(u->tags, QStringList{QStringLiteral("local")});
        QCOMPARE(u->updatedBy, QStringLiteral("bob"));
        QCOMPARE(valueOf(s->id), QByteArray("theirs"));
        QCOMPARE(valueOf(s->id, 1), QByteArray("mine"));
        REQUIRE_OK(history, store().history(s->id));
        QCOMPARE(toString(history->at(1).kind), toString(VersionKind::Updated));
        QCOMPARE(history->at(1).author, QStringLiteral("bob"));
        QVERIFY(noAuditBy(QStringLiteral("bob")));

        // The same content again writes nothing.
        REQUIRE_OK(same,
                   store().applyRemote(Store::RemoteChange{m_shared, false, QStringLiteral("K"), bytesOf("theirs"),
                                                           QStringLiteral("their note"), QStringLiteral("carol")}));
        QCOMPARE(same->version, 2);
        QCOMPARE(same->updatedBy, QStringLiteral("bob"));
        QCOMPARE(outbox().size(), pending);
        // The local author is unchanged for local changes.
        REQUIRE_OK(mine, store().setSecret(m_shared, QStringLiteral("K"), bytesOf("mine again")));
        QCOMPARE(mine->updatedBy, QStringLiteral("alice"));
    }

    void applyRemoteDeletesAndRevives() {
        REQUIRE_OK(s, store().setSecret(m_unshared, QStringLiteral("K"), bytesOf("v1"),
                                        SecretEdit{std::nullopt, QStringList{QStringLiteral("kept")}}));
        REQUIRE_OK(d, store().applyRemote(Store::RemoteChange{
                          m_unshared, true, QStringLiteral("K"), {}, QString(), QStringLiteral("bob")}));
        QVERIFY(d->deleted);
        QCOMPARE(d->version, 2);
        QCOMPARE(d->updatedBy, QStringLiteral("bob"));
        QVERIFY(noAuditBy(QStringLiteral("bob")));

        // A delete of a name with nothing live writes nothing: the deleted secret, or NotFound.
        REQUIRE_OK(again, store().applyRemote(Store::RemoteChange{
                              m_unshared, true, QStringLiteral("K"), {}, QString(), QStringLiteral("carol")}));
        QCOMPARE(again->version, 2);
        QVERIFY(again->deleted);
        REQUIRE_ERROR(store().applyRemote(Store::RemoteChange{
                          m_unshared, true, QStringLiteral("NEVER"), {}, QString(), QStringLiteral("carol")}),
                      ErrorCode::NotFound);

        REQUIRE_OK(back, store().applyRemote(Store::RemoteChange{m_unshared, false, QStringLiteral("K"), bytesOf("v2"),
                                                                 QStringLiteral("n"), QStringLiteral("carol")}));
        QCOMPARE(back->id, s->id);
        QCOMPARE(back->version, 3);
        QVERIFY(!back->deleted);
        QCOMPARE(back->tags, QStringList{QStringLiteral("kept")});
        REQUIRE_OK(history, store().history(s->id));
        QCOMPARE(toString(history->at(1).kind), toString(VersionKind::Deleted));
        QCOMPARE(history->at(1).author, QStringLiteral("bob"));
        QCOMPARE(toString(history->at(2).kind), toString(VersionKind::Restored));
        QCOMPARE(history->at(2).author, QStringLiteral("carol"));
        QVERIFY(noAuditBy(QStringLiteral("carol")));
    }

    void applyRemoteNeverQueues() {
        // In a shared environment, inside one transaction, as the engine applies a pull.
        REQUIRE_OK(applied, store().transaction([&]() -> Result<void> {
            for (int i = 0; i < 50; ++i) {
                const QString name = QStringLiteral("K%1").arg(i % 10);
                const QByteArray value = QByteArray::number(i);
                auto r = store().applyRemote(
                    Store::RemoteChange{m_shared, i % 7 == 6, name, bytesOf(value), QString(), QStringLiteral("bob")});
                if (!r && r.error().code != ErrorCode::NotFound) {
                    return std::unexpected(r.error());
                }
            }
            return {};
        }));
        QCOMPARE(outbox().size(), std::size_t{0});
        REQUIRE_OK(k9, store().secret(m_shared, QStringLiteral("K9"))); // last set by i = 49
        QCOMPARE(valueOf(k9->id), QByteArray("49"));
        QCOMPARE(k9->updatedBy, QStringLiteral("bob"));
    }

    void applyRemoteChecksLikeALocalChange() {
        REQUIRE_ERROR(store().applyRemote(Store::RemoteChange{m_shared, false, QStringLiteral("bad name"), bytesOf("x"),
                                                              QString(), QStringLiteral("bob")}),
                      ErrorCode::InvalidName);
        const QByteArray big(static_cast<qsizetype>(kMaxValueBytes) + 1, 'x');
        REQUIRE_ERROR(store().applyRemote(Store::RemoteChange{m_shared, false, QStringLiteral("BIG"), bytesOf(big),
                                                              QString(), QStringLiteral("bob")}),
                      ErrorCode::TooLarge);
        REQUIRE_ERROR(store().applyRemote(Store::RemoteChange{m_shared + m_unshared + 100, false, QStringLiteral("K"),
                                                              bytesOf("x"), QString(), QStringLiteral("bob")}),
                      ErrorCode::NotFound);
        REQUIRE_OK(counts, store().counts());
        QCOMPARE(counts->versions, std::int64_t{0});
    }
};

QTEST_GUILESS_MAIN(TestStoreSync)
#include "TestStoreSync.moc"
