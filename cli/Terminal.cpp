// SPDX-License-Identifier: Apache-2.0
#include "cli/Terminal.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <span>
#include <utility>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::cli {

namespace {

// What the signal handler needs to give the terminal its echo back if the user presses Ctrl-C at a
// hidden prompt: a shell left without echo looks broken.
volatile std::sig_atomic_t g_echoFd = -1;
termios g_savedTermios{};

constexpr int kRestoredSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

extern "C" void restoreEchoAndReraise(int signalNumber) {
    const int fd = g_echoFd;
    if (fd >= 0) {
        ::tcsetattr(fd, TCSAFLUSH, &g_savedTermios);
        [[maybe_unused]] const auto written = ::write(fd, "\n", 1);
    }
    ::signal(signalNumber, SIG_DFL);
    ::raise(signalNumber);
}

QString systemError(int error) {
    return QString::fromLocal8Bit(std::strerror(error));
}

/// Turns echo off for its lifetime and restores the terminal on every way out, signals included.
class EchoOff {
public:
    explicit EchoOff(int fd)
        : m_fd(fd) {
        if (::tcgetattr(fd, &g_savedTermios) != 0) {
            return;
        }
        struct sigaction action {};
        action.sa_handler = restoreEchoAndReraise;
        sigemptyset(&action.sa_mask);
        for (std::size_t i = 0; i < std::size(kRestoredSignals); ++i) {
            ::sigaction(kRestoredSignals[i], &action, &m_previous[i]);
        }
        g_echoFd = fd;
        termios quiet = g_savedTermios;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHOE | ECHOK | ECHONL);
        m_active = ::tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
        if (!m_active) {
            restore();
        }
    }
    ~EchoOff() { restore(); }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

    [[nodiscard]] bool active() const noexcept { return m_active; }

private:
    void restore() noexcept {
        if (g_echoFd < 0) {
            return;
        }
        ::tcsetattr(m_fd, TCSAFLUSH, &g_savedTermios);
        g_echoFd = -1;
        for (std::size_t i = 0; i < std::size(kRestoredSignals); ++i) {
            ::sigaction(kRestoredSignals[i], &m_previous[i], nullptr);
        }
    }

    int m_fd;
    bool m_active = false;
    struct sigaction m_previous[std::size(kRestoredSignals)]{};
};

bool writeAll(int fd, const QByteArray& bytes) {
    const char* data = bytes.constData();
    auto left = static_cast<std::size_t>(bytes.size());
    while (left > 0) {
        const auto written = ::write(fd, data, left);
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            return false;
        }
        data += written;
        left -= static_cast<std::size_t>(written);
    }
    return true;
}

} // namespace

Outcome<Terminal> Terminal::open(const QString& fallback) {
    const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        return fail(ExitCode::Failed,
                    u"there is no terminal to ask on (/dev/tty: %1); %2"_s.arg(systemError(errno), fallback));
    }
    return Terminal(fd);
}

Terminal::Terminal(Terminal&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)) {}

Terminal& Terminal::operator=(Terminal&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

Terminal::~Terminal() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

void Terminal::say(const QString& text) {
    [[maybe_unused]] const bool ok = writeAll(m_fd, (text + u'\n').toUtf8());
}

Outcome<crypto::SecureBuffer> Terminal::readHidden(const QString& prompt, std::size_t maxBytes) {
    crypto::SecureBuffer line(maxBytes);
    std::size_t size = 0;
    bool tooLong = false;
    bool ended = false;
    {
        EchoOff echoOff(m_fd);
        if (!echoOff.active()) {
            return fail(ExitCode::Failed, u"cannot turn off echo on the terminal, so nothing secret is read from it"_s);
        }
        if (!writeAll(m_fd, prompt.toUtf8())) {
            return fail(ExitCode::Failed, u"cannot write to the terminal"_s);
        }
        for (;;) {
            std::byte byte{};
            const auto got = ::read(m_fd, &byte, 1);
            if (got < 0 && errno == EINTR) {
                continue;
            }
            if (got <= 0) {
                ended = true;
                break;
            }
            if (byte == std::byte{'\n'}) {
                break;
            }
            if (size < maxBytes) {
                line.data()[size++] = byte;
            } else {
                tooLong = true;
            }
            byte = std::byte{};
        }
    }
    [[maybe_unused]] const bool ok = writeAll(m_fd, QByteArrayLiteral("\n")); // the Enter was not echoed
    if (tooLong) {
        return fail(ExitCode::Failed, u"the answer is longer than %1 bytes"_s.arg(maxBytes));
    }
    if (size == 0) {
        return fail(ExitCode::Failed, ended ? u"no answer at the prompt (end of input)"_s : u"nothing was entered"_s);
    }
    return crypto::SecureBuffer::copyOf(std::span<const std::byte>(line.data(), size));
}

Outcome<crypto::SecureBuffer> Terminal::readHiddenTwice(const QString& prompt, const QString& repeatPrompt,
                                                        std::size_t maxBytes) {
    constexpr int kTries = 3;
    for (int attempt = 1;; ++attempt) {
        auto first = readHidden(prompt, maxBytes);
        if (!first) {
            return first;
        }
        auto second = readHidden(repeatPrompt, maxBytes);
        if (!second) {
            return second;
        }
        if (first->size() == second->size() && first->equals(second->bytes())) {
            return first;
        }
        if (attempt == kTries) {
            return fail(ExitCode::Failed,
                        u"the two entries did not match (%1 tries); nothing was changed"_s.arg(kTries));
        }
        say(u"The two entries do not match; try again."_s);
    }
}

bool stdinIsTerminal() noexcept {
    return ::isatty(STDIN_FILENO) == 1;
}

Outcome<crypto::SecureBuffer> readAll(int fd, std::size_t limit, const QString& what) {
    crypto::SecureBuffer buffer(limit);
    std::size_t size = 0;
    while (size < limit) {
        const auto got = ::read(fd, buffer.data() + size, limit - size);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return fail(ExitCode::Failed, u"cannot read %1: %2"_s.arg(what, systemError(errno)));
        }
        if (got == 0) {
            break;
        }
        size += static_cast<std::size_t>(got);
    }
    return crypto::SecureBuffer::copyOf(std::span<const std::byte>(buffer.data(), size));
}

} // namespace coffer::cli
