// SPDX-License-Identifier: Apache-2.0
// The vault file working as intended: create, unlock, lock, password change, permissions, no plaintext on
// disk, migration of a stored version-1 vault, the default location. Failures are in TestVaultErrors.

#include "tests/model/VaultTestSupport.h"

#include "model/Database.h"
#include "model/Schema.h"
#include "model/Vault.h"

#include <sqlcipher/sqlite3.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace coffer::model;
using namespace coffer::model::testing;

namespace {

const QByteArray kValue = QByteArrayLiteral("s3cr3t-value-for-the-vault-test");

QString pragma(Database& db, const char* sql) {
    auto q = db.prepare(sql);
    if (!q) {
        return {};
    }
    auto row = q->step();
    return row && *row ? q->columnText(0) : QString();
}

// Restores the process umask when a test ends, however it ends.
class UmaskGuard {
public:
    explicit UmaskGuard(mode_t mask)
        : m_saved(::umask(mask)) {}
    ~UmaskGuard() { ::umask(m_saved); }
    UmaskGuard(const UmaskGuard&) = delete;
    UmaskGuard& operator=(const UmaskGuard&) = delete;

private:
    mode_t m_saved;
};

} // namespace

class TestVault : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString& name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void createUnlockLockUnlock() {
        const QString file = path(QStringLiteral("cycle/vault.coffer"));
        auto created = Vault::create(file, pw("correct horse"), KdfCost::minimum());
        QVERIFY2(created.has_value(), qPrintable(created ? QString() : created.error().message()));
        QVERIFY(created->isOpen());
        QCOMPARE(created->path(), file);
        const VaultInfo info = created->info();
        QCOMPARE(info.schemaVersion, kSchemaVersion);
        QCOMPARE(info.formatVersion, 1);
        QCOMPARE(info.cipherFormat, 1);
        QCOMPARE(info.cost, KdfCost::minimum());
        QVERIFY(info.fileSize >= kPage && info.fileSize % kPage == 0);
        QVERIFY(insertSecret(created->database(), QStringLiteral("API_KEY"), kValue).has_value());

        created->lock();
        QVERIFY(!created->isOpen());
        created->lock(); // idempotent
        QCOMPARE(created->path(), file);

        auto unlocked = Vault::unlock(file, pw("correct horse"));
        QVERIFY2(unlocked.has_value(), qPrintable(unlocked ? QString() : unlocked.error().message()));
        QCOMPARE(secretValue(unlocked->database(), QStringLiteral("API_KEY")), kValue);
        QCOMPARE(unlocked->info().schemaVersion, kSchemaVersion);
        unlocked->lock();

