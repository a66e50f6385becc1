// SPDX-License-Identifier: Apache-2.0
#pragma once

// Builds the known-answer vectors of the canonical encodings from fixed seeds. The generator
// (GenerateVectors.cpp) wrote tests/data/protocol/*-v1.txt once from this; TestCanonical rebuilds them and
// compares byte for byte, so any change to an encoding, a tag or a hash fails loudly. Format: see
// docs/protocol.md, "Canonical encoding", and tests/crypto/VectorFile.h.

#include "crypto/Aead.h"
#include "crypto/Sign.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/RequestAuth.h"
#include "tests/protocol/ProtocolTestSupport.h"

#include <string>
#include <utility>
#include <vector>

namespace coffer::test {

struct Vector {
    std::string name;
    std::vector<std::pair<std::string, std::vector<std::byte>>> fields; ///< all written as hex
};

struct VectorSet {
    std::string fileName; ///< under tests/data/protocol/
    std::string comment;  ///< the file's header lines (without '#')
    std::vector<Vector> vectors;
};

namespace vectors {

inline std::vector<std::byte> bytesOf(std::string_view text) {
    const auto span = crypto::asBytes(text);
    return {span.begin(), span.end()};
}

template <typename Range> std::vector<std::byte> copy(const Range& range) {
    const std::span<const std::byte> span(range);
    return {span.begin(), span.end()};
}

inline std::vector<std::byte> concat(std::vector<std::byte> a, std::span<const std::byte> b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

} // namespace vectors

/// Every vector set, deterministically: the same bytes on every machine and every run.
inline std::vector<VectorSet> buildVectorSets() {
    using namespace coffer::protocol;
    using vectors::copy;
    const Person ada = makePerson(1, "Ada");
    const Person bob = makePerson(2, "Bob");
    const Person carol = makePerson(3, "Carol");

    std::vector<VectorSet> sets;

    VectorSet identities{"identity-v1.txt",
                         " Member identities: member_id = BLAKE2b-256 over the member-id encoding of both keys;\n"
                         " signature = Ed25519 by sign_public_key over signed_bytes (identitySignedBytes).",
                         {}};
    for (const Person* person : {&ada, &bob}) {
        identities.vectors.push_back(Vector{"identity-" + person->identity.displayName,
                                            {{"sign_public_key", copy(person->identity.signKey.bytes)},
                                             {"box_public_key", copy(person->identity.boxKey.bytes)},
                                             {"member_id", copy(person->id.bytes)},
                                             {"signed_bytes", identitySignedBytes(person->identity)},
                                             {"signature", copy(person->identity.selfSignature.bytes)}}});
    }
    sets.push_back(std::move(identities));

    // Roster: genesis (Ada), Bob added as admin, Carol added as member by Bob, Carol made admin, Bob removed.
    std::vector<RosterEvent> events{makeGenesis(ada)};
    const TeamId team = teamIdOf(events.front());
    const auto appendEvent = [&](RosterEventKind kind, const Person& subject, Role role, const Person& signer) {
        events.push_back(
            makeEvent(team, Head{events.back().seq, rosterEventHash(events.back())}, kind, subject, role, signer));
    };
    appendEvent(RosterEventKind::Add, bob, Role::Admin, ada);
    appendEvent(RosterEventKind::Add, carol, Role::Member, bob);
    appendEvent(RosterEventKind::RoleChange, carol, Role::Admin, ada);
    appendEvent(RosterEventKind::Remove, bob, Role::Member, carol);
    const std::array<const Person*, 5> signers{&ada, &ada, &bob, &ada, &carol};
    const std::array<const char*, 5> eventNames{"roster-0-genesis", "roster-1-add-admin", "roster-2-add-member",
                                                "roster-3-role-change", "roster-4-remove"};
    VectorSet roster{"roster-v1.txt",
                     " One roster chain. signature = Ed25519 by signer_public_key over signed_bytes;\n"
                     " encoding = signed_bytes || u32(64) || signature; hash = BLAKE2b-256(signed_bytes || signature)\n"
                     " (the genesis hash is the team id; each event's previous is the hash before it).",
                     {}};
    for (std::size_t i = 0; i < events.size(); ++i) {
        roster.vectors.push_back(Vector{eventNames[i],
                                        {{"signer_public_key", copy(signers[i]->sign.publicKey.bytes)},
                                         {"signed_bytes", rosterSignedBytes(events[i])},
                                         {"signature", copy(events[i].signature.bytes)},
                                         {"encoding", encode(events[i])},
                                         {"hash", copy(rosterEventHash(events[i]).bytes)}}});
    }
    sets.push_back(std::move(roster));

    // Grants by Bob at roster seq 2 (a sealed box is randomised, so the sealed key is a fixed filler).
    VectorSet grants{"grant-v1.txt",
                     " Grants. signature = Ed25519 by signer_public_key over signed_bytes;\n"
                     " encoding = signed_bytes || u32(64) || signature. sealedKey is a fixed 80-byte filler.",
                     {}};
    for (const Access access : {Access::Read, Access::Write}) {
        Grant grant;
        grant.team = team;
        grant.environment = filled<16>(0xe1);
        grant.epoch = 1;
        grant.member = carol.id;
        grant.access = access;
        grant.sealedKey.assign(kSealedKeyBytes, std::byte{0x5e});
        grant.rosterSeq = 2;
        grant.rosterHead = rosterEventHash(events[2]);
        grant.admin = bob.id;
        signGrant(grant, bob.sign.secretKey);
        grants.vectors.push_back(Vector{access == Access::Read ? "grant-read" : "grant-write",
                                        {{"signer_public_key", copy(bob.sign.publicKey.bytes)},
                                         {"signed_bytes", grantSignedBytes(grant)},
                                         {"signature", copy(grant.signature.bytes)},
                                         {"encoding", encode(grant)}}});
    }
    sets.push_back(std::move(grants));

    // Two records by Carol in one batch (a set and a delete), sealed with fixed nonces.
    const auto environmentKey = crypto::AeadKey::fromBytes(filled<32>(0x4b));
    std::vector<ChangeRecord> records(2);
    std::vector<Change> changes(2);
    changes[0].name = "DATABASE_URL";
    changes[0].value = crypto::SecureBuffer::copyOf(std::string_view("postgres://db.internal/app"));
    changes[0].note = "first";
    changes[1].op = ChangeOp::Delete;
    changes[1].name = "OLD_TOKEN";
    changes[1].baseRecord = filled<16>(0x0b);
    VectorSet recordSet{"record-v1.txt",
                        " Change records (one batch of two). plaintext = encodeChange; ciphertext =\n"
                        " XChaCha20-Poly1305(environment_key, nonce, plaintext, associated_data); hash =\n"
                        " BLAKE2b-256(record_bytes); encoding = record_bytes || u8 flag || [u32(64) || signature].",
                        {}};
    Head head{};
    for (std::size_t i = 0; i < records.size(); ++i) {
        ChangeRecord& record = records[i];
        record.team = team;
        record.environment = filled<16>(0xe1);
        record.epoch = 1;
        record.seq = head.seq + 1;
        record.id = filled<16>(static_cast<std::uint8_t>(0xa0 + i));
        record.previous = head.hash;
        record.author = carol.id;
        record.nonce = filled<24>(static_cast<std::uint8_t>(0xc0 + i));
        const crypto::SecureBuffer plaintext = encodeChange(changes[i]);
        record.ciphertext =
            crypto::aead::encrypt(environmentKey, record.nonce, plaintext.bytes(), recordAssociatedData(record));
        head = Head{record.seq, recordHash(record)};
    }
    chainAndSignBatch(records, Head{}, carol.sign.secretKey);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const crypto::SecureBuffer plaintext = encodeChange(changes[i]);
        recordSet.vectors.push_back(Vector{"record-" + std::to_string(i + 1),
                                           {{"environment_key", copy(environmentKey.bytes())},
                                            {"plaintext", copy(plaintext.bytes())},
                                            {"associated_data", recordAssociatedData(records[i])},
                                            {"nonce", copy(records[i].nonce)},
                                            {"ciphertext", records[i].ciphertext},
                                            {"record_bytes", recordBytes(records[i])},
                                            {"hash", copy(recordHash(records[i]).bytes)},
                                            {"encoding", encode(records[i])}}});
    }
    sets.push_back(std::move(recordSet));

