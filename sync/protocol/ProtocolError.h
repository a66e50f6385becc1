// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace coffer::protocol {

/// What went wrong while decoding or verifying protocol data. Verifiers name the precise check that
/// failed; a failed signature is always `BadSignature`, whatever the reason inside libsodium.
enum class ErrorCode {
    Malformed,           ///< bytes or JSON that do not decode to the type (missing field, bad size, trailing data)
    UnknownVersion,      ///< a format version this build does not speak; never guessed at
    BadSignature,        ///< a signature that does not verify under the key it claims
    SignerNotAuthorised, ///< a valid signature by someone without the role needed at that position
    Gap,                 ///< a sequence number skipped
    Fork,                ///< the same sequence number with another hash than the one pinned or seen
    Regression,          ///< a head older than the one pinned
    BrokenChain,         ///< a previous-hash that does not match the hash of the record before it
    WrongContext,        ///< a record or grant for another team, environment, epoch or member than expected
    UnsignedTail,        ///< records after the last batch signature (nothing vouches for them)
    LimitExceeded,       ///< a size or count beyond the protocol's bounds
    StaleTime,           ///< a request time outside the allowed skew
};

/// An error with the position (sequence number, or index in a list) where it was found.
struct Error {
    ErrorCode code = ErrorCode::Malformed;
    std::uint64_t position = 0;
    std::string detail; ///< safe to show and to log: never contains secret bytes

    bool operator==(const Error&) const = default;
};

/// "bad signature at 12: …": one line for a log or a message box.
[[nodiscard]] std::string describe(const Error& error);
[[nodiscard]] std::string_view codeName(ErrorCode code) noexcept;

template <typename T> using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(ErrorCode code, std::uint64_t position = 0, std::string detail = {}) {
    return std::unexpected(Error{code, position, std::move(detail)});
}

} // namespace coffer::protocol
