// SPDX-License-Identifier: Apache-2.0
// Core dumps are off in the real executables, read back from outside while they run: `coffer-cli` waiting at its
// password prompt on a pseudo-terminal, and `coffer` (offscreen) showing its window.
//
// Two things are checked through /proc, against a control process (`sleep`) started the same way, which shows
// that each check can fail: RLIMIT_CORE is 0 (soft and hard) in /proc/PID/limits although the test handed the
// child a core limit that is not 0, and the process is not dumpable. Dumpability has no /proc field; the kernel
// shows it by making the /proc/PID files of a non-dumpable process belong to root. That tells something only
// for a process that does not run as root, so when the test runs as root it starts the children as nobody
// (the same way as tests/ui/TestCofferBinary). A copy of each binary in a world-readable folder lets nobody
// run it wherever the checkout is.
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pty.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

constexpr int kTimeoutMs = 120'000; // sanitized builds start slowly on a loaded machine

/// A child process the test started (pty master or not); killed and reaped when it goes.
struct Child {
    pid_t pid = -1;
    int master = -1;

    Child() = default;
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            int status = 0;
            ::waitpid(pid, &status, 0);
        }
        if (master >= 0) {
            ::close(master);
        }
    }
};

/// argv/envp for execve, built before fork so the child only calls async-signal-safe functions.
struct Exec {
    std::vector<std::string> args;
    std::vector<std::string> env;
    std::vector<char*> argv;
    std::vector<char*> envp;

    Exec(std::vector<std::string> a, const std::vector<std::pair<std::string, std::string>>& extra)
        : args(std::move(a)) {
        for (char** e = ::environ; *e != nullptr; ++e) {
            const std::string entry(*e);
            bool replaced = false;
            for (const auto& [name, value] : extra) {
                replaced = replaced || entry.starts_with(name + "=");
            }
            if (!replaced) {
                env.push_back(entry);
            }
        }
        for (const auto& [name, value] : extra) {
            env.push_back(name + "=" + value);
        }
        for (auto& arg : args) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        for (auto& entry : env) {
            envp.push_back(entry.data());
        }
        envp.push_back(nullptr);
    }
};

QString procLine(pid_t pid, const char* file, const char* prefix) {
    QFile proc(QStringLiteral("/proc/%1/%2").arg(pid).arg(QString::fromLatin1(file)));
    if (!proc.open(QIODevice::ReadOnly)) {
        return {};
    }
    for (const QByteArray& line : proc.readAll().split('\n')) {
        if (line.startsWith(prefix)) {
            return QString::fromLatin1(line).simplified();
        }
    }
    return {};
}

bool coreLimitIsZero(pid_t pid) {
    return procLine(pid, "limits", "Max core file size").startsWith(QStringLiteral("Max core file size 0 0 "));
}

constexpr uid_t kNobody = 65534;

/// The uid the children run as: nobody when we are root, else ourselves.
uid_t childUid() {
    return ::getuid() == 0 ? kNobody : ::getuid();
}

/// Not dumpable: its /proc files belong to root although it does not run as root.
bool notDumpable(pid_t pid) {
    struct stat info {};
    const QString path = QStringLiteral("/proc/%1/status").arg(pid);
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 && info.st_uid == 0 &&
           procLine(pid, "status", "Uid:").section(QLatin1Char(' '), 1, 1) == QString::number(childUid());
}

/// Between fork and exec (async-signal-safe calls only): hand down a core limit that is not 0 (soft = hard;
/// a CI shell often starts with a soft limit of 0) and drop to nobody when root. A failure ends the child.
void prepareChild() {
    rlimit core{};
    if (::getrlimit(RLIMIT_CORE, &core) != 0) {
        ::_exit(125);
    }
    core.rlim_cur = core.rlim_max;
    if (::setrlimit(RLIMIT_CORE, &core) != 0) {
        ::_exit(125);
    }
    if (::getuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0)) {
        ::_exit(126);
    }
}

} // namespace

