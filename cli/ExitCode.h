// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"

#include <QString>

#include <expected>
#include <type_traits>
#include <utility>

namespace coffer::cli {

/// The process exit status: scripts branch on these, so they are part of the interface (docs/cli.md).
enum class ExitCode : int {
    Ok = 0,
    Usage = 1,         ///< bad command line: unknown command or option, wrong arguments, invalid name or cost
    NotFound = 2,      ///< no such project, environment, secret or version inside the vault
    WrongPassword = 3, ///< the password does not open the vault
    Damaged = 4,       ///< damaged, not a vault, or made by a newer Coffer
    Failed = 5,        ///< anything else (missing vault file, permissions, no terminal, too large, ...)
    // Team sync (sync, team, grant, revoke, ...): what a script does next differs for each.
    Offline = 6,   ///< the sync server could not be reached or failed (5xx): local changes wait; try again later
    Refused = 7,   ///< the server refused (not a member, no grant, read-only) or this client may not (not an admin)
    Integrity = 8, ///< a record, roster event or grant failed a check, or the server broke the protocol or TLS
};

/// Why a command stopped: the exit status and one sentence for stderr (never a secret).
struct Failure {
    ExitCode code = ExitCode::Failed;
    QString message;
};

template <typename T> using Outcome = std::expected<T, Failure>;

[[nodiscard]] ExitCode exitCodeFor(model::ErrorCode code) noexcept;

/// A model error as a failure: its exit code and Error::message().
[[nodiscard]] Failure failure(const model::Error& error);

[[nodiscard]] inline std::unexpected<Failure> fail(ExitCode code, QString message) {
    return std::unexpected(Failure{code, std::move(message)});
}

[[nodiscard]] inline std::unexpected<Failure> usageError(QString message) {
    return fail(ExitCode::Usage, std::move(message));
}

/// Converts a model result, keeping the value.
template <typename T> [[nodiscard]] Outcome<T> lift(model::Result<T>&& result) {
    if (!result) {
        return std::unexpected(failure(result.error()));
    }
    if constexpr (std::is_void_v<T>) {
        return {};
    } else {
        return std::move(*result);
    }
}

} // namespace coffer::cli
