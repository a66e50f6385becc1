// SPDX-License-Identifier: Apache-2.0
// The binary decoders of sync/protocol/Canonical.h. Input: one byte choosing the decoder (roster event,
// grant, change record, change plaintext), then the bytes. Property: whatever decodes re-encodes to
// exactly the input (one encoding per value, so a signature or hash can never cover two spellings).

#include "sync/protocol/Canonical.h"
#include "tests/fuzz/FuzzSupport.h"

#include <algorithm>

namespace {

bool same(std::span<const std::byte> a, std::span<const std::byte> b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace p = coffer::protocol;
    using coffer::fuzz::check;
    if (size == 0)
        return 0;
    const auto bytes = coffer::fuzz::asBytes(data + 1, size - 1);
    switch (data[0] % 4) {
    case 0:
        if (auto event = p::decodeRosterEvent(bytes)) {
            check(same(p::encode(*event), bytes), "a roster event re-encodes to its bytes");
            (void)p::rosterEventHash(*event);
            (void)p::memberId(event->subject);
        }
        break;
    case 1:
        if (auto grant = p::decodeGrant(bytes)) {
            check(same(p::encode(*grant), bytes), "a grant re-encodes to its bytes");
            check(grant->sealedKey.size() <= p::kSealedKeyBytes, "a decoded sealed key is within bounds");
        }
        break;
    case 2:
        if (auto record = p::decodeChangeRecord(bytes)) {
            check(same(p::encode(*record), bytes), "a record re-encodes to its bytes");
            check(record->ciphertext.size() <= p::kMaxCiphertextBytes, "a decoded ciphertext is within bounds");
            (void)p::recordHash(*record);
            (void)p::recordAssociatedData(*record);
        }
        break;
    default:
        if (auto change = p::decodeChange(bytes)) {
            check(same(p::encodeChange(*change).bytes(), bytes), "a change re-encodes to its bytes");
            check(change->name.size() <= p::kMaxChangeNameBytes && change->value.size() <= p::kMaxChangeValueBytes &&
                      change->note.size() <= p::kMaxChangeNoteBytes,
                  "a decoded change is within bounds");
        }
        break;
    }
    return 0;
}
