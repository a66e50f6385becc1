// SPDX-License-Identifier: Apache-2.0
#pragma once

// Deterministic people, rosters and records for the protocol tests: every key comes from a fixed seed
// (SigningKeyPair::fromSeed, BoxKeyPair::fromSecretKey), so signatures and hashes are reproducible.

#include "crypto/Hash.h"
#include "crypto/SealedBox.h"
#include "crypto/Sign.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/ProtocolError.h"
#include "sync/protocol/Types.h"
#include "tests/crypto/VectorFile.h" // asSpan()

#include <QByteArray>
#include <QString>

#include <array>
#include <cstddef>
#include <span>
#include <string>

namespace coffer::test {

namespace p = coffer::protocol;

template <std::size_t N> [[nodiscard]] std::array<std::byte, N> filled(std::uint8_t value) {
    std::array<std::byte, N> out{};
    out.fill(static_cast<std::byte>(value));
    return out;
}

/// A member with keys derived from `seed` (sign seed = 32 × seed, box secret = 32 × (seed + 0x80)).
struct Person {
    crypto::SigningKeyPair sign;
    crypto::BoxKeyPair box;
    p::MemberIdentity identity;
    p::MemberId id;
};

[[nodiscard]] inline Person makePerson(std::uint8_t seed, const std::string& name) {
    auto sign = crypto::SigningKeyPair::fromSeed(crypto::SignSeed::fromBytes(filled<32>(seed)));
    auto box = crypto::BoxKeyPair::fromSecretKey(
        crypto::BoxSecretKey::fromBytes(filled<32>(static_cast<std::uint8_t>(seed + 0x80))));
    p::MemberIdentity identity;
    identity.signKey = sign.publicKey;
    identity.boxKey = box.publicKey;
    identity.displayName = name;
    p::signIdentity(identity, sign.secretKey);
    const p::MemberId id = p::memberId(identity);
    return Person{std::move(sign), std::move(box), std::move(identity), id};
}

// The cast of the verifier tests, the same people (fixed seeds) in each.
inline const Person& ada() {
    static const Person person = makePerson(1, "Ada");
    return person;
}
inline const Person& bob() {
    static const Person person = makePerson(2, "Bob");
    return person;
}
inline const Person& carol() {
    static const Person person = makePerson(3, "Carol");
    return person;
}
inline const Person& dave() {
    static const Person person = makePerson(4, "Dave");
    return person;
}
inline const Person& eve() {
    static const Person person = makePerson(5, "Eve");
    return person;
}

inline constexpr std::int64_t kTestTime = 1'800'000'000;

[[nodiscard]] inline p::RosterEvent makeGenesis(const Person& creator) {
    p::RosterEvent event;
    event.kind = p::RosterEventKind::Genesis;
    event.subject = creator.identity;
    event.role = p::Role::Owner;
    event.signer = creator.id;
    event.time = kTestTime;
    p::signRosterEvent(event, creator.sign.secretKey);
    return event;
}

/// The next event after `head` in `team`, signed by `signer`.
[[nodiscard]] inline p::RosterEvent makeEvent(const p::TeamId& team, const p::Head& head, p::RosterEventKind kind,
                                              const Person& subject, p::Role role, const Person& signer) {
    p::RosterEvent event;
    event.team = team;
    event.seq = head.seq + 1;
    event.previous = head.hash;
    event.kind = kind;
    event.subject = subject.identity;
    event.role = role;
    event.signer = signer.id;
    event.time = kTestTime + static_cast<std::int64_t>(event.seq);
    p::signRosterEvent(event, signer.sign.secretKey);
    return event;
}

[[nodiscard]] inline QByteArray toQByteArray(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size())};
}

/// "ok", or the error's code name and description, for QCOMPARE messages.
template <typename T> [[nodiscard]] QString outcome(const p::Result<T>& result) {
    if (result) {
        return QStringLiteral("ok");
    }
    return QString::fromUtf8(std::string(p::codeName(result.error().code)));
}

[[nodiscard]] inline QString codeString(p::ErrorCode code) {
    return QString::fromUtf8(std::string(p::codeName(code)));
}

} // namespace coffer::test
