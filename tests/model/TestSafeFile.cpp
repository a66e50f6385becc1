// SPDX-License-Identifier: Apache-2.0
// model::writeFileAtomically and readRegularFile: owner-only, atomic, never through a symlink or onto a
// FIFO, device or folder, never outside the chosen folder, and crash-safe under SIGKILL.
#include "model/SafeFile.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using coffer::model::ErrorCode;
using coffer::model::readRegularFile;
using coffer::model::writeFileAtomically;

namespace {

std::span<const std::byte> bytesOf(const QByteArray& data) {
    return std::as_bytes(std::span<const char>(data.constData(), static_cast<std::size_t>(data.size())));
}

QByteArray contentOf(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

mode_t modeOf(const QString& path) {
    struct stat status {};
    return ::lstat(QFile::encodeName(path).constData(), &status) == 0 ? (status.st_mode & 07777) : 0;
}

QStringList leftovers(const QString& folder, const QString& fileName) {
    return QDir(folder).entryList({coffer::model::temporaryPrefix(fileName) + u'*'},
                                  QDir::Files | QDir::Hidden | QDir::System);
}

/// Restores the umask when a test ends, whatever it checked.
struct UmaskGuard {
    explicit UmaskGuard(mode_t mask)
        : old(::umask(mask)) {}
    ~UmaskGuard() { ::umask(old); }
    UmaskGuard(const UmaskGuard&) = delete;
    UmaskGuard& operator=(const UmaskGuard&) = delete;
    mode_t old;
};

} // namespace

class TestSafeFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void newFileIsOwnerOnlyUnderUmask022() {
        const UmaskGuard mask(022);
        QTemporaryDir dir;
        const QString path = dir.filePath(u".env"_s);
        QVERIFY(writeFileAtomically(path, bytesOf("A=1\n")));
        QCOMPARE(contentOf(path), QByteArray("A=1\n"));
        QCOMPARE(modeOf(path), mode_t{0600});
        QVERIFY(leftovers(dir.path(), u".env"_s).isEmpty());
    }

