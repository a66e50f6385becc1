// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agent/AgentError.h"
#include "agent/VaultReads.h"
#include "agent/Wire.h"

#include <QString>

#include <chrono>
#include <expected>
#include <optional>
#include <vector>

/// coffer-cli's side of the agent: one connection per request, plain blocking POSIX sockets (no event loop,
/// nothing to start up), the reply decoded into the same structures the local reads return.
namespace coffer::agent::client {

/// A request that failed: the agent's error, and with VaultError the vault's own error.
struct Refusal {
    AgentError error = AgentError::NotRunning;
    reads::ReadError vault;
};
template <typename T> using Answer = std::expected<T, Refusal>;

/// Where to reach the agent and which vault the request means (its canonical path).
struct Target {
    QString socketPath;
    QString vaultPath;
    /// How long to wait for the reply; it includes the time the user takes to approve.
    std::chrono::milliseconds timeout = std::chrono::minutes(3);
};

struct Status {
    QString vaultPath;
    qint64 pid = 0;
    qint64 startedAtMs = 0;
    qint64 idleTimeoutMs = 0;
    qint64 lifetimeMs = 0;
    qint64 served = 0;
};

/// Sends `request` (adding the vault) and returns the ok reply, or why not.
[[nodiscard]] Answer<wire::Message> call(const Target& target, wire::Message request);

[[nodiscard]] Answer<Status> status(const Target& target);
[[nodiscard]] Answer<void> lock(const Target& target);

[[nodiscard]] Answer<std::vector<reads::ProjectRow>> projects(const Target& target, bool counts);
[[nodiscard]] Answer<reads::EnvironmentRows> environments(const Target& target, const QString& project, bool counts);
[[nodiscard]] Answer<reads::SecretRows> secrets(const Target& target, const reads::Path& scope, bool includeDeleted);
[[nodiscard]] Answer<crypto::SecureBuffer> reveal(const Target& target, const reads::Path& path,
                                                  std::optional<int> version, bool raw);
/// export: `where` is the target path or "stdout" (for the audit event).
[[nodiscard]] Answer<reads::Gathered> exportValues(const Target& target, const reads::Path& scope,
                                                   const QString& where);
/// run: without `lines` the environment's secrets, else the template's lines and coffer:// references.
[[nodiscard]] Answer<reads::Gathered> runValues(const Target& target, const reads::Path& scope, const QString& program,
                                                const std::optional<std::vector<reads::TemplateLine>>& lines,
                                                const std::vector<reads::Path>& references);
[[nodiscard]] Answer<reads::Gathered> injectValues(const Target& target, const std::vector<reads::Path>& references,
                                                   const QString& input, const QString& where);

} // namespace coffer::agent::client
