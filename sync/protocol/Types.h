// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Aead.h"
#include "crypto/Keys.h"
#include "crypto/SecureBuffer.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

/// The wire types of Coffer's team sync. Every signed or hashed byte string is the canonical binary
/// encoding of sync/protocol/Canonical.h; JSON (sync/protocol/Json.h) is only the transport. Nothing
/// here takes an algorithm, a KDF parameter or a policy from the server: version 1 fixes them all.
namespace coffer::protocol {

inline constexpr std::uint32_t kVersion = 1;

using Hash = crypto::Hash256;
using TeamId = crypto::Hash256;                  ///< the hash of the team's genesis roster event
using MemberId = crypto::Hash256;                ///< BLAKE2b over a domain tag and both public keys
using EnvironmentId = std::array<std::byte, 16>; ///< random, chosen by the client that shares the environment
using RecordId = std::array<std::byte, 16>;      ///< random, chosen by the author; makes a lost-reply push recognisable
using RequestNonce = std::array<std::byte, 16>;

// Bounds every decoder enforces (LimitExceeded beyond them).
inline constexpr std::size_t kMaxDisplayNameBytes = 128;
inline constexpr std::size_t kSealedKeyBytes = 32 + 48;        ///< crypto::seal of a 32-byte environment key
inline constexpr std::size_t kMaxCiphertextBytes = 256 * 1024; ///< one encrypted change
inline constexpr std::size_t kMaxChangeNameBytes = 1024;
inline constexpr std::size_t kMaxChangeValueBytes = 128 * 1024;
inline constexpr std::size_t kMaxChangeNoteBytes = 4 * 1024; ///< the free-text note of a change

enum class Role : std::uint8_t { Member = 1, Admin = 2, Owner = 3 };
enum class Access : std::uint8_t { Read = 1, Write = 2 };

/// `isAdmin(Owner)` and `isAdmin(Admin)` are true: owners can do everything admins can.
[[nodiscard]] constexpr bool isAdmin(Role role) noexcept {
    return role == Role::Admin || role == Role::Owner;
}

/// The (seq, hash) of the last entry of a chain. An empty chain is {0, all-zero} for environment logs;
/// a roster always has its genesis at seq 0.
struct Head {
    std::uint64_t seq = 0;
    Hash hash{};
    bool operator==(const Head&) const = default;
};

/// A member's public identity. The self-signature proves the holder of `signKey` chose `boxKey` and
/// `displayName`.
struct MemberIdentity {
    std::uint32_t version = kVersion;
    crypto::SignPublicKey signKey{};
    crypto::BoxPublicKey boxKey{};
    std::string displayName;
    crypto::Signature selfSignature{};
    bool operator==(const MemberIdentity&) const = default;
};

enum class RosterEventKind : std::uint8_t { Genesis = 1, Add = 2, Remove = 3, RoleChange = 4 };

/// One entry of a team's hash-chained membership log.
struct RosterEvent {
    std::uint32_t version = kVersion;
    TeamId team{};         ///< all-zero in the genesis (whose hash is the team id)
    std::uint64_t seq = 0; ///< 0 for the genesis, then +1
    Hash previous{};       ///< hash of event seq-1; all-zero in the genesis
    RosterEventKind kind = RosterEventKind::Add;
    MemberIdentity subject;   ///< who is added, removed or changed (the creator in the genesis)
    Role role = Role::Member; ///< the subject's role after the event (ignored for Remove)
    MemberId signer{};        ///< an admin at seq-1 (the creator for the genesis)
    std::int64_t time = 0;    ///< Unix seconds, informative only
    crypto::Signature signature{};
    bool operator==(const RosterEvent&) const = default;
};

/// An environment key for one epoch, sealed to one member, signed by an admin.
struct Grant {
    std::uint32_t version = kVersion;
    TeamId team{};
    EnvironmentId environment{};
    std::uint64_t epoch = 0;
    MemberId member{};
    Access access = Access::Read;
    std::vector<std::byte> sealedKey; ///< crypto::seal(member's box key, environment key), kSealedKeyBytes
    std::uint64_t rosterSeq = 0;      ///< the roster position the admin signed at
    Hash rosterHead{};                ///< the roster's hash at rosterSeq
    MemberId admin{};
    crypto::Signature signature{};
    bool operator==(const Grant&) const = default;
};

/// One entry of an environment's hash-chained change log. The ciphertext is AEAD (XChaCha20-Poly1305)
/// of an encoded Change under the environment key of `epoch`, with associated data binding team,
/// environment, epoch, author, record id and previous hash. The author signs once per pushed batch:
/// the last record of a batch carries the signature over the new head.
struct ChangeRecord {
    std::uint32_t version = kVersion;
    TeamId team{};
    EnvironmentId environment{};
    std::uint64_t epoch = 0;
    std::uint64_t seq = 0; ///< position in the log, from 1
    RecordId id{};
    Hash previous{}; ///< hash of record seq-1, all-zero for seq 1
    MemberId author{};
    crypto::aead::Nonce nonce{};
    std::vector<std::byte> ciphertext;
    std::optional<crypto::Signature> batchSignature;
    bool operator==(const ChangeRecord&) const = default;
};

enum class ChangeOp : std::uint8_t { Set = 1, Delete = 2 };

/// The plaintext inside a ChangeRecord. Never leaves the client unencrypted.
struct Change {
    ChangeOp op = ChangeOp::Set;
    std::string name;
    crypto::SecureBuffer value; ///< empty for Delete
    std::string note;
    RecordId baseRecord{}; ///< the record this change was made on top of (all-zero for a new secret)
};

} // namespace coffer::protocol
