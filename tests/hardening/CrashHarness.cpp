// SPDX-License-Identifier: Apache-2.0
#include "tests/hardening/CrashHarness.h"

#include "model/Vault.h"

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <fcntl.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

using namespace Qt::StringLiterals;

extern char** environ;

namespace coffer::tests {

namespace {

void sleepFor(std::chrono::microseconds delay) {
    timespec left{static_cast<time_t>(delay.count() / 1'000'000),
                  static_cast<long>((delay.count() % 1'000'000) * 1000)};
    while (nanosleep(&left, &left) != 0 && errno == EINTR) {
    }
}

} // namespace

CrashPlan CrashPlan::fromEnvironment(const char* what) {
    CrashPlan plan;
    bool ok = false;
    const int iterations = qEnvironmentVariableIntValue("COFFER_CRASH_ITERATIONS", &ok);
    if (ok && iterations > 0) {
        plan.iterations = iterations;
    }
    const QByteArray seedText = qgetenv("COFFER_CRASH_SEED");
    plan.seed = seedText.isEmpty() ? (std::uint64_t{std::random_device{}()} << 32U) ^ std::random_device{}()
                                   : seedText.toULongLong(&ok, 0);
    plan.rng.seed(plan.seed);
    qInfo().noquote() << u"%1: %2 kills, seed %3 (repeat with COFFER_CRASH_SEED=%3 COFFER_CRASH_ITERATIONS=%2)"_s
                             .arg(QLatin1String(what))
                             .arg(plan.iterations)
                             .arg(plan.seed);
    return plan;
}

KillPoint CrashPlan::draw(const Timing& typical) {
    std::uniform_int_distribution<int> third(0, 2);
    KillPoint point;
    point.afterMarker = third(rng) != 0;
    const std::int64_t range = (point.afterMarker ? typical.afterMarker : typical.total).count() * 5 / 4;
    point.delay = std::chrono::microseconds(
        std::uniform_int_distribution<std::int64_t>(0, std::max<std::int64_t>(range, 1))(rng));
    return point;
}

QByteArray CrashPlan::randomText(int size, const QByteArray& alphabet) {
    std::uniform_int_distribution<qsizetype> pick(0, alphabet.size() - 1);
    QByteArray text(size, '\0');
    for (char& c : text) {
        c = alphabet.at(pick(rng));
    }
    return text;
}

QByteArray Ending::describe() const {
    return (killed ? QByteArray("killed") : "exit code " + QByteArray::number(exitCode)) + ", stdout: " + out +
           ", stderr: " + err;
}

CliSpawner::CliSpawner(QString folder)
    : m_folder(std::move(folder)) {
    const std::string home = m_folder.toStdString();
    QDir(m_folder).mkpath(u"tmp"_s);
    m_environment = {"HOME=" + home, "XDG_DATA_HOME=" + home + "/data", "XDG_CONFIG_HOME=" + home + "/config",
                     "TMPDIR=" + home + "/tmp"};
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        if (!text.starts_with("HOME=") && !text.starts_with("XDG_DATA_HOME=") &&
            !text.starts_with("XDG_CONFIG_HOME=") && !text.starts_with("TMPDIR=") &&
            !text.starts_with("COFFER_VAULT=")) {
            m_environment.emplace_back(text);
        }
    }
}

CliSpawner::~CliSpawner() {
    if (m_inotify >= 0) {
        ::close(m_inotify);
    }
}

void CliSpawner::watch(const QString& watched, const QString& marker) {
    if (m_inotify < 0) {
        m_inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    }
    inotify_add_watch(m_inotify, QFile::encodeName(watched).constData(), IN_CREATE | IN_MOVED_TO);
    m_markers.push_back(QFile::encodeName(marker));
}

pid_t CliSpawner::start(const QStringList& args, const QString& stdinPath) {
    std::vector<std::string> argv{COFFER_CLI_PATH};
    for (const QString& arg : args) {
        argv.push_back(arg.toStdString());
    }
    std::vector<char*> rawArgs;
    for (auto& arg : argv) {
        rawArgs.push_back(arg.data());
    }
    rawArgs.push_back(nullptr);
    std::vector<std::string> environment = m_environment;
    std::vector<char*> rawEnvironment;
    for (auto& entry : environment) {
        rawEnvironment.push_back(entry.data());
    }
    rawEnvironment.push_back(nullptr);
    const std::string in = stdinPath.isEmpty() ? std::string("/dev/null") : stdinPath.toStdString();
    const std::string out = (m_folder + u"/cli.out"_s).toStdString();
    const std::string err = (m_folder + u"/cli.err"_s).toStdString();
    if (m_inotify >= 0) {
        // Events of an earlier run are not this run's markers.
        alignas(inotify_event) char drain[4096];
        while (::read(m_inotify, drain, sizeof drain) > 0) {
        }
    }
    // A run killed before its child opened these would otherwise show the previous run's output (and its success).
    ::unlink(out.c_str());
    ::unlink(err.c_str());
    m_started = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid != 0) {
        return pid;
    }
    setsid();
    const int inFd = open(in.c_str(), O_RDONLY | O_CLOEXEC);
    const int outFd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int errFd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (inFd < 0 || outFd < 0 || errFd < 0) {
        _exit(126);
    }
    dup2(inFd, STDIN_FILENO);
    dup2(outFd, STDOUT_FILENO);
    dup2(errFd, STDERR_FILENO);
    execve(rawArgs.front(), rawArgs.data(), rawEnvironment.data());
    _exit(127);
}

