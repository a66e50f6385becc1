// SPDX-License-Identifier: Apache-2.0
// Every way opening or creating a vault can fail, each with its own error: a user must be told "wrong
// password", "damaged" or "not a vault" correctly, and a tampered header must be refused fast.

#include "tests/model/VaultTestSupport.h"

#include "model/Vault.h"
#include "model/VaultFile.h"

#include <sqlcipher/sqlite3.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>

#include <sys/stat.h>
#include <unistd.h>

using namespace coffer::model;
using namespace coffer::model::testing;

Q_DECLARE_METATYPE(ErrorCode)
Q_DECLARE_METATYPE(KdfCost)

namespace {

constexpr std::string_view kPassword = "the right password";

#define EXPECT_ERROR(expr, expected)                                                                                   \
    do {                                                                                                               \
        const auto result_ = (expr);                                                                                   \
        QVERIFY2(!result_.has_value(), "succeeded, expected an error");                                                \
        QVERIFY2(result_.error().code == (expected), qPrintable(result_.error().message()));                           \
    } while (false)

} // namespace

class TestVaultErrors : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_vault; // a valid vault with a few pages of data, never modified
    std::int64_t m_pages = 0;

    QString path(const QString& name) const { return m_dir.filePath(name); }

    // A fresh copy of the reference vault, for byte surgery.
    QString copyOfVault(const QString& name) const {
        const QString copy = path(name);
        QFile::remove(copy);
        writeFile(copy, readFile(m_vault));
        return copy;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_vault = path(QStringLiteral("reference.coffer"));
        auto vault = Vault::create(m_vault, pw(kPassword), KdfCost::minimum());
        QVERIFY(vault.has_value());
        // Values big enough that the tables span several pages, so there are middle pages to damage.
        for (int i = 0; i < 8; ++i) {
            const QByteArray value(3000, static_cast<char>('a' + i));
            QVERIFY(insertSecret(vault->database(), QStringLiteral("SECRET_%1").arg(i), value).has_value());
        }
        vault->lock();
        m_pages = QFileInfo(m_vault).size() / kPage;
        QVERIFY2(m_pages >= 4, qPrintable(QStringLiteral("only %1 pages").arg(m_pages)));
    }

    void wrongPassword() {
        auto result = Vault::unlock(m_vault, pw("not the password"));
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::WrongPassword);
        QVERIFY(result.error().message().contains(QLatin1String("first page may be damaged")));
    }

    void notAVault_data() {
        QTest::addColumn<QByteArray>("contents");
        QByteArray random(8192, Qt::Uninitialized);
        QRandomGenerator::global()->generate(random.begin(), random.end());
        random[0] = 'x'; // random bytes that happen to start "COFR" would be a different test
        QTest::newRow("random bytes") << random;
        QTest::newRow("text") << QByteArrayLiteral("hello, this is a text file\n");
        QTest::newRow("three bytes") << QByteArrayLiteral("abc");
    }

    void notAVault() {
        QFETCH(QByteArray, contents);
        const QString file = path(QStringLiteral("not-a-vault"));
        writeFile(file, contents);
        EXPECT_ERROR(Vault::readInfo(file), ErrorCode::NotAVault);
        EXPECT_ERROR(Vault::unlock(file, pw(kPassword)), ErrorCode::NotAVault);
        QCOMPARE(readFile(file), contents);
    }

    void plainSqliteIsNotAVault() {
        // Linked against SQLCipher, a database opened without a key is plain SQLite.
        const QString file = path(QStringLiteral("plain.sqlite"));
        sqlite3* handle = nullptr;
        QCOMPARE(sqlite3_open_v2(QFile::encodeName(file).constData(), &handle,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
                 SQLITE_OK);
        QCOMPARE(sqlite3_exec(handle, "CREATE TABLE t (x); INSERT INTO t VALUES (1);", nullptr, nullptr, nullptr),
                 SQLITE_OK);
        sqlite3_close(handle);
        QVERIFY(readFile(file).startsWith("SQLite format 3"));
        auto result = Vault::unlock(file, pw(kPassword));
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::NotAVault);
        QVERIFY(result.error().detail.contains(QLatin1String("SQLite")));
    }

    void folderIsNotAVault() { EXPECT_ERROR(Vault::readInfo(m_dir.path()), ErrorCode::NotAVault); }

    void fileMissing() {
        const QString file = path(QStringLiteral("missing.coffer"));
        EXPECT_ERROR(Vault::readInfo(file), ErrorCode::FileMissing);
        EXPECT_ERROR(Vault::unlock(file, pw(kPassword)), ErrorCode::FileMissing);
        QVERIFY(!QFileInfo::exists(file)); // never created by an unlock
        // A path through a file: there is no vault there either.
        EXPECT_ERROR(Vault::unlock(m_vault + QStringLiteral("/inside.coffer"), pw(kPassword)), ErrorCode::FileMissing);
    }

    // Tests run as root here, where chmod 000 changes nothing: the probe then runs in a child process that
    // dropped to "nobody" (see withoutRootPower), so the real permission check is exercised either way.
    void permissionDenied() {
        const QString folder = path(QStringLiteral("perm"));
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(::chmod(QFile::encodeName(m_dir.path()).constData(), 0711) == 0);
        QVERIFY(::chmod(QFile::encodeName(folder).constData(), 0711) == 0);
        const QString file = folder + QStringLiteral("/locked.coffer");
        writeFile(file, readFile(m_vault));
        QVERIFY(::chmod(QFile::encodeName(file).constData(), 0000) == 0);

        QCOMPARE(withoutRootPower([&] { return outcome(Vault::readInfo(file)); }),
                 outcome(ErrorCode::PermissionDenied));
        QCOMPARE(withoutRootPower([&] { return outcome(Vault::unlock(file, pw(kPassword))); }),
                 outcome(ErrorCode::PermissionDenied));

        // Readable but not writable: refused up front, not at the first write.
        if (::geteuid() == 0) {
            QVERIFY(::chown(QFile::encodeName(file).constData(), 65534, 65534) == 0);
        }
        QVERIFY(::chmod(QFile::encodeName(file).constData(), 0400) == 0);
        QCOMPARE(withoutRootPower([&] { return outcome(Vault::unlock(file, pw(kPassword))); }),
                 outcome(ErrorCode::PermissionDenied));

        // A folder we may not enter.
        QVERIFY(::chmod(QFile::encodeName(folder).constData(), 0000) == 0);
        QCOMPARE(withoutRootPower([&] { return outcome(Vault::readInfo(file)); }),
                 outcome(ErrorCode::PermissionDenied));
        QVERIFY(::chmod(QFile::encodeName(folder).constData(), 0700) == 0);
        QVERIFY(::chmod(QFile::encodeName(m_dir.path()).constData(), 0700) == 0);

        // The mapping itself, independent of who runs the test.
        QCOMPARE(vaultfile::errnoError(EACCES, file, vaultfile::Access::Read).code, ErrorCode::PermissionDenied);
        QCOMPARE(vaultfile::errnoError(EPERM, file, vaultfile::Access::Create).code, ErrorCode::PermissionDenied);
        QCOMPARE(vaultfile::errnoError(EROFS, file, vaultfile::Access::Create).code, ErrorCode::PermissionDenied);
    }

    void symbolicLinkRefused() {
        const QString link = path(QStringLiteral("link.coffer"));
        QVERIFY(QFile::link(m_vault, link));
        auto result = Vault::unlock(link, pw(kPassword));
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::PermissionDenied);
        QVERIFY(result.error().detail.contains(QLatin1String("symbolic link")));
        EXPECT_ERROR(Vault::create(link, pw(kPassword), KdfCost::minimum()), ErrorCode::AlreadyExists);
    }

    void newerFormat_data() {
        QTest::addColumn<int>("offset");
        QTest::newRow("format version 2") << 4;
        QTest::newRow("cipher format 2") << 5;
    }

    void newerFormat() {
        QFETCH(int, offset);
        const QString file = copyOfVault(QStringLiteral("newer.coffer"));
        setByte(file, offset, 2);
        EXPECT_ERROR(Vault::readInfo(file), ErrorCode::NewerFormat);
        EXPECT_ERROR(Vault::unlock(file, pw(kPassword)), ErrorCode::NewerFormat);
    }

    void newerSchema() {
        const QString file = copyOfVault(QStringLiteral("newer-schema.coffer"));
        {
            auto vault = Vault::unlock(file, pw(kPassword));
            QVERIFY(vault.has_value());
            QVERIFY(vault->database().exec("UPDATE coffer_meta SET value = '99' WHERE key = 'schema_version'"));
        }
        auto result = Vault::unlock(file, pw(kPassword));
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::NewerFormat);
        QVERIFY(result.error().detail.contains(QLatin1String("99")));
    }

    void keyedDatabaseWithoutMarkerIsDamaged() {
        // A header and key that open the file prove nothing: without the marker row it is not our vault.
        const QString file = path(QStringLiteral("no-marker.coffer"));
        const VaultHeader header = VaultHeader::generate(KdfCost::minimum());
        auto key = vaultfile::deriveKey(pw(kPassword), header);
        QVERIFY(key.has_value());
        QVERIFY(vaultfile::createEmptyFile(file).has_value());
        {
            auto db = vaultfile::openKeyed(file, *key, header);
            QVERIFY(db.has_value());
            QVERIFY(db->exec("CREATE TABLE unrelated (x); INSERT INTO unrelated VALUES (1);").has_value());
        }
        auto result = Vault::open(file, *key);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::Damaged);
        QVERIFY(result.error().detail.contains(QLatin1String("marker")));
    }

    void emptyFileIsDamaged() {
        const QString file = path(QStringLiteral("empty.coffer"));
        writeFile(file, {});
        EXPECT_ERROR(Vault::readInfo(file), ErrorCode::Damaged);
        EXPECT_ERROR(Vault::unlock(file, pw(kPassword)), ErrorCode::Damaged);
        QCOMPARE(QFileInfo(file).size(), 0); // never turned into a new vault
    }

    void truncatedFileIsDamaged_data() {
        QTest::addColumn<int>("size");
        QTest::newRow("10 bytes") << 10;
        QTest::newRow("header only") << 16;
        QTest::newRow("half a page") << 2048;
        QTest::newRow("a page and a bit") << 4096 + 100;
        QTest::newRow("one byte short") << -1;
    }

    void truncatedFileIsDamaged() {
        QFETCH(int, size);
        const QString file = copyOfVault(QStringLiteral("truncated.coffer"));
        const qint64 keep = size > 0 ? size : QFileInfo(file).size() + size;
        QVERIFY(QFile::resize(file, keep));
        EXPECT_ERROR(Vault::readInfo(file), ErrorCode::Damaged);
        EXPECT_ERROR(Vault::unlock(file, pw(kPassword)), ErrorCode::Damaged);
    }

    void cutAtPageBoundaryIsDamaged() {
        // Whole pages missing at the end: the size looks fine, the integrity check does not.
        const QString file = copyOfVault(QStringLiteral("short.coffer"));
        QVERIFY(QFile::resize(file, (m_pages - 1) * kPage));
        EXPECT_ERROR(Vault::unlock(file, pw(kPassword)), ErrorCode::Damaged);
    }

    // Every page but the first: a flipped bit anywhere in the encrypted or authenticated part of a page
    // fails its HMAC, and that must read as "damaged", never as "wrong password".
    void flippedByteInAMiddlePageIsDamaged() {
        auto key = Vault::deriveKey(m_vault, pw(kPassword));
        QVERIFY(key.has_value());
        for (std::int64_t page = 1; page < m_pages; ++page) {
            for (const std::int64_t offset : {std::int64_t{0}, std::int64_t{2000}, kPage - 40}) {
                const QString file = copyOfVault(QStringLiteral("flipped.coffer"));
                flipByte(file, page * kPage + offset);
                auto result = Vault::open(file, *key);
                QVERIFY2(!result.has_value(),
                         qPrintable(QStringLiteral("page %1 offset %2").arg(page + 1).arg(offset)));
                QVERIFY2(result.error().code == ErrorCode::Damaged, qPrintable(QStringLiteral("page %1 offset %2: %3")
                                                                                   .arg(page + 1)
                                                                                   .arg(offset)
                                                                                   .arg(result.error().message())));
            }
        }
    }

    void flippedByteInTheFirstPageReadsAsWrongPassword() {
        // SQLCipher cannot tell a bad first page from a wrong key; the message says both.
        const QString file = copyOfVault(QStringLiteral("first-page.coffer"));
        flipByte(file, 1000);
        EXPECT_ERROR(Vault::unlock(file, pw(kPassword)), ErrorCode::WrongPassword);
    }

    void tamperedCostRefusedFast_data() {
        QTest::addColumn<int>("offset");
        QTest::addColumn<int>("value");
        QTest::newRow("255 passes") << 6 << 255;
        QTest::newRow("2^40 MiB") << 7 << 40;
        QTest::newRow("1 pass") << 6 << 1;
    }

    void tamperedCostRefusedFast() {
        QFETCH(int, offset);
        QFETCH(int, value);
        const QString file = copyOfVault(QStringLiteral("tampered.coffer"));
        setByte(file, offset, static_cast<unsigned char>(value));
        QElapsedTimer timer;
        timer.start();
        auto result = Vault::unlock(file, pw(kPassword));
        const qint64 elapsed = timer.elapsed();
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::Damaged);
        // Order of magnitude: no derivation, no allocation; microseconds, not a 100 ms or more.
        QVERIFY2(elapsed < 100, qPrintable(QStringLiteral("took %1 ms").arg(elapsed)));
    }

    void createRefusesExistingFile_data() {
        QTest::addColumn<QByteArray>("contents");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("some bytes") << QByteArrayLiteral("keep me");
    }

    void createRefusesExistingFile() {
        QFETCH(QByteArray, contents);
        const QString file = path(QStringLiteral("existing.coffer"));
        writeFile(file, contents);
        EXPECT_ERROR(Vault::create(file, pw(kPassword), KdfCost::minimum()), ErrorCode::AlreadyExists);
        QCOMPARE(readFile(file), contents);
        EXPECT_ERROR(Vault::create(m_vault, pw(kPassword), KdfCost::minimum()), ErrorCode::AlreadyExists);
    }

    void createThroughAFileIsRefused() {
        const QString file = m_vault + QStringLiteral("/sub/vault.coffer");
        EXPECT_ERROR(Vault::create(file, pw(kPassword), KdfCost::minimum()), ErrorCode::AlreadyExists);
    }

    void kdfCostOutsidePolicy_data() {
        QTest::addColumn<KdfCost>("cost");
        QTest::newRow("1 pass") << KdfCost{1, 64};
        QTest::newRow("17 passes") << KdfCost{17, 64};
        QTest::newRow("32 MiB") << KdfCost{2, 32};
        QTest::newRow("4096 MiB") << KdfCost{2, 4096};
        QTest::newRow("100 MiB") << KdfCost{2, 100};
    }

    void kdfCostOutsidePolicy() {
        QFETCH(KdfCost, cost);
        const QString file = path(QStringLiteral("policy.coffer"));
        EXPECT_ERROR(Vault::create(file, pw(kPassword), cost), ErrorCode::KdfOutOfPolicy);
        QVERIFY(!QFileInfo::exists(file));

        const QString copy = copyOfVault(QStringLiteral("policy-change.coffer"));
        auto vault = Vault::unlock(copy, pw(kPassword));
        QVERIFY(vault.has_value());
        EXPECT_ERROR(vault->changePassword(pw("new"), cost), ErrorCode::KdfOutOfPolicy);
        QVERIFY(vault->isOpen());
        vault->lock();
        QVERIFY(Vault::unlock(copy, pw(kPassword)).has_value());
    }

    void lockedVaultRefusesPasswordChange() {
        const QString copy = copyOfVault(QStringLiteral("locked.coffer"));
        auto vault = Vault::unlock(copy, pw(kPassword));
        QVERIFY(vault.has_value());
        vault->lock();
        EXPECT_ERROR(vault->changePassword(pw("new")), ErrorCode::Locked);
    }
};

QTEST_GUILESS_MAIN(TestVaultErrors)
#include "TestVaultErrors.moc"
