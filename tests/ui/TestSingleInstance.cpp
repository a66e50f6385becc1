// SPDX-License-Identifier: Apache-2.0
// One Coffer per vault: the first claim wins, a second is sent to the first (which is asked to come to the
// front), a holder that does not answer is reported with its pid, and a crashed holder's claim is taken over.
// Also through the real window: opening a vault another Coffer has is refused and the current vault stays open.
#include "tests/ui/SampleVault.h"
#include "tests/ui/WindowDriver.h"
#include "ui/Confirm.h"
#include "ui/MainWindow.h"
#include "ui/SingleInstance.h"
#include "ui/VaultSession.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using coffer::ui::SingleInstance;
using Outcome = coffer::ui::SingleInstance::Outcome;
using namespace std::chrono_literals;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

struct Attempt {
    Outcome outcome = Outcome::Failed;
    QString message;
};

// A second Coffer's claim, on a thread of its own: the first one answers from this thread's event loop.
QFuture<Attempt> claimElsewhere(const QString& path) {
    return QtConcurrent::run([path] {
        SingleInstance second;
        const Outcome outcome = second.claim(path);
        return Attempt{outcome, second.message(outcome)};
    });
}

// Holds the lock file of `path` like a live Coffer that does not answer (no socket), with `pid` recorded.
int holdLikeAHungCoffer(const QString& path, const QByteArray& pid) {
    QDir().mkpath(SingleInstance::lockFolder());
    const QString lockPath =
        QDir(SingleInstance::lockFolder()).filePath(SingleInstance::keyFor(path) + QStringLiteral(".lock"));
    const int fd = ::open(QFile::encodeName(lockPath).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || ::flock(fd, LOCK_EX | LOCK_NB) != 0 || ::ftruncate(fd, 0) != 0 ||
        ::write(fd, pid.constData(), static_cast<size_t>(pid.size())) != pid.size()) {
        return -1;
    }
    return fd;
}

} // namespace

