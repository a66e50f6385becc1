// SPDX-License-Identifier: Apache-2.0
// The verifiers of sync/protocol/Verify.h fed with decoded structures. Input: frames (FuzzSupport.h) of
// kind 0 roster event, 1 grant, 2 change record (canonical encodings), 3 pinned roster head (u64 seq and
// 32-byte hash). The roster goes through verifyRoster (and event by event through RosterState), each
// grant through verifyGrant, the records through LogVerifier with the write grants that verified.
// Properties: no crash or hang; what verifies is consistent (head, members, roles).

#include "sync/protocol/Canonical.h"
#include "sync/protocol/Verify.h"
#include "sync/protocol/Wire.h"
#include "tests/fuzz/FuzzSupport.h"

#include <algorithm>
#include <set>
#include <utility>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace p = coffer::protocol;
    using coffer::fuzz::check;

    std::vector<p::RosterEvent> events;
    std::vector<p::Grant> grants;
    std::vector<p::ChangeRecord> records;
    std::optional<p::Head> pinned;
    coffer::fuzz::Frames frames(coffer::fuzz::asBytes(data, size));
    while (auto frame = frames.next()) {
        switch (frame->kind % 4) {
        case 0:
            if (auto event = p::decodeRosterEvent(frame->bytes))
                events.push_back(std::move(*event));
            break;
        case 1:
            if (auto grant = p::decodeGrant(frame->bytes))
                grants.push_back(std::move(*grant));
            break;
        case 2:
            if (auto record = p::decodeChangeRecord(frame->bytes))
                records.push_back(std::move(*record));
            break;
        default:
            if (frame->bytes.size() >= 8 + 32) {
                p::Head head;
                for (std::size_t i = 0; i < 8; ++i)
                    head.seq = (head.seq << 8) | std::to_integer<std::uint64_t>(frame->bytes[i]);
                std::copy_n(frame->bytes.begin() + 8, 32, head.hash.bytes.begin());
                pinned = head;
            }
            break;
        }
    }
    if (events.empty())
        return 0;

    // Event by event: the same verdict as verifyRoster without a pin.
    std::optional<p::RosterState> stepwise;
    if (auto genesis = p::RosterState::fromGenesis(events.front())) {
        stepwise = std::move(*genesis);
        for (std::size_t i = 1; i < events.size() && stepwise; ++i) {
            if (!stepwise->apply(events[i]))
                stepwise.reset();
        }
    }
    auto roster = p::verifyRoster(events);
    check(roster.has_value() == stepwise.has_value(), "verifyRoster agrees with RosterState::apply");
    if (pinned)
        (void)p::verifyRoster(events, pinned);
    if (!roster)
        return 0;

    const p::Head head = roster->head();
    check(head.seq + 1 == events.size(), "a verified roster's head is its last event");
    check(head.hash == p::rosterEventHash(events.back()), "a verified roster's head hash is its last event's");
    check(roster->team() == p::teamIdOf(events.front()), "the team id is the genesis hash");
    std::size_t owners = 0;
    for (const auto& member : roster->members()) {
        check(roster->member(member.id) != nullptr, "every member can be looked up");
        check(p::memberId(member.identity) == member.id, "a member's id matches its keys");
        if (!member.removed && member.role == p::Role::Owner)
            ++owners;
        (void)roster->roleAt(member.id, head.seq);
    }
    check(owners >= 1, "a verified roster keeps an owner");

    std::set<std::pair<p::MemberId, std::uint64_t>> writers;
    for (const auto& grant : grants) {
        if (p::verifyGrant(grant, *roster) && grant.access == p::Access::Write)
            writers.emplace(grant.member, grant.epoch);
    }
    if (records.empty())
        return 0;
    p::LogVerifier verifier(roster->team(), records.front().environment, p::Head{}, *roster,
                            [&writers](const p::MemberId& author, std::uint64_t epoch) {
                                return writers.contains({author, epoch});
                            });
    if (auto logHead = verifier.verify(records)) {
        check(*logHead == (p::Head{records.back().seq, p::recordHash(records.back())}),
              "a verified log's head is its last record");
        check(verifier.head() == *logHead, "the verifier keeps the head it returned");
    }
    return 0;
}
