// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"

#include <string>

namespace coffer::crypto {

/// The fingerprint of a member identity: BLAKE2b over a domain tag and both public keys, shown as
/// six groups of five decimal digits ("12345 67890 …", about 100 bits) that two people can read aloud
/// and compare. Any change of either key changes it.
[[nodiscard]] std::string fingerprint(const SignPublicKey& signKey, const BoxPublicKey& boxKey);

} // namespace coffer::crypto