    void replacingAWorldReadableFileMakesItOwnerOnly() {
        const UmaskGuard mask(022);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"app.env"_s);
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("OLD=1\n");
        old.close();
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0);
        QVERIFY(writeFileAtomically(dir.path(), u"app.env"_s, bytesOf("NEW=2\n")));
        QCOMPARE(contentOf(path), QByteArray("NEW=2\n"));
        QCOMPARE(modeOf(path), mode_t{0600});
    }

    void symlinkTargetIsRefused() {
        QTemporaryDir dir;
        const QString real = dir.filePath(u"real.txt"_s);
        QFile file(real);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("untouched");
        file.close();
        const QString link = dir.filePath(u".env"_s);
        QVERIFY(QFile::link(real, link));
        const auto written = writeFileAtomically(link, bytesOf("SECRET=1\n"));
        QVERIFY(!written);
        QCOMPARE(written.error().code, ErrorCode::PermissionDenied);
        QVERIFY2(written.error().detail.contains(u"symbolic link"_s), qPrintable(written.error().detail));
        QCOMPARE(contentOf(real), QByteArray("untouched"));
        QVERIFY(QFileInfo(link).isSymLink());
        QVERIFY(leftovers(dir.path(), u".env"_s).isEmpty());
        QVERIFY(!readRegularFile(link, 1024));
    }

    void nonRegularTargetsAreRefused() {
        QTemporaryDir dir;
        const QString fifo = dir.filePath(u"fifo.env"_s);
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
        const auto toFifo = writeFileAtomically(fifo, bytesOf("A=1\n"));
        QVERIFY(!toFifo);
        QVERIFY2(toFifo.error().detail.contains(u"not a regular file"_s), qPrintable(toFifo.error().detail));
        QVERIFY(!readRegularFile(fifo, 1024)); // and reading it does not hang
        QVERIFY(QDir(dir.path()).mkdir(u"folder.env"_s));
        QVERIFY(!writeFileAtomically(dir.filePath(u"folder.env"_s), bytesOf("A=1\n")));
        QVERIFY(!writeFileAtomically(u"/dev/null"_s, bytesOf("A=1\n")));
        QVERIFY(leftovers(dir.path(), u"fifo.env"_s).isEmpty());
    }

    void fileNameMustStayInTheChosenFolder_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("dot dot") << u".."_s;
        QTest::newRow("dot") << u"."_s;
        QTest::newRow("empty") << QString();
        QTest::newRow("climbs out") << u"../escape.env"_s;
        QTest::newRow("subfolder") << u"sub/x.env"_s;
        QTest::newRow("absolute") << u"/tmp/x.env"_s;
    }

    void fileNameMustStayInTheChosenFolder() {
        QFETCH(QString, name);
        QTemporaryDir parent;
        QVERIFY(QDir(parent.path()).mkdir(u"chosen"_s));
        QVERIFY(QDir(parent.path()).mkdir(u"sub"_s));
        const QString chosen = parent.filePath(u"chosen"_s);
        const auto written = writeFileAtomically(chosen, name, bytesOf("A=1\n"));
        QVERIFY(!written);
        QCOMPARE(written.error().code, ErrorCode::InvalidName);
        QVERIFY(!QFile::exists(parent.filePath(u"escape.env"_s)));
        QVERIFY(QDir(chosen).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
    }

    void missingFolderIsReported() {
        QTemporaryDir dir;
        const auto written = writeFileAtomically(dir.filePath(u"nowhere/.env"_s), bytesOf("A=1\n"));
        QVERIFY(!written);
        QCOMPARE(written.error().code, ErrorCode::FileMissing);
    }

    void leftoversOfAKilledWriterAreRemovedByTheNextWrite() {
        QTemporaryDir dir;
        const QString stale = dir.filePath(coffer::model::temporaryPrefix(u".env"_s) + u"abc123"_s);
        QFile file(stale);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("half a fi");
        file.close();
        QVERIFY(writeFileAtomically(dir.filePath(u".env"_s), bytesOf("A=1\n")));
        QVERIFY(!QFile::exists(stale));
        QVERIFY(leftovers(dir.path(), u".env"_s).isEmpty());
    }

    void readRegularFileReadsOrSaysMissing() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u".env"_s);
        const auto missing = readRegularFile(path, 1024);
        QVERIFY(missing);
        QVERIFY(!missing->has_value());
        QVERIFY(writeFileAtomically(path, bytesOf("A=1\n")));
        const auto read = readRegularFile(path, 1024);
        QVERIFY(read && read->has_value());
        QCOMPARE(QByteArray(reinterpret_cast<const char*>((*read)->data()), 4), QByteArray("A=1\n"));
        const auto tooLarge = readRegularFile(path, 3);
        QVERIFY(!tooLarge);
        QCOMPARE(tooLarge.error().code, ErrorCode::TooLarge);
    }

    /// SIGKILL at random moments while a helper rewrites a 2 MiB file in a loop: the target is always the
    /// complete old content or a complete new one, and at most one temporary file is left, which the next
    /// write removes.
    void killDuringWriteLeavesOldOrNewNeverPartial() {
        constexpr qsizetype kSize = 2 * 1024 * 1024;
        constexpr int kKills = 50;
        QTemporaryDir dir;
        const QString path = dir.filePath(u"big.env"_s);
        QVERIFY(writeFileAtomically(path, bytesOf(QByteArray(kSize, 'A'))));
        QRandomGenerator random(20261130);
        int newContentSeen = 0;
        int killedWhileWriting = 0;
        for (int i = 0; i < kKills; ++i) {
            QProcess writer;
            writer.start(QStringLiteral(COFFER_SAFE_FILE_WRITER), {path, QString::number(kSize)});
            QVERIFY(writer.waitForStarted(10'000));
            // Every other round waits until a write has completed, so kills land both during the very first
            // write (the old content must survive) and in the middle of later ones.
            if (i % 2 == 0) {
                QVERIFY(writer.waitForReadyRead(30'000));
            }
            QThread::usleep(random.bounded(0u, 30'000u));
            ::kill(static_cast<pid_t>(writer.processId()), SIGKILL);
            QVERIFY(writer.waitForFinished(10'000));
            // The helper never exits by itself: each run really was killed (or says why it stopped).
            QVERIFY2(writer.exitStatus() == QProcess::CrashExit, writer.readAllStandardError().constData());

            const QByteArray content = contentOf(path);
            QCOMPARE(content.size(), kSize);
            const char first = content.at(0);
            QVERIFY2(first == 'A' || first == 'B' || first == 'C', "unexpected content");
            newContentSeen += first != 'A' ? 1 : 0;
            QVERIFY2(content.count(first) == kSize, "a mix of two contents: a partial write is visible");
            QCOMPARE(modeOf(path), mode_t{0600});
            const auto left = leftovers(dir.path(), u"big.env"_s).size();
            QVERIFY2(left <= 1, "more than one temporary file left");
            killedWhileWriting += static_cast<int>(left);
        }
        QVERIFY2(newContentSeen >= kKills / 2, "the helper's writes were not seen: the kills proved nothing");
        qInfo("%d of %d kills hit a write in progress (a temporary file was left)", killedWhileWriting, kKills);
        QVERIFY(writeFileAtomically(path, bytesOf("DONE=1\n")));
        QVERIFY(leftovers(dir.path(), u"big.env"_s).isEmpty());
        QCOMPARE(contentOf(path), QByteArray("DONE=1\n"));
    }
};

QTEST_GUILESS_MAIN(TestSafeFile)
#include "TestSafeFile.moc"
