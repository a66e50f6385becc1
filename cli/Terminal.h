// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/ExitCode.h"
#include "crypto/SecureBuffer.h"

#include <QString>

#include <cstddef>

namespace coffer::cli {

/// The controlling terminal (/dev/tty), used for prompts that must not echo. Opening it fails cleanly
/// when the process has none (cron, CI, setsid), so nothing ever waits for an answer that cannot come.
class Terminal {
public:
    /// A failure (exit 5) that suggests `fallback` (e.g. "--password-file FILE") when there is no terminal.
    [[nodiscard]] static Outcome<Terminal> open(const QString& fallback);

    Terminal(Terminal&& other) noexcept;
    Terminal& operator=(Terminal&& other) noexcept;
    Terminal(const Terminal&) = delete;
    Terminal& operator=(const Terminal&) = delete;
    ~Terminal();

    /// Shows `prompt`, reads one line with echo off (restored even on Ctrl-C) and returns it without the
    /// newline. At most `maxBytes`; an empty answer or end of input is a failure.
    [[nodiscard]] Outcome<crypto::SecureBuffer> readHidden(const QString& prompt, std::size_t maxBytes);

    /// Asks twice and insists both answers match (three tries).
    [[nodiscard]] Outcome<crypto::SecureBuffer> readHiddenTwice(const QString& prompt, const QString& repeatPrompt,
                                                                std::size_t maxBytes);

    /// Writes a line of text to the terminal (not to stdout, which may be a pipe).
    void say(const QString& text);

private:
    explicit Terminal(int fd) noexcept
        : m_fd(fd) {}
    int m_fd = -1;
};

/// Whether standard input is a terminal (then values are prompted for, not read).
[[nodiscard]] bool stdinIsTerminal() noexcept;

/// Reads `fd` to its end into guarded memory, binary-safe. Stops after `limit` bytes: the caller sees
/// size() == limit and decides that the input was too long.
[[nodiscard]] Outcome<crypto::SecureBuffer> readAll(int fd, std::size_t limit, const QString& what);

} // namespace coffer::cli
