// SPDX-License-Identifier: Apache-2.0
// The real `coffer` binary (offscreen, HOME and XDG_RUNTIME_DIR in a temp folder): started twice on one vault,
// the second start switches to the first and exits 0 while the first keeps running; after the first crashes,
// the next start takes the vault over. The running process is hardened: no core dumps, not dumpable.
//
// Dumpability is seen from outside through /proc: the kernel makes the /proc/PID files of a non-dumpable process
// belong to root. That tells something only for a process that is not root, so when the test runs as root it
// starts coffer as nobody.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr uid_t kNobody = 65534;
constexpr int kTimeoutMs = 60'000;
const QString kSwitched = QStringLiteral("Coffer already has this vault open; switched to it.");

// The user coffer runs as: ourselves, unless we are root (see above).
uid_t childUid() {
    return ::getuid() == 0 ? kNobody : ::getuid();
}

} // namespace

class TestCofferBinary : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_binary = QStringLiteral(COFFER_APP_PATH);
    QString m_vault;
    QString m_runtime;

    [[nodiscard]] bool prepareFolder(const QString& path) const {
        if (!QDir().mkpath(path) || ::chmod(QFile::encodeName(path).constData(), 0700) != 0) {
            return false;
        }
        return ::getuid() != 0 || ::chown(QFile::encodeName(path).constData(), kNobody, kNobody) == 0;
    }

    // Starts coffer on the test vault; the caller waits for what it expects.
    std::unique_ptr<QProcess> start() { return start(m_runtime); }

    std::unique_ptr<QProcess> start(const QString& runtime) {
        auto process = std::make_unique<QProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "DBUS_SYSTEM_BUS_ADDRESS",
                                 "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "COFFER_VAULT"}) {
            env.remove(QString::fromLatin1(name));
        }
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("HOME"), m_dir.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);
        process->setProcessEnvironment(env);
        process->setWorkingDirectory(m_dir.path());
        if (::getuid() == 0) {
            process->setChildProcessModifier([] {
                // Between fork and exec: only async-signal-safe calls; a failure stops the child before exec.
                if (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) {
                    ::_exit(126);
                }
            });
        }
        process->start(m_binary, {m_vault});
        return process;
    }

    // The pid in the vault's lock file: an instance writes it once it has the lock and listens on its socket.
    // (A killed one leaves its pid and socket file behind, so neither file's existence tells anything.)
    [[nodiscard]] static qint64 holderPid(const QString& runtime) {
        const QDir folder(runtime + QStringLiteral("/coffer"));
        const QStringList locks = folder.entryList({QStringLiteral("*.lock")}, QDir::Files | QDir::Hidden);
        QFile lock(locks.size() == 1 ? folder.filePath(locks.constFirst()) : QString());
        if (!lock.open(QIODevice::ReadOnly)) {
            return 0;
        }
        return lock.readAll().trimmed().toLongLong();
    }

    static QString procLine(qint64 pid, const char* file, const QString& prefix) {
        QFile proc(QStringLiteral("/proc/%1/%2").arg(pid).arg(QString::fromLatin1(file)));
        if (!proc.open(QIODevice::ReadOnly)) {
            return {};
        }
        for (const QByteArray& line : proc.readAll().split('\n')) {
            if (line.startsWith(prefix.toLatin1())) {
                return QString::fromLatin1(line).simplified();
            }
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(QFileInfo(QStringLiteral(COFFER_APP_PATH)).isExecutable());
        QVERIFY(prepareFolder(m_dir.path()));
        QVERIFY(prepareFolder(m_dir.filePath(QStringLiteral("home"))));
        if (::getuid() == 0) {
            // nobody may not reach the build folder (a checkout under /root): it runs a copy of the binary, which
            // links nothing of ours dynamically.
            const QString bin = m_dir.filePath(QStringLiteral("bin"));
            QVERIFY(QDir().mkpath(bin) && ::chmod(QFile::encodeName(bin).constData(), 0755) == 0);
            m_binary = QDir(bin).filePath(QStringLiteral("coffer"));
            QVERIFY(QFile::copy(QStringLiteral(COFFER_APP_PATH), m_binary));
            QVERIFY(::chmod(QFile::encodeName(m_binary).constData(), 0755) == 0);
        }
        m_runtime = m_dir.filePath(QStringLiteral("run"));
        QVERIFY(prepareFolder(m_runtime));
        // Does not exist: the window opens on the Create page, which is enough to hold the vault.
        m_vault = m_dir.filePath(QStringLiteral("team.coffer"));
    }

    void secondStartSwitchesToTheFirst() {
        auto first = start();
        QVERIFY2(first->waitForStarted(kTimeoutMs), qPrintable(first->errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(holderPid(m_runtime), first->processId(), kTimeoutMs);
        QCOMPARE(first->state(), QProcess::Running);

        auto second = start();
        QVERIFY(second->waitForFinished(kTimeoutMs));
        QCOMPARE(second->exitStatus(), QProcess::NormalExit);
        QVERIFY2(second->exitCode() == 0, second->readAllStandardError().constData());
        QCOMPARE(QString::fromUtf8(second->readAllStandardOutput()).trimmed(), kSwitched);
        QCOMPARE(first->state(), QProcess::Running);

        // A crash leaves files behind but no lock: the next start takes the vault over, and answers in turn.
        first->kill();
        QVERIFY(first->waitForFinished(kTimeoutMs));
        auto third = start();
        QVERIFY(third->waitForStarted(kTimeoutMs));
        QTRY_COMPARE_WITH_TIMEOUT(holderPid(m_runtime), third->processId(), kTimeoutMs);
        auto fourth = start();
        QVERIFY(fourth->waitForFinished(kTimeoutMs));
        QCOMPARE(fourth->exitCode(), 0);
        QCOMPARE(QString::fromUtf8(fourth->readAllStandardOutput()).trimmed(), kSwitched);
        QCOMPARE(third->state(), QProcess::Running);
        third->kill();
        QVERIFY(third->waitForFinished(kTimeoutMs));
    }

    void theRunningAppIsHardened() {
        const QString runtime = m_dir.filePath(QStringLiteral("run-hardened"));
        QVERIFY(prepareFolder(runtime));
        auto app = start(runtime);
        QVERIFY(app->waitForStarted(kTimeoutMs));
        // Hardening runs first thing in main(); the claim comes later, so once the pid is written it is done.
        QTRY_COMPARE_WITH_TIMEOUT(holderPid(runtime), app->processId(), kTimeoutMs);
        QCOMPARE(app->state(), QProcess::Running);
        const qint64 pid = app->processId();

        // RLIMIT_CORE: soft and hard limit 0 (the hard one could otherwise be raised back).
        const QString limit = procLine(pid, "limits", QStringLiteral("Max core file size"));
        QVERIFY2(limit.startsWith(QStringLiteral("Max core file size 0 0 ")), qPrintable(limit));

        // Not dumpable: its /proc files belong to root although the process does not run as root.
        const QString uids = procLine(pid, "status", QStringLiteral("Uid:"));
        QCOMPARE(uids.section(QLatin1Char(' '), 1, 1), QString::number(childUid()));
        QVERIFY(childUid() != 0);
        struct stat info {};
        QCOMPARE(::stat(QFile::encodeName(QStringLiteral("/proc/%1/status").arg(pid)).constData(), &info), 0);
        QCOMPARE(info.st_uid, uid_t{0});

        app->kill();
        QVERIFY(app->waitForFinished(kTimeoutMs));
    }
};

QTEST_GUILESS_MAIN(TestCofferBinary)
#include "TestCofferBinary.moc"
