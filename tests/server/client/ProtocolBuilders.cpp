// SPDX-License-Identifier: Apache-2.0
#include "tests/server/client/ProtocolBuilders.h"

#include "crypto/Hash.h"
#include "crypto/Random.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "tests/server/client/ApiClient.h"

namespace coffer::tests {
namespace {

void sealChained(std::span<protocol::ChangeRecord> records, std::vector<protocol::Change>& changes,
                 const protocol::Head& head, const TestMember& author, const crypto::AeadKey& environmentKey) {
    // The previous hash is associated data, so each record is encrypted only once it is chained.
    protocol::Head at = head;
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto& record = records[i];
        record.seq = at.seq + 1;
        record.previous = at.hash;
        record.batchSignature.reset();
        protocol::sealChange(record, changes[i], environmentKey);
        at = protocol::Head{record.seq, protocol::recordHash(record)};
    }
    protocol::chainAndSignBatch(records, head, author.sign.secretKey);
}

} // namespace

protocol::RosterEvent makeGenesis(const TestMember& owner) {
    protocol::RosterEvent event;
    event.kind = protocol::RosterEventKind::Genesis;
    event.seq = 0;
    event.subject = owner.identity;
    event.role = protocol::Role::Owner;
    event.signer = owner.id;
    event.time = unixNow();
    protocol::signRosterEvent(event, owner.sign.secretKey);
    return event;
}

protocol::RosterEvent makeRosterEvent(const protocol::TeamId& team, const protocol::Head& previous,
                                      protocol::RosterEventKind kind, const protocol::MemberIdentity& subject,
                                      protocol::Role role, const TestMember& signer) {
    protocol::RosterEvent event;
    event.team = team;
    event.seq = previous.seq + 1;
    event.previous = previous.hash;
    event.kind = kind;
    event.subject = subject;
    event.role = role;
    event.signer = signer.id;
    event.time = unixNow();
    protocol::signRosterEvent(event, signer.sign.secretKey);
    return event;
}

protocol::Head headOf(const protocol::RosterEvent& event) {
    return protocol::Head{event.seq, protocol::rosterEventHash(event)};
}

protocol::EnvironmentId randomEnvironment() {
    return crypto::randomArray<16>();
}

protocol::Grant makeGrant(const protocol::TeamId& team, const protocol::EnvironmentId& environment, std::uint64_t epoch,
                          const TestMember& member, protocol::Access access, const crypto::AeadKey& environmentKey,
                          const protocol::Head& rosterHead, const TestMember& admin) {
    protocol::Grant grant;
    grant.team = team;
    grant.environment = environment;
    grant.epoch = epoch;
    grant.member = member.id;
    grant.access = access;
    grant.sealedKey = crypto::seal(member.box.publicKey, environmentKey.bytes());
    grant.rosterSeq = rosterHead.seq;
    grant.rosterHead = rosterHead.hash;
    grant.admin = admin.id;
    protocol::signGrant(grant, admin.sign.secretKey);
    return grant;
}

std::vector<protocol::ChangeRecord> makeBatch(const protocol::TeamId& team, const protocol::EnvironmentId& environment,
                                              std::uint64_t epoch, const TestMember& author,
                                              const crypto::AeadKey& environmentKey, const protocol::Head& head,
                                              std::size_t count, std::size_t valueBytes, std::string_view namePrefix) {
    std::vector<protocol::ChangeRecord> records(count);
    std::vector<protocol::Change> changes(count);
    for (std::size_t i = 0; i < count; ++i) {
        auto& record = records[i];
        record.team = team;
        record.environment = environment;
        record.epoch = epoch;
        record.id = crypto::randomArray<16>();
        record.author = author.id;
        auto& change = changes[i];
        change.op = protocol::ChangeOp::Set;
        change.name = std::string(namePrefix) + "_" + std::to_string(head.seq + i + 1);
        change.value = crypto::SecureBuffer(valueBytes);
        crypto::randomFill(change.value.bytes());
    }
    sealChained(records, changes, head, author, environmentKey);
    return records;
}

bool rechain(std::span<protocol::ChangeRecord> records, const protocol::Head& head, const TestMember& author,
             const crypto::AeadKey& environmentKey) {
    std::vector<protocol::Change> changes;
    changes.reserve(records.size());
    for (const auto& record : records) {
        auto change = protocol::openChange(record, environmentKey);
        if (!change) {
            return false;
        }
        changes.push_back(std::move(*change));
    }
    sealChained(records, changes, head, author, environmentKey);
    return true;
}

protocol::Head headAfter(std::span<const protocol::ChangeRecord> records) {
    const auto& last = records.back();
    return protocol::Head{last.seq, protocol::recordHash(last)};
}

nlohmann::json recordsJson(std::span<const protocol::ChangeRecord> records) {
    auto out = nlohmann::json::array();
    for (const auto& record : records) {
        out.push_back(protocol::toJson(record));
    }
    return out;
}

std::string hexOf(std::span<const std::byte> bytes) {
    return protocol::hex(bytes);
}

std::string inviteCodeHash(std::string_view code) {
    return protocol::hex(crypto::blake2b(crypto::asBytes(code)).bytes);
}

} // namespace coffer::tests