        // The two halves of unlock, as the GUI runs them (derivation on a worker).
        auto key = Vault::deriveKey(file, pw("correct horse"));
        QVERIFY(key.has_value());
        auto opened = Vault::open(file, *key);
        QVERIFY(opened.has_value());
        QVERIFY(std::ranges::equal(opened->key().bytes(), key->bytes()));
        QCOMPARE(secretValue(opened->database(), QStringLiteral("API_KEY")), kValue);
    }

    void readInfoNeedsNoPassword() {
        const QString file = path(QStringLiteral("info.coffer"));
        QVERIFY(Vault::create(file, pw("pw"), KdfCost{3, 64}).has_value());
        auto info = Vault::readInfo(file);
        QVERIFY(info.has_value());
        QCOMPARE(info->path, file);
        QCOMPARE(info->cost, (KdfCost{3, 64}));
        QCOMPARE(info->schemaVersion, 0);
        QCOMPARE(info->fileSize, QFileInfo(file).size());
    }

    void movedFromVaultIsClosed() {
        auto created = Vault::create(path(QStringLiteral("moved.coffer")), pw("pw"), KdfCost::minimum());
        QVERIFY(created.has_value());
        Vault moved = std::move(*created);
        QVERIFY(moved.isOpen());
        QVERIFY(!created->isOpen()); // NOLINT(bugprone-use-after-move): the moved-from state is specified
        QVERIFY(created->path().isEmpty());
        created->lock();
    }

    void connectionSettings() {
        auto vault = Vault::create(path(QStringLiteral("pragmas.coffer")), pw("pw"), KdfCost::minimum());
        QVERIFY(vault.has_value());
        Database& db = vault->database();
        QCOMPARE(pragma(db, "PRAGMA foreign_keys"), QStringLiteral("1"));
        QCOMPARE(pragma(db, "PRAGMA secure_delete"), QStringLiteral("1"));
        QCOMPARE(pragma(db, "PRAGMA temp_store"), QStringLiteral("2")); // MEMORY
        QCOMPARE(pragma(db, "PRAGMA journal_mode"), QStringLiteral("delete"));
        QCOMPARE(pragma(db, "PRAGMA cipher_page_size"), QStringLiteral("4096"));
        QCOMPARE(pragma(db, "PRAGMA page_size"), QStringLiteral("4096"));
    }

    void createdOwnerOnlyWhateverTheUmask_data() {
        QTest::addColumn<int>("mask");
        QTest::newRow("022") << 0022;
        QTest::newRow("000") << 0000;
        QTest::newRow("277") << 0277; // would leave a file we cannot write, without the fchmod
    }

    void createdOwnerOnlyWhateverTheUmask() {
        QFETCH(int, mask);
        const UmaskGuard guard(static_cast<mode_t>(mask));
        const QString top = path(QStringLiteral("perm%1").arg(mask, 3, 8, QLatin1Char('0')));
        const QString file = top + QStringLiteral("/nested/vault.coffer");
        auto vault = Vault::create(file, pw("pw"), KdfCost::minimum());
        QVERIFY2(vault.has_value(), qPrintable(vault ? QString() : vault.error().message()));
        QCOMPARE(modeOf(file), 0600);
        QCOMPARE(modeOf(top), 0700);
        QCOMPARE(modeOf(top + QStringLiteral("/nested")), 0700);

        // A write in progress: the rollback journal exists, owner-only like the vault.
        Database& db = vault->database();
        QVERIFY(db.exec("BEGIN").has_value());
        QVERIFY(insertSecret(db, QStringLiteral("PENDING"), kValue).has_value());
        const QString journal = file + QStringLiteral("-journal");
        QVERIFY(QFileInfo::exists(journal));
        QCOMPARE(modeOf(journal), 0600);
        QVERIFY(!QFileInfo::exists(file + QStringLiteral("-wal")));
        QVERIFY(db.exec("ROLLBACK").has_value());
        QVERIFY(!QFileInfo::exists(journal));
    }

    // The "strings" check: neither a secret's name nor its value appears in any file on disk, while a write
    // is pending (the journal then holds the page that contains them) and after closing.
    void noPlaintextOnDisk() {
        const QByteArray name = QByteArrayLiteral("CANARY_NAME_5A1F0C");
        const QByteArray value = QByteArrayLiteral("canary-value-0b7e42d9");
        const QString file = path(QStringLiteral("strings.coffer"));
        const QString journal = file + QStringLiteral("-journal");
        auto vault = Vault::create(file, pw("pw"), KdfCost::minimum());
        QVERIFY(vault.has_value());
        QVERIFY(insertSecret(vault->database(), QString::fromLatin1(name), value).has_value());

        Database& db = vault->database();
        QVERIFY(db.exec("BEGIN").has_value());
        QVERIFY(db.exec("UPDATE secrets SET note = 'touched'").has_value());
        QVERIFY(QFileInfo::exists(journal));
        for (const QString& f : {file, journal}) {
            const QByteArray bytes = readFile(f);
            QVERIFY(!bytes.isEmpty());
            QVERIFY2(!bytes.contains(name), qPrintable(f));
            QVERIFY2(!bytes.contains(value), qPrintable(f));
        }
        QVERIFY(db.exec("COMMIT").has_value());
        vault->lock();
        const QByteArray closed = readFile(file);
        QVERIFY(!closed.contains(name));
        QVERIFY(!closed.contains(value));

        // Control: the same rows in an unencrypted database are found, so the scan can fail.
        const QString plainPath = path(QStringLiteral("strings-plain.db"));
        sqlite3* handle = nullptr;
        QCOMPARE(sqlite3_open_v2(QFile::encodeName(plainPath).constData(), &handle,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
                 SQLITE_OK);
        {
            Database plain(handle);
            QVERIFY(createSchema(plain).has_value());
            QVERIFY(insertSecret(plain, QString::fromLatin1(name), value).has_value());
        }
        const QByteArray plainBytes = readFile(plainPath);
        QVERIFY(plainBytes.contains(name));
        QVERIFY(plainBytes.contains(value));
    }

    void changePassword() {
        const QString file = path(QStringLiteral("rekey/vault.coffer"));
        auto vault = Vault::create(file, pw("old password"), KdfCost::minimum());
        QVERIFY(vault.has_value());
        QVERIFY(insertSecret(vault->database(), QStringLiteral("TOKEN"), kValue).has_value());
        const auto saltBefore = readFile(file).left(16);

        Database& before = vault->database();
        auto changed = vault->changePassword(pw("new password"), KdfCost{3, 128});
        QVERIFY2(changed.has_value(), qPrintable(changed ? QString() : changed.error().message()));
        QVERIFY(vault->isOpen());
        QCOMPARE(&vault->database(), &before); // references held by the model layer stay valid
        QCOMPARE(vault->info().cost, (KdfCost{3, 128}));
        QCOMPARE(secretValue(vault->database(), QStringLiteral("TOKEN")), kValue);
        QVERIFY(insertSecret(vault->database(), QStringLiteral("AFTER"), kValue).has_value());
        vault->lock();

        QVERIFY(readFile(file).left(16) != saltBefore);
        QCOMPARE(modeOf(file), 0600);
        QVERIFY(!QFileInfo::exists(file + QStringLiteral(".rekey")));
        QCOMPARE(QDir(QFileInfo(file).absolutePath()).entryList(QDir::Files).size(), 1);
        auto info = Vault::readInfo(file);
        QVERIFY(info.has_value());
        QCOMPARE(info->cost, (KdfCost{3, 128}));

        auto old = Vault::unlock(file, pw("old password"));
        QVERIFY(!old.has_value());
        QCOMPARE(old.error().code, ErrorCode::WrongPassword);
        auto reopened = Vault::unlock(file, pw("new password"));
        QVERIFY(reopened.has_value());
        QCOMPARE(secretValue(reopened->database(), QStringLiteral("TOKEN")), kValue);
        QCOMPARE(secretValue(reopened->database(), QStringLiteral("AFTER")), kValue);

        // Without a new cost the cost stays.
        QVERIFY(reopened->changePassword(pw("third password")).has_value());
        QCOMPARE(reopened->info().cost, (KdfCost{3, 128}));
        reopened->lock();
        QVERIFY(Vault::unlock(file, pw("third password")).has_value());
    }

    void changePasswordLeavesLeftoverRekeyHarmless() {
        // A crash during an earlier change leaves NAME.rekey: the old vault is whole and the next change
        // replaces the leftover.
        const QString file = path(QStringLiteral("leftover.coffer"));
        auto vault = Vault::create(file, pw("one"), KdfCost::minimum());
        QVERIFY(vault.has_value());
        writeFile(file + QStringLiteral(".rekey"), QByteArrayLiteral("half-written garbage"));
        QVERIFY(vault->changePassword(pw("two")).has_value());
        vault->lock();
        QVERIFY(!QFileInfo::exists(file + QStringLiteral(".rekey")));
        QVERIFY(Vault::unlock(file, pw("two")).has_value());
    }

    void migratesStoredVersion1Vault() {
        const QString fixture = QStringLiteral(COFFER_TEST_DATA_DIR "/vault-v1.coffer");
        const QByteArray original = readFile(fixture);
        QVERIFY2(!original.isEmpty(), "tests/data/vault-v1.coffer is missing (see tests/model/MakeFixture.cpp)");
        const QString copy = path(QStringLiteral("v1.coffer"));
        QVERIFY(QFile::copy(fixture, copy));
        QVERIFY(QFile::setPermissions(copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner));

        auto info = Vault::readInfo(copy);
        QVERIFY(info.has_value());
        QCOMPARE(info->cost, KdfCost::minimum());

        auto vault = Vault::unlock(copy, pw("fixture-password"));
        QVERIFY2(vault.has_value(), qPrintable(vault ? QString() : vault.error().message()));
        QCOMPARE(vault->info().schemaVersion, kSchemaVersion);
        Database& db = vault->database();
        QCOMPARE(pragma(db, "SELECT value FROM coffer_meta WHERE key = 'schema_version'"),
                 QString::number(kSchemaVersion));
        QCOMPARE(pragma(db, "SELECT count(*) FROM sync_outbox"), QStringLiteral("0")); // version 3's tables
        QCOMPARE(pragma(db, "SELECT name FROM projects"), QStringLiteral("demo"));
        QCOMPARE(pragma(db, "SELECT group_concat(name, ',') FROM (SELECT name FROM environments ORDER BY position)"),
                 QStringLiteral("dev,prod"));
        QCOMPARE(pragma(db, "SELECT is_protected FROM environments WHERE name = 'prod'"), QStringLiteral("1"));
        // The column version 2 added, with its default.
        QCOMPARE(pragma(db, "SELECT count(*) FROM environments WHERE colour = ''"), QStringLiteral("2"));
        QCOMPARE(secretValue(db, QStringLiteral("DATABASE_URL")), QByteArrayLiteral("postgres://demo@localhost/demo"));
        QCOMPARE(pragma(db, "SELECT kind FROM secret_versions"), QStringLiteral("created"));
        // Version 4's index, the same as a new vault's, and used: the name lookup of every change sorts nothing.
        const QString index = pragma(db, "SELECT sql FROM sqlite_master WHERE name = 'secrets_env'");
        QVERIFY2(index.contains(QStringLiteral("deleted, updated_at DESC, id DESC")), qPrintable(index));
        QCOMPARE(pragma(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'secrets%'"),
                 QStringLiteral("2"));
        {
            auto plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM secrets WHERE environment_id = 1 AND name = 'A' "
                                   "ORDER BY deleted, updated_at DESC, id DESC LIMIT 1");
            QVERIFY(plan.has_value());
            QString details; // column 3 is the step's description in SQLite 3.15 and 3.4x alike
            for (auto row = plan->step(); row && *row; row = plan->step())
                details += plan->columnText(3) + u'\n';
            QVERIFY2(details.contains(QStringLiteral("secrets_env")), qPrintable(details));
            QVERIFY2(!details.contains(QStringLiteral("TEMP B-TREE")), qPrintable(details));
        }
        vault->lock();

        // Migrated once, for good; the stored fixture itself is untouched.
        auto again = Vault::unlock(copy, pw("fixture-password"));
        QVERIFY(again.has_value());
        QCOMPARE(again->info().schemaVersion, kSchemaVersion);
        QCOMPARE(QCryptographicHash::hash(readFile(fixture), QCryptographicHash::Sha256),
                 QCryptographicHash::hash(original, QCryptographicHash::Sha256));
    }

    void defaultPathFollowsXdg() {
        const QByteArray saved = qgetenv("XDG_DATA_HOME");
        const bool hadValue = qEnvironmentVariableIsSet("XDG_DATA_HOME");
        qputenv("XDG_DATA_HOME", "/srv/data");
        QCOMPARE(Vault::defaultPath(), QStringLiteral("/srv/data/coffer/default.coffer"));
        qputenv("XDG_DATA_HOME", "relative/is/ignored");
        QCOMPARE(Vault::defaultPath(), QDir::homePath() + QStringLiteral("/.local/share/coffer/default.coffer"));
        qunsetenv("XDG_DATA_HOME");
        QCOMPARE(Vault::defaultPath(), QDir::homePath() + QStringLiteral("/.local/share/coffer/default.coffer"));
        if (hadValue) {
            qputenv("XDG_DATA_HOME", saved);
        }
    }
};

QTEST_GUILESS_MAIN(TestVault)
#include "TestVault.moc"
