// SPDX-License-Identifier: Apache-2.0
#include "TerminalRun.h"

#include <QDeadlineTimer>
#include <QProcessEnvironment>

#include <algorithm>

#include <cerrno>
#include <csignal>
#include <vector>

#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

namespace coffer::tests {

namespace {

/// Reads what is there within `deadline`; false at the end of output (EIO once the child closed the pty).
bool readSome(int fd, QByteArray& into, const QDeadlineTimer& deadline) {
    pollfd poller{fd, POLLIN, 0};
    const int ready = ::poll(&poller, 1, static_cast<int>(std::min<qint64>(deadline.remainingTime(), 200)));
    if (ready <= 0) {
        return ready == 0 || errno == EINTR;
    }
    char buffer[4096];
    const auto got = ::read(fd, buffer, sizeof buffer);
    if (got <= 0) {
        return got < 0 && errno == EINTR;
    }
    into.append(buffer, got);
    return true;
}

} // namespace

TerminalRun runOnTerminal(const QByteArray& program, const QStringList& args, const QStringList& environment,
                          const QList<QPair<QByteArray, QByteArray>>& dialogue, int timeoutMs) {
    // Everything the child needs is built before fork: after it only exec and _exit.
    QList<QByteArray> argvBytes{program};
    for (const auto& arg : args) {
        argvBytes << arg.toLocal8Bit();
    }
    QProcessEnvironment merged = QProcessEnvironment::systemEnvironment();
    merged.remove(QStringLiteral("COFFER_VAULT"));
    for (const auto& variable : environment) {
        merged.insert(variable.section(u'=', 0, 0), variable.section(u'=', 1));
    }
    QList<QByteArray> envBytes;
    for (const auto& entry : merged.toStringList()) {
        envBytes << entry.toLocal8Bit();
    }
    std::vector<char*> argv;
    for (auto& arg : argvBytes) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& entry : envBytes) {
        envp.push_back(entry.data());
    }
    envp.push_back(nullptr);

    TerminalRun run;
    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid < 0) {
        run.transcript = "forkpty failed";
        return run;
    }
    if (pid == 0) {
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    const QDeadlineTimer deadline(timeoutMs);
    qsizetype searchFrom = 0;
    bool open = true;
    run.answeredAll = true;
    for (const auto& [prompt, answer] : dialogue) {
        qsizetype at = -1;
        while (open && !deadline.hasExpired() && (at = run.transcript.indexOf(prompt, searchFrom)) < 0) {
            open = readSome(master, run.transcript, deadline);
        }
        at = run.transcript.indexOf(prompt, searchFrom);
        if (at < 0) {
            run.answeredAll = false;
            break;
        }
        searchFrom = at + prompt.size();
        if (::write(master, answer.constData(), static_cast<std::size_t>(answer.size())) != answer.size()) {
            run.answeredAll = false;
            break;
        }
    }
    while (open && !deadline.hasExpired()) {
        open = readSome(master, run.transcript, deadline);
    }
    int status = 0;
    pid_t done = 0;
    // The end of output comes just before the exit: give the child until the deadline to be reaped.
    while ((done = ::waitpid(pid, &status, WNOHANG)) == 0 && !deadline.hasExpired()) {
        ::usleep(10'000);
    }
    if (done == 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        ::close(master);
        return run;
    }
    ::close(master);
    if (WIFEXITED(status)) {
        run.exitCode = WEXITSTATUS(status);
    }
    return run;
}

} // namespace coffer::tests
