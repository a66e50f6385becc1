// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QStringList>

namespace coffer::tests {

/// What a run of coffer-cli on a pseudo-terminal did: its exit code (-1 when it had to be killed, or did not
/// ask what it was expected to ask) and everything it wrote to the terminal.
struct TerminalRun {
    int exitCode = -1;
    bool answeredAll = false; ///< every expected prompt appeared and was answered
    QByteArray transcript;
};

/// Runs `program ARGS` with a new pseudo-terminal as its controlling terminal, stdin, stdout and stderr
/// (forkpty), with `environment` ("NAME=value") added to ours. For each (prompt, answer) in order: waits until
/// the terminal shows `prompt`, then types `answer`. Then reads to the end. Never waits longer than
/// `timeoutMs` in all; a program still running then is killed.
[[nodiscard]] TerminalRun runOnTerminal(const QByteArray& program, const QStringList& args,
                                        const QStringList& environment,
                                        const QList<QPair<QByteArray, QByteArray>>& dialogue, int timeoutMs = 60'000);

} // namespace coffer::tests
