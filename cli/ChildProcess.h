// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/ExitCode.h"
#include "crypto/SecureBuffer.h"

#include <QStringList>

#include <span>
#include <vector>

namespace coffer::cli {

/// What `run` starts: a program with its arguments, never a shell string.
struct ChildSpec {
    QStringList command; ///< the program (looked up in PATH like a shell does) and its arguments
    /// "NAME=value" entries added to the inherited environment; they replace inherited ones of the same name.
    std::vector<crypto::SecureBuffer> variables;
    /// With masking, the child's stdout and stderr are pipes read here, and these values (and their
    /// encodings, see OutputMasker) are shown as `*****`. Without it the child inherits both directly.
    bool mask = true;
    std::vector<std::span<const std::byte>> maskedValues;
};

/// Starts the child (fork, then execvp with the environment built before the fork), forwards SIGINT,
/// SIGTERM and SIGHUP sent to this process, and waits for it. Returns its exit status the way a shell
/// reports it: the exit code, or 128 + N when signal N killed it. A program that cannot be started is a
/// failure with exit code 127 (not found) or 126 (not executable), like a shell's.
[[nodiscard]] Outcome<int> runChild(const ChildSpec& spec);

} // namespace coffer::cli
