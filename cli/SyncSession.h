// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/ExitCode.h"
#include "cli/Session.h"
#include "crypto/SecureBuffer.h"
#include "model/Store.h"
#include "sync/SyncEngine.h"
#include "sync/SyncError.h"
#include "sync/TeamService.h"
#include "sync/protocol/Types.h"

#include <QString>

#include <optional>
#include <span>
#include <utility>

namespace coffer::cli {

/// The exit code of a sync error: Offline and Server 6, Refused and NotAllowed 7, Integrity,
/// HostileResponse, Tls and Redirect 8, InvalidInput 1, NotFound 2, anything else 5 (docs/cli.md).
[[nodiscard]] ExitCode exitCodeFor(sync::ErrorCode code) noexcept;

/// A sync error as a failure: its exit code, its message and what to do about it (never a secret: sync
/// messages hold none).
[[nodiscard]] Failure failure(const sync::Error& error);

/// Converts a sync result, keeping the value.
template <typename T> [[nodiscard]] Outcome<T> lift(sync::Result<T>&& result) {
    if (!result) {
        return std::unexpected(failure(result.error()));
    }
    if constexpr (std::is_void_v<T>) {
        return {};
    } else {
        return std::move(*result);
    }
}

/// An open vault with its sync engine and team service, for the team and sync commands.
class SyncSession {
public:
    SyncSession(const Session& session, model::Vault& vault);
    SyncSession(const SyncSession&) = delete;
    SyncSession& operator=(const SyncSession&) = delete;

    [[nodiscard]] const Session& cli() const noexcept { return m_session; }
    [[nodiscard]] model::Store& store() noexcept { return m_store; }
    [[nodiscard]] sync::SyncEngine& engine() noexcept { return m_engine; }
    [[nodiscard]] sync::TeamService& teams() noexcept { return m_teams; }

    /// The team --team names (name or id prefix), else the vault's only team. NotFound (exit 2) with what
    /// to do when the vault has none; usage (exit 1) when several match.
    [[nodiscard]] Outcome<sync::TeamSummary> team();
    /// A member of `team` by display name or fingerprint/id prefix.
    [[nodiscard]] Outcome<sync::MemberInfo> member(const sync::TeamSummary& team, const QString& nameOrFingerprint);
    /// A local PROJECT/ENV that is shared with `team` (NotFound with the fix when it is not shared).
    [[nodiscard]] Outcome<sync::SharedEnvironment> sharedEnvironment(const sync::TeamSummary& team,
                                                                     const QString& address);

private:
    const Session& m_session;
    model::Store m_store;
    sync::SyncEngine m_engine;
    sync::TeamService m_teams;
};

/// Unlocks the vault and runs `body` with a SyncSession over it.
template <typename F> [[nodiscard]] Outcome<void> withSync(const Session& session, F&& body) {
    auto vault = session.unlock();
    if (!vault) {
        return std::unexpected(vault.error());
    }
    SyncSession sync(session, *vault);
    return std::forward<F>(body)(sync);
}

/// Where a secret code (the operator's team code, an invite code) comes from: the file option `fileOption`
/// when given (owner-only, like --password-file), else standard input when it is not a terminal. nullopt
/// when it must be asked for on the terminal (promptForCode(), after the vault is open). Never argv.
[[nodiscard]] Outcome<std::optional<crypto::SecureBuffer>>
readCodeInput(const Session& session, const QString& fileOption, const QString& what);
/// Asks for a code on the terminal without echo; without a terminal, a failure naming `fileOption`.
[[nodiscard]] Outcome<crypto::SecureBuffer> promptForCode(const QString& prompt, const QString& fileOption);

/// The stable name of an error code in --json output: "offline", "tls", "redirect", "server", "refused",
/// "not-found", "hostile-response", "integrity", "not-allowed", "invalid-input", "conflict", "vault".
[[nodiscard]] QString errorCodeName(sync::ErrorCode code);

/// An exposure report for people: what the member could read (each secret "to rotate"), what the
/// server's access log and the local audit say they fetched, and what to do. Names only, never values.
[[nodiscard]] QString exposureText(const sync::ExposureReport& report);

/// "owner", "admin", "member".
[[nodiscard]] QString roleName(protocol::Role role);
/// "read", "write".
[[nodiscard]] QString accessName(protocol::Access access);
/// Lower-case hex of an id.
[[nodiscard]] QString hexId(std::span<const std::byte> id);

} // namespace coffer::cli
