// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SealedBox.h"
#include "crypto/Sign.h"
#include "sync/protocol/Types.h"

#include <optional>
#include <string>

namespace coffer::tests {

/// A team member as a client holds it: device signing key, box key, the self-signed identity, and an
/// optional session key. Move-only (the secret keys live in guarded memory).
struct TestMember {
    crypto::SigningKeyPair sign;
    crypto::BoxKeyPair box;
    protocol::MemberIdentity identity;
    protocol::MemberId id{};
    std::optional<crypto::SigningKeyPair> session;

    /// Fresh keys and a self-signed identity named `displayName`.
    [[nodiscard]] static TestMember create(const std::string& displayName);

    /// Lowercase hex of the member id and of the device public key.
    [[nodiscard]] std::string idHex() const;
    [[nodiscard]] std::string signKeyHex() const;
};

} // namespace coffer::tests
