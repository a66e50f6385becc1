// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Sign.h"
#include "sync/protocol/ProtocolError.h"
#include "sync/protocol/Types.h"

#include <span>
#include <vector>

/// Canonical encodings (what is signed and hashed), hashes, and the one-line signing helpers. Every
/// function here is deterministic: the same value gives the same bytes on every machine.
namespace coffer::protocol {

/// BLAKE2b-256("coffer/member-id/v1" ‖ signKey ‖ boxKey).
[[nodiscard]] MemberId memberId(const crypto::SignPublicKey& signKey, const crypto::BoxPublicKey& boxKey);
[[nodiscard]] MemberId memberId(const MemberIdentity& identity);

// The bytes each signature covers (every field but the signature itself).
[[nodiscard]] std::vector<std::byte> identitySignedBytes(const MemberIdentity& identity);
[[nodiscard]] std::vector<std::byte> rosterSignedBytes(const RosterEvent& event);
[[nodiscard]] std::vector<std::byte> grantSignedBytes(const Grant& grant);
/// The record's canonical bytes without batchSignature; its hash is the chain link.
[[nodiscard]] std::vector<std::byte> recordBytes(const ChangeRecord& record);
/// AEAD associated data: team, environment, epoch, author, record id, previous hash.
[[nodiscard]] std::vector<std::byte> recordAssociatedData(const ChangeRecord& record);
/// What a batch signature covers: team, environment, the batch's first seq, the new head and the author.
[[nodiscard]] std::vector<std::byte> batchSignedBytes(const TeamId& team, const EnvironmentId& environment,
                                                      std::uint64_t firstSeq, const Head& newHead,
                                                      const MemberId& author);

/// BLAKE2b-256 over the signed bytes and the signature: the chain link for the next event.
[[nodiscard]] Hash rosterEventHash(const RosterEvent& event);
/// A team id is the hash of its genesis event.
[[nodiscard]] TeamId teamIdOf(const RosterEvent& genesis);
[[nodiscard]] Hash recordHash(const ChangeRecord& record);

// Full encodings (with signatures) for storage and test vectors; decoders refuse unknown versions,
// trailing bytes and out-of-bound sizes.
[[nodiscard]] std::vector<std::byte> encode(const RosterEvent& event);
[[nodiscard]] std::vector<std::byte> encode(const Grant& grant);
[[nodiscard]] std::vector<std::byte> encode(const ChangeRecord& record);
[[nodiscard]] Result<RosterEvent> decodeRosterEvent(std::span<const std::byte> bytes);
[[nodiscard]] Result<Grant> decodeGrant(std::span<const std::byte> bytes);
[[nodiscard]] Result<ChangeRecord> decodeChangeRecord(std::span<const std::byte> bytes);

/// The plaintext of a change, kept in a SecureBuffer because it holds the value.
[[nodiscard]] crypto::SecureBuffer encodeChange(const Change& change);
[[nodiscard]] Result<Change> decodeChange(std::span<const std::byte> bytes);

// Signing helpers: fill in the signature field.
void signIdentity(MemberIdentity& identity, const crypto::SignSecretKey& key);
void signRosterEvent(RosterEvent& event, const crypto::SignSecretKey& key);
void signGrant(Grant& grant, const crypto::SignSecretKey& key);

/// Encrypts `change` into `record` (nonce drawn at random, ciphertext set). All context fields of
/// `record` (team, environment, epoch, seq, id, previous, author) must be set first.
void sealChange(ChangeRecord& record, const Change& change, const crypto::AeadKey& environmentKey);
/// Decrypts and decodes; BadSignature (the one uninformative failure) when the AEAD does not open.
[[nodiscard]] Result<Change> openChange(const ChangeRecord& record, const crypto::AeadKey& environmentKey);

/// Chains `records` onto `head` (sets seq and previous on each in order), then signs the batch with
/// the author's key on the last record. Records must share team, environment and author.
/// The previous hash is part of each record's AEAD associated data, so the records must already have
/// been sealed with the same seq and previous (in chain order) or they will not open: use
/// sealAndSignBatch() to do both.
void chainAndSignBatch(std::span<ChangeRecord> records, const Head& head, const crypto::SignSecretKey& authorKey);

/// Seals `changes[i]` into `records[i]` in chain order onto `head` (each record's previous is the hash
/// of the one before, sealed first), then signs the batch. The context fields (team, environment,
/// epoch, id, author) must be set; the sizes of both spans are equal. (Added by the protocol work.)
void sealAndSignBatch(std::span<ChangeRecord> records, std::span<const Change> changes, const Head& head,
                      const crypto::AeadKey& environmentKey, const crypto::SignSecretKey& authorKey);

/// A change whose value is a view into the plaintext it was decoded from (no copy): for bulk pulls and pushes
/// that keep a whole page's values in one guarded buffer. (Added by h/engine.)
struct ChangeView {
    ChangeOp op = ChangeOp::Set;
    std::string name;
    std::span<const std::byte> value; ///< empty for Delete; points into caller-owned guarded memory
    std::string note;
    RecordId baseRecord{};
};
/// decodeChange() as a view into `bytes`, which must outlive the view. (Added by h/engine.)
[[nodiscard]] Result<ChangeView> decodeChangeView(std::span<const std::byte> bytes);
/// openChange() into `plaintext` (guarded memory the caller owns, exactly ciphertext size - kTagBytes bytes);
/// the view's value points into it. Same errors as openChange(). (Added by h/engine.)
[[nodiscard]] Result<ChangeView> openChangeInto(const ChangeRecord& record, const crypto::AeadKey& environmentKey,
                                                std::span<std::byte> plaintext);
/// sealAndSignBatch() from views: one scratch buffer for the whole batch's plaintexts instead of one per
/// change. Identical records to the Change overload. (Added by h/engine.)
void sealAndSignBatch(std::span<ChangeRecord> records, std::span<const ChangeView> changes, const Head& head,
                      const crypto::AeadKey& environmentKey, const crypto::SignSecretKey& authorKey);

} // namespace coffer::protocol
