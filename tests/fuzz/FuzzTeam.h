// SPDX-License-Identifier: Apache-2.0
#pragma once

// The deterministic team the server fuzz target starts from, shared with the seed generator so that the
// seeds' requests (records chained onto the empty log, roster events onto the head) fit its state.
// Keys come from fixed seeds and every time is fixed, so the team id and the roster hashes are the same
// in every process. No Qt: the server target links only the server and protocol libraries.

#include "crypto/SealedBox.h"
#include "crypto/Sign.h"
#include "sync/protocol/Canonical.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace coffer::fuzz {

namespace fp = coffer::protocol;

inline constexpr std::int64_t kServerNow = 1'800'000'000;
inline constexpr std::string_view kTeamCode = "fuzz-team-code";
inline constexpr std::string_view kInviteCode = "fuzz-invite-code";

template <std::size_t N> [[nodiscard]] std::array<std::byte, N> filledWith(std::uint8_t value) {
    std::array<std::byte, N> out{};
    out.fill(static_cast<std::byte>(value));
    return out;
}

struct FuzzPerson {
    crypto::SigningKeyPair sign;
    crypto::BoxKeyPair box;
    fp::MemberIdentity identity;
    fp::MemberId id;
};

[[nodiscard]] inline FuzzPerson fuzzPerson(std::uint8_t seed, std::string name) {
    auto sign = crypto::SigningKeyPair::fromSeed(crypto::SignSeed::fromBytes(filledWith<32>(seed)));
    auto box = crypto::BoxKeyPair::fromSecretKey(
        crypto::BoxSecretKey::fromBytes(filledWith<32>(static_cast<std::uint8_t>(seed + 0x80))));
    fp::MemberIdentity identity;
    identity.signKey = sign.publicKey;
    identity.boxKey = box.publicKey;
    identity.displayName = std::move(name);
    fp::signIdentity(identity, sign.secretKey);
    const fp::MemberId id = fp::memberId(identity);
    return FuzzPerson{std::move(sign), std::move(box), std::move(identity), id};
}

/// Ada (owner, creates the team), Bob (admin), Carol (member), Dave (not yet a member), Eve (never one).
/// The roster: genesis, Add Bob (admin), Add Carol. Environment `environment` at epoch 1: Ada and Bob write,
/// Carol reads; its log is empty.
struct FuzzTeam {
    FuzzPerson ada = fuzzPerson(1, "Ada");
    FuzzPerson bob = fuzzPerson(2, "Bob");
    FuzzPerson carol = fuzzPerson(3, "Carol");
    FuzzPerson dave = fuzzPerson(4, "Dave");
    FuzzPerson eve = fuzzPerson(5, "Eve");
    std::vector<fp::RosterEvent> events;
    fp::TeamId team{};
    fp::EnvironmentId environment = filledWith<16>(0x21);
    crypto::AeadKey environmentKey = crypto::AeadKey::fromBytes(filledWith<32>(0xe1));

    FuzzTeam() {
        fp::RosterEvent genesis;
        genesis.kind = fp::RosterEventKind::Genesis;
        genesis.subject = ada.identity;
        genesis.role = fp::Role::Owner;
        genesis.signer = ada.id;
        genesis.time = kServerNow;
        fp::signRosterEvent(genesis, ada.sign.secretKey);
        team = fp::teamIdOf(genesis);
        events.push_back(std::move(genesis));
        events.push_back(next(fp::RosterEventKind::Add, bob, fp::Role::Admin, ada));
        events.push_back(next(fp::RosterEventKind::Add, carol, fp::Role::Member, ada));
    }

    [[nodiscard]] fp::Head head() const { return fp::Head{events.back().seq, fp::rosterEventHash(events.back())}; }

    /// The event after the current head (not appended).
    [[nodiscard]] fp::RosterEvent next(fp::RosterEventKind kind, const FuzzPerson& subject, fp::Role role,
                                       const FuzzPerson& signer) const {
        fp::RosterEvent event;
        event.team = team;
        event.seq = events.back().seq + 1;
        event.previous = fp::rosterEventHash(events.back());
        event.kind = kind;
        event.subject = subject.identity;
        event.role = role;
        event.signer = signer.id;
        event.time = kServerNow;
        fp::signRosterEvent(event, signer.sign.secretKey);
        return event;
    }

    /// A grant of `environment` at epoch 1 at the current roster head, signed by `admin`.
    [[nodiscard]] fp::Grant grant(const FuzzPerson& admin, const FuzzPerson& member, fp::Access access) const {
        fp::Grant grant;
        grant.team = team;
        grant.environment = environment;
        grant.epoch = 1;
        grant.member = member.id;
        grant.access = access;
        grant.sealedKey = crypto::seal(member.box.publicKey, environmentKey.bytes());
        grant.rosterSeq = events.back().seq;
        grant.rosterHead = fp::rosterEventHash(events.back());
        grant.admin = admin.id;
        fp::signGrant(grant, admin.sign.secretKey);
        return grant;
    }
};

} // namespace coffer::fuzz
