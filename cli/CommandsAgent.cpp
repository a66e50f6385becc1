// SPDX-License-Identifier: Apache-2.0
// agent start, agent status, lock: the headless agent (docs/agent.md). It unlocks once, then serves the
// vault's reads to coffer-cli in the background until `lock`, its idle timeout or its maximum lifetime.
#include "agent/AgentClient.h"
#include "agent/AgentServer.h"
#include "cli/AgentAccess.h"
#include "cli/Commands.h"
#include "cli/Output.h"
#include "cli/Session.h"
#include "cli/TerminalConsent.h"
#include "model/Vault.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QSocketNotifier>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>

#include <fcntl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace coffer::cli::commands {

namespace {

/// "90s", "15m", "2h" or plain minutes; 0 is never. A usage failure otherwise.
Outcome<std::chrono::milliseconds> durationOption(const Session& session, const QString& name,
                                                  std::chrono::milliseconds fallback) {
    const auto text = session.option(name);
    if (!text) {
        return fallback;
    }
    QString number = *text;
    qint64 unit = 60'000;
    if (number.endsWith(u's')) {
        unit = 1000;
    } else if (number.endsWith(u'h')) {
        unit = 3'600'000;
    }
    if (number.endsWith(u's') || number.endsWith(u'm') || number.endsWith(u'h')) {
        number.chop(1);
    }
    bool ok = false;
    const qint64 value = number.toLongLong(&ok);
    if (!ok || value < 0 || value > 10'000'000) {
        return usageError(u"--%1 needs a duration such as 90s, 15m or 8h (0: never)"_s.arg(name));
    }
    return std::chrono::milliseconds(value * unit);
}

QString durationText(qint64 ms) {
    if (ms <= 0) {
        return u"none"_s;
    }
    if (ms % 3'600'000 == 0) {
        return u"%1h"_s.arg(ms / 3'600'000);
    }
    if (ms % 60'000 == 0) {
        return u"%1m"_s.arg(ms / 60'000);
    }
    return u"%1s"_s.arg(ms / 1000);
}

/// The pipe through which the background agent tells the waiting parent how its start went:
/// one byte of exit code, then the message.
void report(int fd, const Failure& failure) {
    QByteArray message = QByteArray(1, static_cast<char>(failure.code)) + failure.message.toUtf8();
    (void)!::write(fd, message.constData(), static_cast<std::size_t>(message.size()));
    ::close(fd);
}

/// The background agent: opens the vault with the key derived in the parent, serves until stopped.
/// `path` and `socketPath` are absolute: the agent leaves the working folder.
[[noreturn]] void serveInBackground(const QString& path, const QString& socketPath, const crypto::VaultKey& key,
                                    int readyFd, int terminalFd, std::chrono::milliseconds idle,
                                    std::chrono::milliseconds lifetime) {
    ::setsid();
    if (const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC); null >= 0) {
        ::dup2(null, STDIN_FILENO);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        ::close(null);
    }
    (void)!::chdir("/");
    auto vault = model::Vault::open(path, key);
    if (!vault) {
        report(readyFd, failure(vault.error()));
        std::_Exit(static_cast<int>(exitCodeFor(vault.error().code)));
    }
    // Signals arrive as readable data, so the event loop stops the agent cleanly (socket removed).
    sigset_t signals;
    sigemptyset(&signals);
    for (const int signal : {SIGTERM, SIGINT, SIGHUP}) {
        sigaddset(&signals, signal);
    }
    ::sigprocmask(SIG_BLOCK, &signals, nullptr);
    const int signalFd = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);

    int argc = 1;
    char name[] = "coffer-cli-agent";
    char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    TerminalConsent consent(terminalFd);
    agent::AgentServer server(*vault, &consent);
    server.setIdleTimeout(idle);
    server.setMaxLifetime(lifetime);
    QObject::connect(&server, &agent::AgentServer::stopped, &app, &QCoreApplication::quit);
    QSocketNotifier signalNotifier(signalFd, QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &server, &agent::AgentServer::stop);
    if (auto started = server.start(socketPath); !started) {
        report(readyFd, Failure{ExitCode::Failed, agent::describe(started.error())});
        std::_Exit(static_cast<int>(ExitCode::Failed));
    }
    report(readyFd, Failure{ExitCode::Ok, u"%1"_s.arg(::getpid())});
    app.exec();
    server.stop();
    std::_Exit(0);
}

} // namespace