    VectorSet batches{"batch-v1.txt",
                      " Batch signatures: Ed25519 by signer_public_key over signed_bytes (batchSignedBytes of the\n"
                      " records of record-v1.txt: first seq 1, new head = seq 2 and its hash).",
                      {}};
    batches.vectors.push_back(
        Vector{"batch-1-2",
               {{"signer_public_key", copy(carol.sign.publicKey.bytes)},
                {"signed_bytes", batchSignedBytes(team, records[0].environment, 1, head, carol.id)},
                {"signature", copy(records[1].batchSignature.value().bytes)}}});
    sets.push_back(std::move(batches));

    VectorSet requests{"request-v1.txt",
                       " Request signatures: Ed25519 by signer_public_key over signed_bytes (requestSignedBytes);\n"
                       " body is the request body whose BLAKE2b-256 is in signed_bytes.",
                       {}};
    const auto requestVector = [&](const char* name, const Person& signer, std::string_view method,
                                   std::string_view path, std::string_view query, std::string_view body, bool session) {
        RequestToSign request;
        request.method = std::string(method);
        request.path = std::string(path);
        request.query = std::string(query);
        request.bodyHash = bodyHash(body);
        request.time = kTestTime;
        request.nonce = filled<16>(0x9e);
        request.key = signer.sign.publicKey;
        request.session = session;
        const auto signedBytes = requestSignedBytes(request);
        requests.vectors.push_back(
            Vector{name,
                   {{"signer_public_key", copy(signer.sign.publicKey.bytes)},
                    {"body", vectors::bytesOf(body)},
                    {"signed_bytes", signedBytes},
                    {"signature", copy(crypto::sign(signer.sign.secretKey, signedBytes).bytes)}}});
    };
    requestVector("request-device-post", ada, "POST", "/v1/sessions", "", R"({"team":"00","expiresAt":1})", false);
    requestVector("request-session-get", bob, "GET", "/v1/teams/00/environments/11/records", "after=0&limit=100", "",
                  true);
    sets.push_back(std::move(requests));
    return sets;
}

} // namespace coffer::test
