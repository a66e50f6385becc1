// SPDX-License-Identifier: Apache-2.0
#include "sync/protocol/Canonical.h"

#include "crypto/Hash.h"
#include "crypto/Random.h"
#include "sync/protocol/Utf8.h"
#include "sync/protocol/Wire.h"

#include <cassert>

namespace coffer::protocol {

namespace {

constexpr std::string_view kTagMemberId = "coffer/member-id/v1";
constexpr std::string_view kTagIdentity = "coffer/member-identity/v1";
constexpr std::string_view kTagRosterEvent = "coffer/roster-event/v1";
constexpr std::string_view kTagGrant = "coffer/grant/v1";
constexpr std::string_view kTagRecord = "coffer/change-record/v1";
constexpr std::string_view kTagRecordAd = "coffer/record-ad/v1";
constexpr std::string_view kTagBatch = "coffer/batch/v1";

template <typename E> Result<E> enumFrom(std::uint8_t raw, std::uint8_t first, std::uint8_t last, const char* what) {
    if (raw < first || raw > last) {
        return fail(ErrorCode::Malformed, 0, std::string("unknown ") + what + " " + std::to_string(raw));
    }
    return static_cast<E>(raw);
}

// Reads a version field; anything but kVersion is refused before the rest is interpreted.
Result<std::uint32_t> readVersion(WireReader& reader) {
    auto version = reader.u32();
    if (!version) {
        return std::unexpected(version.error());
    }
    if (*version != kVersion) {
        return fail(ErrorCode::UnknownVersion, 0, "version " + std::to_string(*version));
    }
    return *version;
}

// A field of exactly `size` bytes: a different length is Malformed (a wrong size), never LimitExceeded.
Result<std::vector<std::byte>> readExact(WireReader& reader, std::size_t size) {
    auto raw = reader.bytes(size);
    if (!raw) {
        if (raw.error().code == ErrorCode::LimitExceeded) {
            return fail(ErrorCode::Malformed, raw.error().position, "field of the wrong size");
        }
        return std::unexpected(raw.error());
    }
    if (raw->size() != size) {
        return fail(ErrorCode::Malformed, 0, "field of the wrong size");
    }
    return raw;
}

template <typename T> Result<T> readPublic(WireReader& reader) {
    auto raw = reader.fixed<T::size>();
    if (!raw) {
        return std::unexpected(raw.error());
    }
    T out;
    out.bytes = *raw;
    return out;
}

void writeIdentity(WireWriter& writer, const MemberIdentity& identity) {
    writer.u32(identity.version)
        .fixed(identity.signKey.bytes)
        .fixed(identity.boxKey.bytes)
        .text(identity.displayName)
        .fixed(identity.selfSignature.bytes);
}

// Each reader step returns early with its error: the decoders below are long lists of such steps.
#define COFFER_CHECK(expression)                                                                                       \
    do {                                                                                                               \
        if (auto coffer_check_value = (expression); !coffer_check_value) {                                             \
            return std::unexpected(coffer_check_value.error());                                                        \
        }                                                                                                              \
    } while (false)

#define COFFER_READ(target, expression)                                                                                \
    do {                                                                                                               \
        auto coffer_read_value = (expression);                                                                         \
        if (!coffer_read_value) {                                                                                      \
            return std::unexpected(coffer_read_value.error());                                                         \
        }                                                                                                              \
        target = std::move(*coffer_read_value);                                                                        \
    } while (false)

Result<MemberIdentity> readIdentity(WireReader& reader) {
    MemberIdentity identity;
    COFFER_READ(identity.version, readVersion(reader));
    COFFER_READ(identity.signKey, readPublic<crypto::SignPublicKey>(reader));
    COFFER_READ(identity.boxKey, readPublic<crypto::BoxPublicKey>(reader));
    COFFER_READ(identity.displayName, reader.text(kMaxDisplayNameBytes));
    COFFER_READ(identity.selfSignature, readPublic<crypto::Signature>(reader));
    return identity;
}

void writeRosterFields(WireWriter& writer, const RosterEvent& event) {
    writer.u32(event.version)
        .fixed(event.team.bytes)
        .u64(event.seq)
        .fixed(event.previous.bytes)
        .u8(static_cast<std::uint8_t>(event.kind));
    writeIdentity(writer, event.subject);
    writer.u8(static_cast<std::uint8_t>(event.role)).fixed(event.signer.bytes).i64(event.time);
}

void writeGrantFields(WireWriter& writer, const Grant& grant) {
    writer.u32(grant.version)
        .fixed(grant.team.bytes)
        .fixed(grant.environment)
        .u64(grant.epoch)
        .fixed(grant.member.bytes)
        .u8(static_cast<std::uint8_t>(grant.access))
        .bytes(grant.sealedKey)
        .u64(grant.rosterSeq)
        .fixed(grant.rosterHead.bytes)
        .fixed(grant.admin.bytes);
}

void writeRecordFields(WireWriter& writer, const ChangeRecord& record) {
    writer.u32(record.version)
        .fixed(record.team.bytes)
        .fixed(record.environment)
        .u64(record.epoch)
        .u64(record.seq)
        .fixed(record.id)
        .fixed(record.previous.bytes)
        .fixed(record.author.bytes)
        .fixed(record.nonce)
        .bytes(record.ciphertext);
}

} // namespace

MemberId memberId(const crypto::SignPublicKey& signKey, const crypto::BoxPublicKey& boxKey) {
    WireWriter writer(kTagMemberId);
    writer.fixed(signKey.bytes).fixed(boxKey.bytes);
    return crypto::blake2b(writer.data());
}

MemberId memberId(const MemberIdentity& identity) {
    return memberId(identity.signKey, identity.boxKey);
}

std::vector<std::byte> identitySignedBytes(const MemberIdentity& identity) {
    WireWriter writer(kTagIdentity);
    writer.u32(identity.version).fixed(identity.signKey.bytes).fixed(identity.boxKey.bytes).text(identity.displayName);
    return writer.take();
}

std::vector<std::byte> rosterSignedBytes(const RosterEvent& event) {
    WireWriter writer(kTagRosterEvent);
    writeRosterFields(writer, event);
    return writer.take();
}

std::vector<std::byte> grantSignedBytes(const Grant& grant) {
    WireWriter writer(kTagGrant);
    writeGrantFields(writer, grant);
    return writer.take();
}

std::vector<std::byte> recordBytes(const ChangeRecord& record) {
    WireWriter writer(kTagRecord);
    writeRecordFields(writer, record);
    return writer.take();
}

std::vector<std::byte> recordAssociatedData(const ChangeRecord& record) {
    WireWriter writer(kTagRecordAd);
    writer.u32(record.version)
        .fixed(record.team.bytes)
        .fixed(record.environment)
        .u64(record.epoch)
        .fixed(record.author.bytes)
        .fixed(record.id)
        .fixed(record.previous.bytes);
    return writer.take();
}

std::vector<std::byte> batchSignedBytes(const TeamId& team, const EnvironmentId& environment, std::uint64_t firstSeq,
                                        const Head& newHead, const MemberId& author) {
    WireWriter writer(kTagBatch);
    writer.fixed(team.bytes)
        .fixed(environment)
        .u64(firstSeq)
        .u64(newHead.seq)
        .fixed(newHead.hash.bytes)
        .fixed(author.bytes);
    return writer.take();
}

Hash rosterEventHash(const RosterEvent& event) {
    // The signature is hashed as its raw 64 bytes after the signed bytes (the spec's "signedBytes ‖ signature").
    crypto::Blake2b hasher;
    hasher.update(rosterSignedBytes(event));
    hasher.update(event.signature.span());
    return hasher.finish();
}

TeamId teamIdOf(const RosterEvent& genesis) {
    return rosterEventHash(genesis);
}

Hash recordHash(const ChangeRecord& record) {
    return crypto::blake2b(recordBytes(record));
}

std::vector<std::byte> encode(const RosterEvent& event) {
    WireWriter writer(kTagRosterEvent);
    writeRosterFields(writer, event);
    writer.fixed(event.signature.bytes);
    return writer.take();
}

std::vector<std::byte> encode(const Grant& grant) {
    WireWriter writer(kTagGrant);
    writeGrantFields(writer, grant);
    writer.fixed(grant.signature.bytes);
    return writer.take();
}

std::vector<std::byte> encode(const ChangeRecord& record) {
    WireWriter writer(kTagRecord);
    writeRecordFields(writer, record);
    writer.u8(record.batchSignature ? 1 : 0);
    if (record.batchSignature) {
        writer.fixed(record.batchSignature->bytes);
    }
    return writer.take();
}

Result<RosterEvent> decodeRosterEvent(std::span<const std::byte> bytes) {
    WireReader reader(bytes);
    RosterEvent event;
    COFFER_CHECK(reader.expectTag(kTagRosterEvent));
    COFFER_READ(event.version, readVersion(reader));
    COFFER_READ(event.team, readPublic<TeamId>(reader));
    COFFER_READ(event.seq, reader.u64());
    COFFER_READ(event.previous, readPublic<Hash>(reader));
    std::uint8_t raw = 0;
    COFFER_READ(raw, reader.u8());
    COFFER_READ(event.kind, (enumFrom<RosterEventKind>(raw, 1, 4, "roster event kind")));
    COFFER_READ(event.subject, readIdentity(reader));
    COFFER_READ(raw, reader.u8());
    COFFER_READ(event.role, (enumFrom<Role>(raw, 1, 3, "role")));
    COFFER_READ(event.signer, readPublic<MemberId>(reader));
    COFFER_READ(event.time, reader.i64());
    COFFER_READ(event.signature, readPublic<crypto::Signature>(reader));
    COFFER_CHECK(reader.finish());
    return event;
}

Result<Grant> decodeGrant(std::span<const std::byte> bytes) {
    WireReader reader(bytes);
    Grant grant;
    COFFER_CHECK(reader.expectTag(kTagGrant));
    COFFER_READ(grant.version, readVersion(reader));
    COFFER_READ(grant.team, readPublic<TeamId>(reader));
    COFFER_READ(grant.environment, reader.fixed<std::tuple_size_v<EnvironmentId>>());
    COFFER_READ(grant.epoch, reader.u64());
    COFFER_READ(grant.member, readPublic<MemberId>(reader));
    std::uint8_t raw = 0;
    COFFER_READ(raw, reader.u8());
    COFFER_READ(grant.access, (enumFrom<Access>(raw, 1, 2, "access")));
    COFFER_READ(grant.sealedKey, readExact(reader, kSealedKeyBytes));
    COFFER_READ(grant.rosterSeq, reader.u64());
    COFFER_READ(grant.rosterHead, readPublic<Hash>(reader));
    COFFER_READ(grant.admin, readPublic<MemberId>(reader));
    COFFER_READ(grant.signature, readPublic<crypto::Signature>(reader));
    COFFER_CHECK(reader.finish());
    return grant;
}

Result<ChangeRecord> decodeChangeRecord(std::span<const std::byte> bytes) {
    WireReader reader(bytes);
    ChangeRecord record;
    COFFER_CHECK(reader.expectTag(kTagRecord));
    COFFER_READ(record.version, readVersion(reader));
    COFFER_READ(record.team, readPublic<TeamId>(reader));
    COFFER_READ(record.environment, reader.fixed<std::tuple_size_v<EnvironmentId>>());
    COFFER_READ(record.epoch, reader.u64());
    COFFER_READ(record.seq, reader.u64());
    COFFER_READ(record.id, reader.fixed<std::tuple_size_v<RecordId>>());
    COFFER_READ(record.previous, readPublic<Hash>(reader));
    COFFER_READ(record.author, readPublic<MemberId>(reader));
    COFFER_READ(record.nonce, reader.fixed<crypto::aead::kNonceBytes>());
    COFFER_READ(record.ciphertext, reader.bytes(kMaxCiphertextBytes));
    if (record.ciphertext.size() < crypto::aead::kTagBytes) {
        return fail(ErrorCode::Malformed, 0, "ciphertext shorter than the AEAD tag");
    }
    std::uint8_t hasSignature = 0;
    COFFER_READ(hasSignature, reader.u8());
    if (hasSignature > 1) {
        return fail(ErrorCode::Malformed, 0, "bad signature flag");
    }
    if (hasSignature == 1) {
        crypto::Signature signature;
        COFFER_READ(signature, readPublic<crypto::Signature>(reader));
        record.batchSignature = signature;
    }
    COFFER_CHECK(reader.finish());
    return record;
}

void signIdentity(MemberIdentity& identity, const crypto::SignSecretKey& key) {
    identity.selfSignature = crypto::sign(key, identitySignedBytes(identity));
}

void signRosterEvent(RosterEvent& event, const crypto::SignSecretKey& key) {
    event.signature = crypto::sign(key, rosterSignedBytes(event));
}

void signGrant(Grant& grant, const crypto::SignSecretKey& key) {
    grant.signature = crypto::sign(key, grantSignedBytes(grant));
}

void chainAndSignBatch(std::span<ChangeRecord> records, const Head& head, const crypto::SignSecretKey& authorKey) {
    if (records.empty()) {
        return;
    }
    Head current = head;
    for (ChangeRecord& record : records) {
        assert(record.team == records.front().team && record.environment == records.front().environment &&
               record.author == records.front().author);
        record.seq = current.seq + 1;
        record.previous = current.hash;
        record.batchSignature.reset();
        current = Head{record.seq, recordHash(record)};
    }
    const ChangeRecord& first = records.front();
    records.back().batchSignature =
        crypto::sign(authorKey, batchSignedBytes(first.team, first.environment, first.seq, current, first.author));
}

} // namespace coffer::protocol