class TestCoreDumps : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_cli;
    std::string m_app;

    [[nodiscard]] bool prepareFolder(const QString& path) const {
        if (!QDir().mkpath(path) || ::chmod(QFile::encodeName(path).constData(), 0700) != 0) {
            return false;
        }
        return ::getuid() != 0 || ::chown(QFile::encodeName(path).constData(), kNobody, kNobody) == 0;
    }

    /// A copy of `binary` that nobody can run (our libraries are linked statically).
    [[nodiscard]] std::string copyForChild(const QString& binary, const QString& folder = QStringLiteral("bin")) const {
        const QString copy = m_dir.filePath(folder + QLatin1Char('/') + QFileInfo(binary).fileName());
        if (!QFile::copy(binary, copy) || ::chmod(QFile::encodeName(copy).constData(), 0755) != 0) {
            return {};
        }
        return copy.toStdString();
    }

    [[nodiscard]] std::vector<std::pair<std::string, std::string>> childEnvironment() const {
        const std::string root = m_dir.path().toStdString();
        return {{"HOME", root + "/home"},
                {"XDG_RUNTIME_DIR", root + "/run"},
                {"XDG_CONFIG_HOME", root + "/home/.config"},
                {"XDG_DATA_HOME", root + "/home/.local/share"},
                {"QT_QPA_PLATFORM", "offscreen"},
                {"DBUS_SESSION_BUS_ADDRESS", "unix:path=" + root + "/no-bus"},
                {"COFFER_VAULT", root + "/vaults/core.coffer"}};
    }

    /// Checks a running process: core limit 0/0 and not dumpable, waiting up to the timeout for main() to get
    /// there (the checks then hold for the rest of its life).
    static void verifyHardened(pid_t pid) {
        QTRY_VERIFY2_WITH_TIMEOUT(coreLimitIsZero(pid), qPrintable(procLine(pid, "limits", "Max core file size")),
                                  kTimeoutMs);
        QTRY_VERIFY2_WITH_TIMEOUT(notDumpable(pid), qPrintable(procLine(pid, "status", "Uid:")), kTimeoutMs);
        QCOMPARE(::kill(pid, 0), 0); // still the process we started, not a reaped pid
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(::chmod(QFile::encodeName(m_dir.path()).constData(), 0755) == 0);
        const QString bin = m_dir.filePath(QStringLiteral("bin"));
        QVERIFY(QDir().mkpath(bin) && ::chmod(QFile::encodeName(bin).constData(), 0755) == 0);
        // coffer-cli is the front end; at the prompt runs the full CLI it execs, found as in an installation.
        const QString libexec = m_dir.filePath(QStringLiteral("libexec/coffer"));
        QVERIFY(QDir().mkpath(libexec));
        for (const QString& folder : {m_dir.filePath(QStringLiteral("libexec")), libexec}) {
            QVERIFY(::chmod(QFile::encodeName(folder).constData(), 0755) == 0);
        }
        QVERIFY(!copyForChild(QStringLiteral(COFFER_CLI_FULL_PATH), QStringLiteral("libexec/coffer")).empty());
        m_cli = copyForChild(QStringLiteral(COFFER_CLI_PATH));
        m_app = copyForChild(QStringLiteral(COFFER_APP_PATH));
        QVERIFY(!m_cli.empty() && !m_app.empty());
        for (const char* sub : {"home", "run", "vaults"}) {
            QVERIFY(prepareFolder(m_dir.filePath(QString::fromLatin1(sub))));
        }
        rlimit core{};
        QCOMPARE(::getrlimit(RLIMIT_CORE, &core), 0);
        QVERIFY2(core.rlim_max != 0, "the hard core limit is 0: no child could show that it lowered it");
    }

    /// The probes can fail: a plain dumpable process shows a non-zero core limit and an open-able environ.
    void controlProcessIsSeenDumpable() {
        Child child;
        Exec exec({"/bin/sleep", "60"}, {});
        child.pid = ::fork();
        QVERIFY(child.pid >= 0);
        if (child.pid == 0) {
            prepareChild();
            ::execve(exec.argv[0], exec.argv.data(), exec.envp.data());
            ::_exit(127);
        }
        QTRY_VERIFY_WITH_TIMEOUT(procLine(child.pid, "cmdline", "").startsWith(QStringLiteral("/bin/sleep")),
                                 kTimeoutMs);
        QVERIFY2(!coreLimitIsZero(child.pid), qPrintable(procLine(child.pid, "limits", "Max core file size")));
        QVERIFY(!notDumpable(child.pid));
        QCOMPARE(procLine(child.pid, "status", "Uid:").section(QLatin1Char(' '), 1, 1), QString::number(childUid()));
    }

    /// coffer-cli asking for a new vault password on its terminal: hardened before it asks.
    void cliWaitingAtItsPromptIsHardened() {
        const std::string vault = m_dir.filePath(QStringLiteral("vaults/cli.coffer")).toStdString();
        Exec exec({m_cli, "--vault", vault, "init"}, childEnvironment());
        Child child;
        child.pid = ::forkpty(&child.master, nullptr, nullptr, nullptr);
        QVERIFY(child.pid >= 0);
        if (child.pid == 0) {
            prepareChild();
            ::execve(exec.argv[0], exec.argv.data(), exec.envp.data());
            ::_exit(127);
        }
        // Wait for the prompt: main() hardens before the command runs, so the process is then at its steady state.
        QByteArray transcript;
        QDeadlineTimer deadline(kTimeoutMs);
        while (!transcript.contains("New vault password") && !deadline.hasExpired()) {
            pollfd fd{child.master, POLLIN, 0};
            if (::poll(&fd, 1, 200) > 0) {
                char buffer[512];
                const ssize_t got = ::read(child.master, buffer, sizeof buffer);
                if (got <= 0) {
                    break; // the child closed its terminal: it ended
                }
                transcript.append(buffer, got);
            }
        }
        QVERIFY2(transcript.contains("New vault password"), transcript.constData());
        verifyHardened(child.pid);
        QVERIFY(!QFileInfo::exists(QString::fromStdString(vault)));
    }

    /// The desktop app showing its window (offscreen) on a vault that does not exist yet (the Create page).
    void appShowingItsWindowIsHardened() {
        const std::string vault = m_dir.filePath(QStringLiteral("vaults/app.coffer")).toStdString();
        Exec exec({m_app, vault}, childEnvironment());
        Child child;
        child.pid = ::fork();
        QVERIFY(child.pid >= 0);
        if (child.pid == 0) {
            const int devnull = ::open("/dev/null", O_RDWR);
            ::dup2(devnull, 0);
            prepareChild();
            ::execve(exec.argv[0], exec.argv.data(), exec.envp.data());
            ::_exit(127);
        }
        verifyHardened(child.pid);
        // It is still up (the window is open), not a process that hardened and then died.
        int status = 0;
        QCOMPARE(::waitpid(child.pid, &status, WNOHANG), 0);
    }
};

QTEST_GUILESS_MAIN(TestCoreDumps)
#include "TestCoreDumps.moc"