class TestSingleInstance : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    [[nodiscard]] QString vault(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const QString runtime = m_dir.filePath(QStringLiteral("run"));
        QVERIFY(QDir().mkpath(runtime));
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtime));
        QCOMPARE(SingleInstance::lockFolder(), QDir(runtime).filePath(QStringLiteral("coffer")));
    }

    void cleanup() { static_cast<void>(coffer::ui::confirm::setHandler({})); }

    void theSameVaultByAnyPathHasOneKey() {
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("real"))));
        QVERIFY(QFile::link(m_dir.filePath(QStringLiteral("real")), m_dir.filePath(QStringLiteral("link"))));
        const QString viaLink = m_dir.filePath(QStringLiteral("link/team.coffer"));
        const QString direct = m_dir.filePath(QStringLiteral("real/./team.coffer"));
        QCOMPARE(SingleInstance::canonicalPath(viaLink), SingleInstance::canonicalPath(direct));
        QCOMPARE(SingleInstance::keyFor(viaLink), SingleInstance::keyFor(direct));
        QVERIFY(SingleInstance::keyFor(viaLink) != SingleInstance::keyFor(vault("other.coffer")));
        QCOMPARE(SingleInstance::keyFor(viaLink).size(), 32);
    }

    void theFirstClaimsAndTheSecondIsSentToIt() {
        SingleInstance first;
        QSignalSpy activated(&first, &SingleInstance::activationRequested);
        QCOMPARE(first.claim(vault("a.coffer")), Outcome::Claimed);
        QCOMPARE(first.vaultPath(), SingleInstance::canonicalPath(vault("a.coffer")));
        QCOMPARE(first.claim(vault("a.coffer")), Outcome::Claimed); // already ours

        // Owner-only: the folder, and the socket in it.
        const QFileInfo folder(SingleInstance::lockFolder());
        QCOMPARE(folder.permissions() & (QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther),
                 QFile::Permissions());
        struct stat socketInfo {};
        const QString socketPath =
            QDir(folder.filePath()).filePath(SingleInstance::keyFor(vault("a.coffer")) + QStringLiteral(".sock"));
        QCOMPARE(::stat(QFile::encodeName(socketPath).constData(), &socketInfo), 0);
        QVERIFY(S_ISSOCK(socketInfo.st_mode));
        QCOMPARE(socketInfo.st_mode & 077, 0u);

        auto second = claimElsewhere(vault("a.coffer"));
        QTRY_VERIFY(second.isFinished());
        QCOMPARE(second.result().outcome, Outcome::Activated);
        QCOMPARE(second.result().message, QStringLiteral("Coffer already has this vault open; switched to it."));
        QTRY_COMPARE(activated.count(), 1);
        QCOMPARE(first.vaultPath(), SingleInstance::canonicalPath(vault("a.coffer")));

        // Another vault is free.
        auto other = claimElsewhere(vault("b.coffer"));
        QTRY_VERIFY(other.isFinished());
        QCOMPARE(other.result().outcome, Outcome::Claimed);
        QCOMPARE(activated.count(), 1);
    }

    void aHolderThatDoesNotAnswerIsNamed() {
        const int fd = holdLikeAHungCoffer(vault("hung.coffer"), "4242\n");
        QVERIFY(fd >= 0);
        SingleInstance second;
        second.setAnswerTimeout(200ms);
        const Outcome outcome = second.claim(vault("hung.coffer"));
        ::close(fd);
        QCOMPARE(outcome, Outcome::Busy);
        QCOMPARE(second.otherPid(), 4242);
        QCOMPARE(second.message(outcome), QStringLiteral("The vault is open in another Coffer (pid 4242)."));
        QVERIFY(second.vaultPath().isEmpty());
    }

    // A Coffer that crashed leaves its lock file (with its pid) and its socket file behind, but not its lock.
    void aCrashedHoldersClaimIsTakenOver() {
        const QString path = vault("crashed.coffer");
        const QDir folder(SingleInstance::lockFolder());
        QVERIFY(QDir().mkpath(folder.path()));
        QFile lock(folder.filePath(SingleInstance::keyFor(path) + QStringLiteral(".lock")));
        QVERIFY(lock.open(QIODevice::WriteOnly));
        lock.write("999999\n");
        lock.close();
        const QByteArray socketPath =
            QFile::encodeName(folder.filePath(SingleInstance::keyFor(path) + QStringLiteral(".sock")));
        const int leftover = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path, socketPath.constData(), static_cast<size_t>(socketPath.size()));
        QCOMPARE(::bind(leftover, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
        ::close(leftover); // the file stays, with nobody listening
        QVERIFY(QFileInfo::exists(QFile::decodeName(socketPath)));

        SingleInstance next;
        QCOMPARE(next.claim(path), Outcome::Claimed);
        // It answers on the socket it made in place of the dead one.
        QSignalSpy activated(&next, &SingleInstance::activationRequested);
        auto another = claimElsewhere(path);
        QTRY_VERIFY(another.isFinished());
        QCOMPARE(another.result().outcome, Outcome::Activated);
        QTRY_COMPARE(activated.count(), 1);
    }

    void claimingAnotherVaultReleasesTheFirst() {
        SingleInstance instance;
        QCOMPARE(instance.claim(vault("one.coffer")), Outcome::Claimed);
        QCOMPARE(instance.claim(vault("two.coffer")), Outcome::Claimed);
        SingleInstance other;
        QCOMPARE(other.claim(vault("one.coffer")), Outcome::Claimed);
        other.release();
        instance.release();
        QCOMPARE(other.claim(vault("two.coffer")), Outcome::Claimed);
    }

    // Inside the app, File > Open another… of a vault another Coffer has: that one comes to the front, or (when
    // it does not answer) a message names it; the vault open here stays open either way.
    void theWindowRefusesAVaultOpenElsewhere() {
        const QString mine = vault("mine.coffer");
        QVERIFY(coffer::test::createSampleVault(mine, kPassword.toStdString()).has_value());
        SingleInstance instance;
        QCOMPARE(instance.claim(mine), Outcome::Claimed);
        auto window = coffer::test::openUnlocked(mine, kPassword);
        QVERIFY(window != nullptr);
        window->setSingleInstance(&instance);

        // Held by another Coffer that answers: it runs its event loop on a thread of its own.
        QThread elsewhere;
        auto* holder = new SingleInstance;
        QCOMPARE(holder->claim(vault("theirs.coffer")), Outcome::Claimed);
        int activations = 0; // counted here, in this thread (a queued connection)
        connect(holder, &SingleInstance::activationRequested, this, [&] { ++activations; });
        holder->moveToThread(&elsewhere);
        connect(&elsewhere, &QThread::finished, holder, &QObject::deleteLater);
        elsewhere.start();
        window->openVault(vault("theirs.coffer"));
        QTRY_COMPARE(activations, 1);
        QVERIFY(window->session().isOpen());
        QCOMPARE(coffer::test::currentPage(*window), QStringLiteral("vaultPage"));
        QCOMPARE(window->statusBar()->currentMessage(),
                 QStringLiteral("Coffer already has this vault open; switched to it."));
        elsewhere.quit();
        QVERIFY(elsewhere.wait());

        // Held by one that does not answer.
        const int fd = holdLikeAHungCoffer(vault("hung2.coffer"), "4343\n");
        QVERIFY(fd >= 0);
        instance.setAnswerTimeout(200ms);
        QString told;
        static_cast<void>(coffer::ui::confirm::setHandler([&](QWidget*, const QString&, const QString& text) {
            told = text;
            return true;
        }));
        window->openVault(vault("hung2.coffer"));
        ::close(fd);
        QCOMPARE(told, QStringLiteral("The vault is open in another Coffer (pid 4343)."));
        QVERIFY(window->session().isOpen());
        QCOMPARE(instance.vaultPath(), SingleInstance::canonicalPath(mine));

        // A free vault is claimed, and the one left is free for others.
        window->openVault(vault("free.coffer"));
        QCOMPARE(coffer::test::currentPage(*window), QStringLiteral("createPage"));
        QCOMPARE(instance.vaultPath(), SingleInstance::canonicalPath(vault("free.coffer")));
        SingleInstance other;
        QCOMPARE(other.claim(mine), Outcome::Claimed);
    }
};

QTEST_MAIN(TestSingleInstance)
#include "TestSingleInstance.moc"
