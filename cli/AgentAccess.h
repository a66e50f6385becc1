// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agent/AgentClient.h"
#include "agent/VaultReads.h"
#include "cli/ExitCode.h"

#include <optional>

namespace coffer::cli {

class Session;

/// The agent to ask for this session's vault: nullopt with --no-agent, or when the vault file does not exist
/// (the own unlock then gives the usual error). Whether an agent really runs is known only by asking.
[[nodiscard]] std::optional<agent::client::Target> agentTarget(const Session& session);

/// What a failed agent request means for the command: nullopt to fall back to the own unlock (no agent, an
/// agent for another vault, or one that cannot be trusted or understood: then a warning on stderr says why),
/// else the failure to report (the vault's own error, or consent denied).
[[nodiscard]] std::optional<Failure> agentFailure(const agent::client::Refusal& refusal);

/// A vault read's failure, with the exit code the model's error code maps to.
[[nodiscard]] Failure readFailure(const agent::reads::ReadError& error);

} // namespace coffer::cli
