// SPDX-License-Identifier: Apache-2.0
#include "cli/ChildProcess.h"

#include "cli/Output.h"
#include "cli/OutputMasker.h"

#include <QFile>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>
#include <string>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace Qt::StringLiterals;

namespace coffer::cli {

namespace {

constexpr std::array kForwardedSignals{SIGINT, SIGTERM, SIGHUP};

// The only state the signal handler touches; a pid fits in sig_atomic_t on Linux.
volatile sig_atomic_t g_child = 0;

void forwardSignal(int signal, siginfo_t* info, void* /*context*/) {
    // A signal from the terminal (Ctrl-C, hangup) already went to the whole foreground process group, the
    // child included; forwarding it too would deliver it twice (and many programs treat a second Ctrl-C as
    // "quit now"). Signals sent to us alone (kill, a supervisor) are passed on.
    if (info != nullptr && info->si_code == SI_KERNEL) {
        return;
    }
    if (g_child > 0) {
        ::kill(static_cast<pid_t>(g_child), signal);
    }
}

/// Closes a descriptor once, whatever path leaves the scope.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) noexcept
        : m_fd(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    [[nodiscard]] int get() const noexcept { return m_fd; }
    void reset(int fd = -1) noexcept {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = fd;
    }

private:
    int m_fd = -1;
};

struct Pipe {
    Fd read;
    Fd write;
};

bool makePipe(Pipe& pipe) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return false;
    }
    pipe.read.reset(fds[0]);
    pipe.write.reset(fds[1]);
    return true;
}

/// The child's environment: ours minus the names we set, then ours. Built before fork(), because after
/// it only async-signal-safe calls are allowed.
std::vector<char*> buildEnvironment(const std::vector<crypto::SecureBuffer>& variables) {
    std::vector<char*> envp;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view inherited(*entry);
        const auto nameEnd = inherited.find('=');
        const std::string_view name = inherited.substr(0, nameEnd);
        const bool replaced = std::any_of(variables.cbegin(), variables.cend(), [&](const crypto::SecureBuffer& v) {
            const std::string_view own = v.view();
            return own.size() > name.size() && own.substr(0, name.size()) == name && own[name.size()] == '=';
        });
        if (!replaced) {
            envp.push_back(*entry);
        }
    }
    for (const auto& variable : variables) {
        envp.push_back(const_cast<char*>(reinterpret_cast<const char*>(variable.data())));
    }
    envp.push_back(nullptr);
    return envp;
}

/// Copies the child's two output pipes to our stdout and stderr through one masker each (the streams
/// are independent, so a value split across them is not a value). Returns when both reach end of input.
void copyMasked(int childOut, int childErr, const std::vector<std::span<const std::byte>>& values) {
    struct Stream {
        int from;
        int to;
        OutputMasker masker;
        bool open = true;
        bool sink = true; ///< false once our side is gone: keep reading so the child never blocks
    };
    std::array<Stream, 2> streams{Stream{childOut, STDOUT_FILENO, OutputMasker(values)},
                                  Stream{childErr, STDERR_FILENO, OutputMasker(values)}};
    std::array<std::byte, 65536> buffer{};
    auto emit = [](Stream& stream, const std::string& text) {
        if (stream.sink && !text.empty()) {
            stream.sink = writeAll(stream.to, std::as_bytes(std::span(text.data(), text.size())));
        }
    };
    while (streams[0].open || streams[1].open) {
        std::array<pollfd, 2> fds{pollfd{streams[0].open ? streams[0].from : -1, POLLIN, 0},
                                  pollfd{streams[1].open ? streams[1].from : -1, POLLIN, 0}};
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        for (std::size_t i = 0; i < streams.size(); ++i) {
            Stream& stream = streams[i];
            if (!stream.open || fds[i].revents == 0) {
                continue;
            }
            const auto got = ::read(stream.from, buffer.data(), buffer.size());
            if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
                continue;
            }
            if (got <= 0) {
                stream.open = false;
                emit(stream, stream.masker.finish());
                continue;
            }
            std::string shown = stream.masker.feed(std::span(buffer.data(), static_cast<std::size_t>(got)));
            emit(stream, shown);
            crypto::wipe(shown);
        }
    }
    crypto::wipe(buffer);
}

