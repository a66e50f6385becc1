// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

/// Team codes (made by the operator with `coffer-server team-code`) and invite codes (made by an
/// admin's client). The server stores only their hashes, so a database dump gives no usable code.
namespace coffer::server {

/// A fresh team code: 160 bits from the OS CSPRNG as 32 base32 characters in groups of four
/// ("abcd-efgh-…"), easy to paste and to read aloud.
[[nodiscard]] std::string makeTeamCode();

/// Lowercase hex BLAKE2b-256 of the code's bytes exactly as given: what addTeamCode, consumeTeamCode,
/// addInvite ("codeHash") and acceptInvite store and compare.
[[nodiscard]] std::string codeHash(std::string_view code);

} // namespace coffer::server