Outcome<void> agentStart(Session& session) {
    const auto idle = durationOption(session, u"idle-timeout"_s, 15min);
    if (!idle) {
        return std::unexpected(idle.error());
    }
    const auto lifetime = durationOption(session, u"max-lifetime"_s, 0ms);
    if (!lifetime) {
        return std::unexpected(lifetime.error());
    }
    const QString path = session.vaultPath();
    if (auto info = model::Vault::readInfo(path); !info) {
        return std::unexpected(failure(info.error()));
    }
    const QString canonical = QFileInfo(path).canonicalFilePath();
    const agent::client::Target target{agent::AgentServer::defaultSocketPath(), canonical};
    if (const auto running = agent::client::status(target)) {
        return fail(ExitCode::Failed,
                    u"an agent is already running (pid %1, for %2); stop it with coffer-cli lock"_s.arg(running->pid)
                        .arg(running->vaultPath));
    }
    // The consent questions go to the terminal we were started from, if we were started from one.
    const int terminalFd = ::isatty(STDIN_FILENO) ? ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
    const auto password = session.password(u"Password for %1: "_s.arg(QFileInfo(path).fileName()));
    if (!password) {
        return std::unexpected(password.error());
    }
    const auto key = model::Vault::deriveKey(path, password->bytes());
    if (!key) {
        return std::unexpected(failure(key.error()));
    }
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0) {
        return fail(ExitCode::Failed, u"cannot start the agent (pipe)"_s);
    }
    const pid_t child = ::fork();
    if (child < 0) {
        return fail(ExitCode::Failed, u"cannot start the agent (fork)"_s);
    }
    if (child == 0) {
        ::close(ready[0]);
        // A grandchild serves, so the agent is no child of the shell's job and survives it.
        const pid_t server = ::fork();
        if (server != 0) {
            std::_Exit(server < 0 ? 5 : 0);
        }
        serveInBackground(canonical, QFileInfo(target.socketPath).absoluteFilePath(), *key, ready[1], terminalFd, *idle,
                          *lifetime);
    }
    ::close(ready[1]);
    if (terminalFd >= 0) {
        ::close(terminalFd);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    QByteArray answer;
    char chunk[512];
    for (;;) {
        const ssize_t got = ::read(ready[0], chunk, sizeof chunk);
        if (got > 0) {
            answer.append(chunk, got);
        } else if (got < 0 && errno == EINTR) {
            continue;
        } else {
            break;
        }
    }
    ::close(ready[0]);
    if (answer.isEmpty()) {
        return fail(ExitCode::Failed, u"the agent stopped before it was ready"_s);
    }
    const auto code = static_cast<ExitCode>(answer.at(0));
    const QString message = QString::fromUtf8(answer.mid(1));
    if (code != ExitCode::Ok) {
        return fail(code, message);
    }
    printLine(
        u"Agent started for %1 (pid %2; idle timeout %3, maximum lifetime %4). Stop it with coffer-cli lock."_s.arg(
            canonical, message, durationText(idle->count()), durationText(lifetime->count())));
    return {};
}

Outcome<void> agentStatus(Session& session) {
    const QString path = session.vaultPath();
    const QString canonical = QFileInfo(path).canonicalFilePath();
    const agent::client::Target target{agent::AgentServer::defaultSocketPath(), canonical};
    const auto status = agent::client::status(target);
    if (!status) {
        if (status.error().error == agent::AgentError::NotRunning) {
            return fail(ExitCode::Failed, u"no agent is running; start one with coffer-cli agent start"_s);
        }
        return fail(ExitCode::Failed, agent::describe(status.error().error));
    }
    if (status->vaultPath != canonical) {
        return fail(ExitCode::Failed,
                    u"the running agent (pid %1) serves %2, not %3"_s.arg(status->pid).arg(status->vaultPath, path));
    }
    const QDateTime since = QDateTime::fromMSecsSinceEpoch(status->startedAtMs, Qt::UTC);
    printLine(u"Agent running for %1 (pid %2) since %3; idle timeout %4, maximum lifetime %5; %6 requests served."_s
                  .arg(status->vaultPath)
                  .arg(status->pid)
                  .arg(isoTime(since), durationText(status->idleTimeoutMs), durationText(status->lifetimeMs))
                  .arg(status->served));
    return {};
}

Outcome<void> lock(Session& session) {
    const QString path = session.vaultPath();
    const QString canonical = QFileInfo(path).canonicalFilePath();
    const agent::client::Target target{agent::AgentServer::defaultSocketPath(), canonical};
    const auto locked = agent::client::lock(target);
    if (locked) {
        printLine(u"Locked: the agent for %1 stopped."_s.arg(canonical));
        return {};
    }
    switch (locked.error().error) {
    case agent::AgentError::NotRunning:
    case agent::AgentError::OtherVault:
        printLine(u"No agent is running for %1."_s.arg(canonical.isEmpty() ? path : canonical));
        return {};
    default:
        return fail(ExitCode::Failed, u"cannot lock the agent: %1"_s.arg(agent::describe(locked.error().error)));
    }
}

} // namespace coffer::cli::commands
