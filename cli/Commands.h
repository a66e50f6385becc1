// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/ExitCode.h"

namespace coffer::cli {

class Session;

/// The command handlers. Each reads its arguments and options from the session and returns a failure
/// (exit code and message) or nothing; output goes to stdout through cli/Output.h.
namespace commands {

// CommandsVault.cpp
[[nodiscard]] Outcome<void> init(Session& session);
[[nodiscard]] Outcome<void> passwd(Session& session);
[[nodiscard]] Outcome<void> info(Session& session);

// CommandsScope.cpp
[[nodiscard]] Outcome<void> projectAdd(Session& session);
[[nodiscard]] Outcome<void> projectList(Session& session);
[[nodiscard]] Outcome<void> projectRemove(Session& session);
[[nodiscard]] Outcome<void> projectRename(Session& session);
[[nodiscard]] Outcome<void> envAdd(Session& session);
[[nodiscard]] Outcome<void> envList(Session& session);
[[nodiscard]] Outcome<void> envRemove(Session& session);
[[nodiscard]] Outcome<void> envRename(Session& session);

// CommandsSecret.cpp
[[nodiscard]] Outcome<void> set(Session& session);
[[nodiscard]] Outcome<void> get(Session& session);
[[nodiscard]] Outcome<void> remove(Session& session);
[[nodiscard]] Outcome<void> restore(Session& session);
[[nodiscard]] Outcome<void> rename(Session& session);

// CommandsList.cpp
[[nodiscard]] Outcome<void> list(Session& session);
[[nodiscard]] Outcome<void> history(Session& session);

// CommandsImport.cpp, CommandsExport.cpp, CommandsDiff.cpp
[[nodiscard]] Outcome<void> importEnvironment(Session& session);
[[nodiscard]] Outcome<void> exportEnvironment(Session& session);
[[nodiscard]] Outcome<void> diff(Session& session);
[[nodiscard]] Outcome<void> dotenvParse(Session& session);

// CommandsRun.cpp, CommandsInject.cpp
[[nodiscard]] Outcome<void> run(Session& session);
[[nodiscard]] Outcome<void> inject(Session& session);

// CommandsTeam.cpp
[[nodiscard]] Outcome<void> teamCreate(Session& session);
[[nodiscard]] Outcome<void> teamShare(Session& session);
[[nodiscard]] Outcome<void> teamInvite(Session& session);
[[nodiscard]] Outcome<void> teamJoin(Session& session);
[[nodiscard]] Outcome<void> teamMembers(Session& session);
[[nodiscard]] Outcome<void> teamConfirm(Session& session);
[[nodiscard]] Outcome<void> teamRemove(Session& session);
[[nodiscard]] Outcome<void> teamRole(Session& session);
[[nodiscard]] Outcome<void> teamFingerprint(Session& session);
[[nodiscard]] Outcome<void> teamList(Session& session);

// CommandsSync.cpp
[[nodiscard]] Outcome<void> grant(Session& session);
[[nodiscard]] Outcome<void> revoke(Session& session);
[[nodiscard]] Outcome<void> syncNow(Session& session);
[[nodiscard]] Outcome<void> conflicts(Session& session);
[[nodiscard]] Outcome<void> resolve(Session& session);
[[nodiscard]] Outcome<void> rotateList(Session& session);

// CommandsAgent.cpp
[[nodiscard]] Outcome<void> agentStart(Session& session);
[[nodiscard]] Outcome<void> agentStatus(Session& session);
[[nodiscard]] Outcome<void> lock(Session& session);

// Help.cpp
[[nodiscard]] Outcome<void> help(Session& session);

} // namespace commands
} // namespace coffer::cli
