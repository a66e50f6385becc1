// SPDX-License-Identifier: Apache-2.0
#include "sync/protocol/Verify.h"

#include "crypto/Sign.h"
#include "sync/protocol/Canonical.h"

#include <algorithm>

namespace coffer::protocol {

namespace {

bool allZero(const Hash& hash) noexcept {
    return std::ranges::all_of(hash.bytes, [](std::byte b) { return b == std::byte{0}; });
}

std::string seqText(std::uint64_t seq) {
    return std::to_string(seq);
}

// The subject's identity must be of this version and self-signed: the holder of its sign key chose
// its box key and name, so an admin cannot attach someone's sign key to a box key they control.
Result<void> checkIdentity(const MemberIdentity& identity, std::uint64_t position) {
    if (identity.version != kVersion) {
        return fail(ErrorCode::UnknownVersion, position, "identity version " + std::to_string(identity.version));
    }
    if (identity.displayName.size() > kMaxDisplayNameBytes) {
        return fail(ErrorCode::LimitExceeded, position, "display name too long");
    }
    if (!crypto::verify(identity.signKey, identitySignedBytes(identity), identity.selfSignature)) {
        return fail(ErrorCode::BadSignature, position, "the subject's identity self-signature does not verify");
    }
    return {};
}

} // namespace

Result<RosterState> RosterState::fromGenesis(const RosterEvent& genesis) {
    if (genesis.version != kVersion) {
        return fail(ErrorCode::UnknownVersion, 0, "roster event version " + std::to_string(genesis.version));
    }
    if (genesis.kind != RosterEventKind::Genesis) {
        return fail(ErrorCode::Malformed, 0, "the first roster event is not a genesis");
    }
    if (genesis.seq != 0) {
        return fail(ErrorCode::Gap, 0, "the genesis is at seq " + seqText(genesis.seq) + ", not 0");
    }
    if (!allZero(genesis.team)) {
        return fail(ErrorCode::WrongContext, 0, "the genesis names a team (its own hash is the team id)");
    }
    if (!allZero(genesis.previous)) {
        return fail(ErrorCode::BrokenChain, 0, "the genesis has a previous hash");
    }
    if (auto identity = checkIdentity(genesis.subject, 0); !identity) {
        return std::unexpected(identity.error());
    }
    const MemberId creator = memberId(genesis.subject);
    if (genesis.signer != creator) {
        return fail(ErrorCode::SignerNotAuthorised, 0, "the genesis is not signed by its subject");
    }
    if (!crypto::verify(genesis.subject.signKey, rosterSignedBytes(genesis), genesis.signature)) {
        return fail(ErrorCode::BadSignature, 0, "the genesis signature does not verify");
    }
    if (genesis.role != Role::Owner) {
        return fail(ErrorCode::Malformed, 0, "the genesis must make its creator the owner");
    }
    RosterState state;
    state.m_team = teamIdOf(genesis);
    state.m_hashes.push_back(state.m_team);
    state.m_members.emplace(creator, RosterMember{genesis.subject, creator, Role::Owner, false, 0, 0});
    state.m_order.push_back(creator);
    state.m_roleHistory.emplace_back(creator, 0, Role::Owner);
    return state;
}

Result<void> RosterState::apply(const RosterEvent& event) {
    const std::uint64_t position = event.seq;
    if (event.version != kVersion) {
        return fail(ErrorCode::UnknownVersion, position, "roster event version " + std::to_string(event.version));
    }
    if (event.team != m_team) {
        return fail(ErrorCode::WrongContext, position, "the event belongs to another team");
    }
    const Head current = head();
    if (event.seq != current.seq + 1) {
        if (event.seq > current.seq + 1) {
            return fail(ErrorCode::Gap, position, "expected seq " + seqText(current.seq + 1));
        }
        if (rosterEventHash(event) != m_hashes[event.seq]) {
            return fail(ErrorCode::Fork, position, "another event than the one already at this seq");
        }
        return fail(ErrorCode::Regression, position, "an event already applied (head is " + seqText(current.seq) + ")");
    }
    if (event.previous != current.hash) {
        return fail(ErrorCode::BrokenChain, position, "previous hash is not the hash of event " + seqText(current.seq));
    }
    if (event.kind == RosterEventKind::Genesis) {
        return fail(ErrorCode::Malformed, position, "a second genesis");
    }

    const auto signerIt = m_members.find(event.signer);
    if (signerIt == m_members.end()) {
        return fail(ErrorCode::SignerNotAuthorised, position, "the signer was never a member");
    }
    const RosterMember& signer = signerIt->second;
    if (!crypto::verify(signer.identity.signKey, rosterSignedBytes(event), event.signature)) {
        return fail(ErrorCode::BadSignature, position, "the event signature does not verify");
    }
    if (signer.removed) {
        return fail(ErrorCode::SignerNotAuthorised, position, "the signer was removed");
    }
    if (!isAdmin(signer.role)) {
        return fail(ErrorCode::SignerNotAuthorised, position, "the signer is not an admin");
    }
    const bool signerIsOwner = signer.role == Role::Owner;

    if (auto identity = checkIdentity(event.subject, position); !identity) {
        return std::unexpected(identity.error());
    }
    const MemberId subjectId = memberId(event.subject);
    const auto subjectIt = m_members.find(subjectId);
    const bool isCurrent = subjectIt != m_members.end() && !subjectIt->second.removed;
    const auto owners = std::ranges::count_if(
        m_members, [](const auto& entry) { return !entry.second.removed && entry.second.role == Role::Owner; });

    std::optional<Role> newRole;
    switch (event.kind) {
    case RosterEventKind::Add: {
        if (isCurrent) {
            return fail(ErrorCode::Malformed, position, "the subject is already a member");
        }
        const bool keyTaken = std::ranges::any_of(m_members, [&](const auto& entry) {
            return entry.first != subjectId && entry.second.identity.signKey == event.subject.signKey;
        });
        if (keyTaken) {
            return fail(ErrorCode::Malformed, position, "the sign key belongs to another member");
        }
        if (event.role == Role::Owner && !signerIsOwner) {
            return fail(ErrorCode::SignerNotAuthorised, position, "only an owner makes an owner");
        }
        newRole = event.role;
        break;
    }
    case RosterEventKind::Remove:
        if (!isCurrent) {
            return fail(ErrorCode::Malformed, position, "the subject is not a current member");
        }
        if (subjectIt->second.role == Role::Owner) {
            if (!signerIsOwner) {
                return fail(ErrorCode::SignerNotAuthorised, position, "only an owner removes an owner");
            }
            if (owners == 1) {
                return fail(ErrorCode::Malformed, position, "the team would have no owner left");
            }
        }
        break;
    case RosterEventKind::RoleChange:
        if (!isCurrent) {
            return fail(ErrorCode::Malformed, position, "the subject is not a current member");
        }
        if ((event.role == Role::Owner || subjectIt->second.role == Role::Owner) && !signerIsOwner) {
            return fail(ErrorCode::SignerNotAuthorised, position, "only an owner makes or unmakes an owner");
        }
        if (subjectIt->second.role == Role::Owner && event.role != Role::Owner && owners == 1) {
            return fail(ErrorCode::Malformed, position, "the team would have no owner left");
        }
        newRole = event.role;
        break;
    case RosterEventKind::Genesis:
        break; // refused above
    }

    // Every check passed: commit.
    m_hashes.push_back(rosterEventHash(event));
    if (subjectIt == m_members.end()) {
        m_members.emplace(subjectId, RosterMember{event.subject, subjectId, *newRole, false, event.seq, event.seq});
        m_order.push_back(subjectId);
    } else {
        RosterMember& subject = subjectIt->second;
        if (event.kind == RosterEventKind::Add) {
            subject.identity = event.subject;
            subject.addedAt = event.seq;
        }
        subject.removed = !newRole.has_value();
        if (newRole) {
            subject.role = *newRole;
        }
        subject.changedAt = event.seq;
    }
    m_roleHistory.emplace_back(subjectId, event.seq, newRole);
    return {};
}

Head RosterState::head() const noexcept {
    if (m_hashes.empty()) {
        return {};
    }
    return Head{m_hashes.size() - 1, m_hashes.back()};
}

std::optional<Hash> RosterState::hashAt(std::uint64_t seq) const {
    if (seq >= m_hashes.size()) {
        return std::nullopt;
    }
    return m_hashes[seq];
}

std::optional<Role> RosterState::roleAt(const MemberId& member, std::uint64_t seq) const {
    if (seq >= m_hashes.size()) {
        return std::nullopt; // the future is not known here
    }
    std::optional<Role> role;
    for (const auto& [id, from, value] : m_roleHistory) {
        if (from > seq) {
            break; // the history is in seq order
        }
        if (id == member) {
            role = value;
        }
    }
    return role;
}

const RosterMember* RosterState::member(const MemberId& id) const {
    const auto it = m_members.find(id);
    return it == m_members.end() ? nullptr : &it->second;
}

const RosterMember* RosterState::memberBySignKey(const crypto::SignPublicKey& key) const {
    // apply() refuses a second member with the same sign key, so at most one matches.
    for (const auto& [id, member] : m_members) {
        if (member.identity.signKey == key) {
            return &member;
        }
    }
    return nullptr;
}

std::vector<RosterMember> RosterState::members() const {
    std::vector<RosterMember> out;
    out.reserve(m_order.size());
    for (const MemberId& id : m_order) {
        out.push_back(m_members.at(id));
    }
    return out;
}

Result<RosterState> verifyRoster(std::span<const RosterEvent> events, std::optional<Head> pinned) {
    if (events.empty()) {
        return fail(ErrorCode::Malformed, 0, "an empty roster has no genesis");
    }
    auto state = RosterState::fromGenesis(events.front());
    if (!state) {
        return std::unexpected(state.error());
    }
    for (const RosterEvent& event : events.subspan(1)) {
        if (auto applied = state->apply(event); !applied) {
            return std::unexpected(applied.error());
        }
    }
    if (pinned) {
        const auto hash = state->hashAt(pinned->seq);
        if (!hash) {
            return fail(ErrorCode::Regression, pinned->seq,
                        "the roster ends at " + seqText(state->head().seq) + ", before the pinned head");
        }
        if (*hash != pinned->hash) {
            return fail(ErrorCode::Fork, pinned->seq, "another event than the pinned one");
        }
    }
    return state;
}

Result<void> verifyGrant(const Grant& grant, const RosterState& roster) {
    if (grant.version != kVersion) {
        return fail(ErrorCode::UnknownVersion, 0, "grant version " + std::to_string(grant.version));
    }
    if (grant.team != roster.team()) {
        return fail(ErrorCode::WrongContext, 0, "the grant belongs to another team");
    }
    if (grant.access != Access::Read && grant.access != Access::Write) {
        return fail(ErrorCode::Malformed, 0, "unknown access");
    }
    if (grant.sealedKey.size() != kSealedKeyBytes) {
        return fail(ErrorCode::Malformed, 0, "sealed key of the wrong size");
    }
    const auto hash = roster.hashAt(grant.rosterSeq);
    if (!hash) {
        return fail(ErrorCode::Gap, grant.rosterSeq,
                    "the grant names a roster position after the known head " + seqText(roster.head().seq));
    }
    if (*hash != grant.rosterHead) {
        return fail(ErrorCode::Fork, grant.rosterSeq, "the grant's roster head is not this roster's");
    }
    const RosterMember* admin = roster.member(grant.admin);
    if (admin == nullptr) {
        return fail(ErrorCode::SignerNotAuthorised, grant.rosterSeq, "the granting admin was never a member");
    }
    if (!crypto::verify(admin->identity.signKey, grantSignedBytes(grant), grant.signature)) {
        return fail(ErrorCode::BadSignature, grant.rosterSeq, "the grant signature does not verify");
    }
    const auto adminRole = roster.roleAt(grant.admin, grant.rosterSeq);
    if (!adminRole || !isAdmin(*adminRole)) {
        return fail(ErrorCode::SignerNotAuthorised, grant.rosterSeq, "the signer was not an admin at that position");
    }
    if (!roster.roleAt(grant.member, grant.rosterSeq)) {
        return fail(ErrorCode::WrongContext, grant.rosterSeq, "the grantee was not a member at that position");
    }
    return {};
}

LogVerifier::LogVerifier(TeamId team, EnvironmentId environment, Head pinned, const RosterState& roster,
                         WriteCheck canWrite)
    : m_team(team)
    , m_environment(environment)
    , m_head(pinned)
    , m_roster(roster)
    , m_canWrite(std::move(canWrite)) {}

Result<Head> LogVerifier::verify(std::span<const ChangeRecord> records) {
    Head current = m_head;
    bool batchOpen = false;
    std::uint64_t batchFirst = 0;
    MemberId batchAuthor{};
    for (const ChangeRecord& record : records) {
        const std::uint64_t position = record.seq;
        if (record.version != kVersion) {
            return fail(ErrorCode::UnknownVersion, position, "record version " + std::to_string(record.version));
        }
        if (record.team != m_team || record.environment != m_environment) {
            return fail(ErrorCode::WrongContext, position, "the record belongs to another team or environment");
        }
        if (record.seq != current.seq + 1) {
            if (record.seq == current.seq && current.seq != 0 && recordHash(record) != current.hash) {
                return fail(ErrorCode::Fork, position, "another record than the one already at this seq");
            }
            return fail(ErrorCode::Gap, position, "expected seq " + seqText(current.seq + 1));
        }
        if (record.previous != current.hash) {
            return fail(ErrorCode::BrokenChain, position,
                        "previous hash is not the hash of record " + seqText(current.seq));
        }
        if (record.ciphertext.size() > kMaxCiphertextBytes) {
            return fail(ErrorCode::LimitExceeded, position, "ciphertext too large");
        }
        if (record.ciphertext.size() < crypto::aead::kTagBytes) {
            return fail(ErrorCode::Malformed, position, "ciphertext shorter than the AEAD tag");
        }
        const RosterMember* author = m_roster.member(record.author);
        if (author == nullptr) {
            return fail(ErrorCode::SignerNotAuthorised, position, "the author is not in the roster");
        }
        if (batchOpen && record.author != batchAuthor) {
            return fail(ErrorCode::SignerNotAuthorised, position,
                        "a batch mixes authors (records from " + seqText(batchFirst) + " are unsigned)");
        }
        if (!m_canWrite || !m_canWrite(record.author, record.epoch)) {
            return fail(ErrorCode::SignerNotAuthorised, position,
                        "the author has no write access at epoch " + std::to_string(record.epoch));
        }
        if (!batchOpen) {
            batchOpen = true;
            batchFirst = record.seq;
            batchAuthor = record.author;
        }
        current = Head{record.seq, recordHash(record)};
        if (record.batchSignature) {
            const auto signedBytes = batchSignedBytes(m_team, m_environment, batchFirst, current, record.author);
            if (!crypto::verify(author->identity.signKey, signedBytes, *record.batchSignature)) {
                return fail(ErrorCode::BadSignature, position, "the batch signature does not verify");
            }
            batchOpen = false;
        }
    }
    if (batchOpen) {
        return fail(ErrorCode::UnsignedTail, batchFirst, "records after the last batch signature");
    }
    // Only a fully verified page moves the pinned head.
    m_head = current;
    return m_head;
}

} // namespace coffer::protocol
