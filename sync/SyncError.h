// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"
#include "sync/protocol/ProtocolError.h"

#include <QString>

#include <expected>
#include <optional>

namespace coffer::sync {

/// What went wrong in the sync client. Each code is something a user can act on differently; the message
/// says what happened and what to do. Nothing in a message is a secret (no value, key, code or token).
enum class ErrorCode {
    Offline,         ///< the server could not be reached (DNS, connect, timeout, reset); sync retries later
    Tls,             ///< TLS verification failed (certificate, host name, CA file); never bypassed
    Redirect,        ///< the server answered with a redirect; redirects are never followed
    Server,          ///< 5xx or 503, or 429 after the retries: the server's trouble, try later
    Refused,         ///< 401/403: not a member, removed, no grant, read-only on the server, bad code
    NotFound,        ///< 404, or a team, member, project or environment unknown to this vault
    HostileResponse, ///< a reply that does not parse or breaks the protocol (bad JSON, wrong fields, sizes)
    Integrity,       ///< a roster event, grant or record that fails a check: that chain's sync stops
    NotAllowed,      ///< this client refuses: not an admin, read-only, unconfirmed member, last admin, ...
    InvalidInput,    ///< a malformed invite code, server URL, name, or a fingerprint that does not match
    Conflict,        ///< compare-and-append kept losing after the retries
    Vault,           ///< the local vault failed (model error in the message)
};

struct Error {
    ErrorCode code = ErrorCode::Server;
    QString message;                      ///< one or two sentences for people
    std::optional<protocol::Error> check; ///< for Integrity: the failed check and its position
    int httpStatus = 0;                   ///< the server's status when there was one
};

template <typename T> using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(ErrorCode code, QString message) {
    return std::unexpected(Error{code, std::move(message), std::nullopt, 0});
}
/// A model error as a sync error (code Vault, the model's message).
[[nodiscard]] std::unexpected<Error> fail(const model::Error& error);
/// An integrity failure naming the check: "<what>: <check> at <position>: <detail>".
[[nodiscard]] std::unexpected<Error> failIntegrity(const QString& what, const protocol::Error& check);
[[nodiscard]] QString codeName(ErrorCode code);

} // namespace coffer::sync
