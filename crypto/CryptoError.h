// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <expected>
#include <string_view>

namespace coffer::crypto {

/// Errors of the crypto layer. A failed decryption or verification is always the one uninformative
/// `Error::Failed`: callers never learn why, so nothing can be used as an oracle.
enum class Error {
    InitFailed,      ///< libsodium could not be initialised
    OutOfMemory,     ///< secure memory could not be allocated
    InvalidArgument, ///< a size or parameter outside what the primitive accepts
    Failed,          ///< decryption, signature verification or key derivation failed
};

/// A short English description, safe to show and to log (never contains data).
[[nodiscard]] std::string_view describe(Error error) noexcept;

template <typename T> using Result = std::expected<T, Error>;

} // namespace coffer::crypto