void CliSpawner::readMarkers(Ending& ending) {
    if (m_inotify < 0) {
        return;
    }
    alignas(inotify_event) char buffer[4096];
    while (true) {
        const ssize_t got = ::read(m_inotify, buffer, sizeof buffer);
        if (got <= 0) {
            return;
        }
        for (ssize_t at = 0; at < got;) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
            const QByteArray name(event->name, static_cast<qsizetype>(qstrnlen(event->name, event->len)));
            at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            if (ending.markerAt.count() >= 0) {
                continue;
            }
            for (const QByteArray& marker : m_markers) {
                if (name.contains(marker)) {
                    ending.markerAt = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - m_started);
                    break;
                }
            }
        }
    }
}

Ending CliSpawner::drive(pid_t pid, const KillPoint* when) {
    Ending ending;
    if (pid <= 0) {
        ending.err = "cannot start coffer-cli";
        return ending;
    }
    const auto hangLimit = m_started + std::chrono::seconds(120);
    int status = 0;
    bool killed = false;
    while (true) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            break;
        }
        readMarkers(ending);
        const auto now = std::chrono::steady_clock::now();
        std::optional<std::chrono::steady_clock::time_point> killAt;
        if (when != nullptr && !when->afterMarker) {
            killAt = m_started + when->delay;
        } else if (when != nullptr && ending.markerAt.count() >= 0) {
            killAt = m_started + ending.markerAt + when->delay;
        }
        if (now > hangLimit) {
            killAt = now;
            ending.err += "(the test killed it: no end within 120 s)\n";
        }
        if (killAt && now >= *killAt) {
            ::kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            killed = true;
            break;
        }
        // Sleep until the kill when it is near, else a short step (a marker or the end may come first).
        auto step = std::chrono::microseconds(500);
        if (killAt) {
            step = std::min(step, std::chrono::duration_cast<std::chrono::microseconds>(*killAt - now));
        }
        sleepFor(std::max(step, std::chrono::microseconds(0)));
    }
    readMarkers(ending);
    ending.ran = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - m_started);
    if (WIFSIGNALED(status)) {
        ending.killed = killed || WTERMSIG(status) == SIGKILL;
        ending.exitCode = -WTERMSIG(status);
    } else if (WIFEXITED(status)) {
        ending.exitCode = WEXITSTATUS(status);
    }
    const QByteArray err = readAll(m_folder + u"/cli.err"_s);
    ending.out = readAll(m_folder + u"/cli.out"_s);
    ending.err = err + ending.err;
    return ending;
}

Ending CliSpawner::run(const QStringList& args, const QString& stdinPath) {
    return drive(start(args, stdinPath), nullptr);
}

Ending CliSpawner::runKilled(const QStringList& args, const QString& stdinPath, const KillPoint& when) {
    return drive(start(args, stdinPath), &when);
}

QString checkVaultFiles(const QString& vaultPath, const crypto::VaultKey& key, JournalFacts* facts) {
    QStringList problems;
    const QString journal = vaultPath + u"-journal"_s;
    JournalFacts found;
    found.leftByTheKill = QFileInfo::exists(journal);
    if (found.leftByTheKill && modeOf(journal) != 0600) {
        problems << u"the journal left by the kill has mode %1"_s.arg(modeOf(journal), 0, 8);
    }
    {
        auto vault = model::Vault::open(vaultPath, key);
        if (!vault) {
            return u"the vault does not open: "_s + vault.error().message();
        }
        if (auto checked = vault->checkIntegrity(); !checked) {
            problems << u"PRAGMA integrity_check: "_s + checked.error().message();
        }
    }
    if (QFileInfo::exists(journal)) {
        // SQLite writes a journal's magic number only once the journal is synced, and touches the vault file only
        // after that. A journal whose magic is still zero was cut before: SQLite ignores it (it is not "hot"), the
        // vault is as it was, and the next write transaction replaces and removes it. Any other journal must have
        // been rolled back and removed by the open.
        const QByteArray left = readAll(journal);
        found.ignoredAfterOpen = true;
        if (!found.leftByTheKill || (!left.isEmpty() && left.left(8) != QByteArray(8, '\0'))) {
            problems << u"%1 is still there after the vault was opened and closed (%2 bytes, starting %3)"_s
                            .arg(journal)
                            .arg(left.size())
                            .arg(QString::fromLatin1(left.left(12).toHex()));
        }
    }
    for (const QString& suffix : {u"-wal"_s, u"-shm"_s}) {
        if (QFileInfo::exists(vaultPath + suffix)) {
            problems << u"%1 exists (the vault uses a rollback journal)"_s.arg(vaultPath + suffix);
        }
    }
    const QFileInfo info(vaultPath);
    for (const QString& name : info.dir().entryList(QDir::Files | QDir::Hidden)) {
        if (!name.startsWith(info.fileName())) {
            continue;
        }
        const int mode = modeOf(info.dir().filePath(name));
        if ((mode & 077) != 0) {
            problems << u"%1 has mode %2"_s.arg(name).arg(mode, 0, 8);
        }
    }
    if (facts != nullptr) {
        *facts = found;
    }
    return problems.join(u"; "_s);
}

QStringList filesMatching(const QString& folder, const QString& pattern) {
    QStringList names = QDir(folder).entryList({pattern}, QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
    return names;
}

int modeOf(const QString& path) {
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0) {
        return -1;
    }
    return static_cast<int>(st.st_mode & 07777);
}

QByteArray readAll(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    QByteArray data = file.readAll();
    if (data.isNull()) {
        data = QByteArray(""); // an empty file reads as empty, not as "cannot be read"
    }
    return data;
}

bool writeOwnerOnly(const QString& path, const QByteArray& content) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return file.write(content) == content.size() && file.flush();
}

} // namespace coffer::tests
