// SPDX-License-Identifier: Apache-2.0
#include "tests/server/client/TestMember.h"

#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"

namespace coffer::tests {

TestMember TestMember::create(const std::string& displayName) {
    TestMember member{crypto::SigningKeyPair::keygen(), crypto::BoxKeyPair::keygen(), {}, {}, std::nullopt};
    member.identity.signKey = member.sign.publicKey;
    member.identity.boxKey = member.box.publicKey;
    member.identity.displayName = displayName;
    protocol::signIdentity(member.identity, member.sign.secretKey);
    member.id = protocol::memberId(member.identity);
    return member;
}

std::string TestMember::idHex() const {
    return protocol::hex(id.bytes);
}

std::string TestMember::signKeyHex() const {
    return protocol::hex(sign.publicKey.bytes);
}

} // namespace coffer::tests