int shellStatus(int status) {
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

} // namespace

Outcome<int> runChild(const ChildSpec& spec) {
    Q_ASSERT(!spec.command.isEmpty());
    std::vector<QByteArray> encoded;
    encoded.reserve(static_cast<std::size_t>(spec.command.size()));
    for (const auto& argument : spec.command) {
        encoded.push_back(QFile::encodeName(argument));
    }
    std::vector<char*> argv;
    for (auto& argument : encoded) {
        argv.push_back(argument.data());
    }
    argv.push_back(nullptr);
    std::vector<char*> envp = buildEnvironment(spec.variables);

    // The child reports a failed exec through this pipe; a successful exec closes it (O_CLOEXEC).
    Pipe execError;
    Pipe out;
    Pipe err;
    if (!makePipe(execError) || (spec.mask && (!makePipe(out) || !makePipe(err)))) {
        return fail(ExitCode::Failed, u"cannot create a pipe: %1"_s.arg(QString::fromLocal8Bit(std::strerror(errno))));
    }

    // Blocked across fork(): a signal that arrives before the child's pid is known is delivered (and
    // forwarded) right after, not lost.
    sigset_t forwarded;
    sigset_t previous;
    sigemptyset(&forwarded);
    for (const int signal : kForwardedSignals) {
        sigaddset(&forwarded, signal);
    }
    ::sigprocmask(SIG_BLOCK, &forwarded, &previous);

    const pid_t pid = ::fork();
    if (pid == 0) {
        ::sigprocmask(SIG_SETMASK, &previous, nullptr);
        if (spec.mask) {
            ::dup2(out.write.get(), STDOUT_FILENO);
            ::dup2(err.write.get(), STDERR_FILENO);
        }
        ::execvpe(argv[0], argv.data(), envp.data());
        const int error = errno;
        [[maybe_unused]] const auto written = ::write(execError.write.get(), &error, sizeof error);
        ::_exit(127);
    }
    if (pid < 0) {
        const int error = errno;
        ::sigprocmask(SIG_SETMASK, &previous, nullptr);
        return fail(ExitCode::Failed,
                    u"cannot start a process: %1"_s.arg(QString::fromLocal8Bit(std::strerror(error))));
    }

    g_child = pid;
    std::array<struct sigaction, kForwardedSignals.size()> saved{};
    struct sigaction forward {};
    forward.sa_sigaction = forwardSignal;
    forward.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&forward.sa_mask);
    for (std::size_t i = 0; i < kForwardedSignals.size(); ++i) {
        ::sigaction(kForwardedSignals[i], &forward, &saved[i]);
    }
    // Writing to a closed stdout must fail with EPIPE here, not kill us and orphan the child.
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    struct sigaction savedPipe {};
    ::sigaction(SIGPIPE, &ignore, &savedPipe);
    ::sigprocmask(SIG_SETMASK, &previous, nullptr);

    execError.write.reset();
    out.write.reset();
    err.write.reset();
    int execErrno = 0;
    ssize_t got = 0;
    do {
        got = ::read(execError.read.get(), &execErrno, sizeof execErrno);
    } while (got < 0 && errno == EINTR);

    if (got <= 0 && spec.mask) {
        copyMasked(out.read.get(), err.read.get(), spec.maskedValues);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }

    ::sigprocmask(SIG_BLOCK, &forwarded, nullptr);
    g_child = 0;
    for (std::size_t i = 0; i < kForwardedSignals.size(); ++i) {
        ::sigaction(kForwardedSignals[i], &saved[i], nullptr);
    }
    ::sigaction(SIGPIPE, &savedPipe, nullptr);
    ::sigprocmask(SIG_SETMASK, &previous, nullptr);

    if (got > 0) {
        const auto code = static_cast<ExitCode>(execErrno == ENOENT ? 127 : 126);
        return fail(code, u"cannot run %1: %2"_s.arg(spec.command.constFirst(),
                                                     QString::fromLocal8Bit(std::strerror(execErrno))));
    }
    return shellStatus(status);
}

} // namespace coffer::cli
