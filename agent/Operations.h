// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agent/AgentError.h"
#include "agent/LocalSocket.h"
#include "agent/VaultReads.h"
#include "agent/Wire.h"

#include <QString>
#include <QStringList>

#include <expected>

namespace coffer::model {
class Store;
}

/// The agent's side of each operation (docs/agent.md): a request decoded, the vault read with the same
/// functions coffer-cli uses on its own (agent/VaultReads.h), the reply encoded. Approval and the audit
/// event happen in the server, between prepare() and sending the reply.
namespace coffer::agent::ops {

/// What the server reports about itself (status).
struct ServerInfo {
    QString vaultPath; ///< canonical
    qint64 pid = 0;
    qint64 startedAtMs = 0;
    qint64 idleTimeoutMs = 0;
    qint64 lifetimeMs = 0;
    qint64 served = 0;
};

/// A request read from the vault, waiting for approval.
struct Prepared {
    QString command;             ///< "get", "ls", "export", "run", "inject", "status", "lock"
    QString scope;               ///< PROJECT[/ENV[/NAME]] for requestServed() and consent
    QStringList protectedScopes; ///< PROJECT/ENV each needing consent before the reply goes out
    QString auditAction;
    QString auditProject;
    QString auditEnvironment;
    QString auditSecret;
    QString auditDetail;
    wire::Message reply;
    bool lock = false; ///< stop the agent after the reply
};

/// Reads what `request` asks for. An error is the reply to send instead (no audit, no consent).
[[nodiscard]] std::expected<Prepared, wire::Message> prepare(model::Store& store, const wire::Message& request,
                                                             const ServerInfo& info, const local::Peer& peer);

[[nodiscard]] wire::Message errorReply(AgentError error);
[[nodiscard]] wire::Message vaultErrorReply(const reads::ReadError& error);

} // namespace coffer::agent::ops
