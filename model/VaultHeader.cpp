// SPDX-License-Identifier: Apache-2.0
#include "model/VaultHeader.h"

#include "crypto/Random.h"

#include <bit>

namespace coffer::model {
namespace {

constexpr std::array<std::byte, 4> kMagic = {std::byte{'C'}, std::byte{'O'}, std::byte{'F'}, std::byte{'R'}};
constexpr std::size_t kFormatOffset = 4;
constexpr std::size_t kCipherOffset = 5;
constexpr std::size_t kPassesOffset = 6;
constexpr std::size_t kMemoryOffset = 7;
constexpr std::size_t kRandomOffset = 8;

// The header stores log2 of the memory in MiB; these bound the exponent before anything is shifted.
constexpr std::uint32_t kMinMemoryLog2 = std::countr_zero(KdfCost::kMinMemoryMiB);
constexpr std::uint32_t kMaxMemoryLog2 = std::countr_zero(KdfCost::kMaxMemoryMiB);
static_assert(std::has_single_bit(KdfCost::kMinMemoryMiB) && std::has_single_bit(KdfCost::kMaxMemoryMiB));

// The 16 bytes SQLite itself writes at the start of an unencrypted database.
constexpr std::array<char, 16> kSqliteMagic = {'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f',
                                               'o', 'r', 'm', 'a', 't', ' ', '3', '\0'};

bool isPlainSqlite(std::span<const std::byte, VaultHeader::kSize> bytes) {
    for (std::size_t i = 0; i < kSqliteMagic.size(); ++i) {
        if (bytes[i] != static_cast<std::byte>(kSqliteMagic[i])) {
            return false;
        }
    }
    return true;
}

} // namespace

Result<void> KdfCost::check() const {
    if (passes < kMinPasses || passes > kMaxPasses) {
        return fail(ErrorCode::KdfOutOfPolicy,
                    QStringLiteral("%1 passes; allowed %2 to %3").arg(passes).arg(kMinPasses).arg(kMaxPasses));
    }
    if (memoryMiB < kMinMemoryMiB || memoryMiB > kMaxMemoryMiB || !std::has_single_bit(memoryMiB)) {
        return fail(ErrorCode::KdfOutOfPolicy, QStringLiteral("%1 MiB of memory; allowed a power of two from %2 to %3")
                                                   .arg(memoryMiB)
                                                   .arg(kMinMemoryMiB)
                                                   .arg(kMaxMemoryMiB));
    }
    return {};
}

VaultHeader VaultHeader::generate(KdfCost cost) {
    Q_ASSERT(cost.check().has_value());
    VaultHeader header;
    header.cost = cost;
    crypto::randomFill(header.random);
    return header;
}

Result<VaultHeader> VaultHeader::parse(std::span<const std::byte, kSize> bytes) {
    // Every check below is a comparison of single bytes: a tampered header is refused in microseconds and
    // nothing is allocated or derived on its say-so.
    if (!std::equal(kMagic.begin(), kMagic.end(), bytes.begin())) {
        if (isPlainSqlite(bytes)) {
            return fail(ErrorCode::NotAVault, QStringLiteral("an unencrypted SQLite database"));
        }
        return fail(ErrorCode::NotAVault, QStringLiteral("no Coffer header"));
    }
    VaultHeader header;
    header.formatVersion = std::to_integer<std::uint8_t>(bytes[kFormatOffset]);
    header.cipherFormat = std::to_integer<std::uint8_t>(bytes[kCipherOffset]);
    // A newer format may lay out the remaining bytes differently, so it is judged before the cost is read.
    if (header.formatVersion == 0) {
        return fail(ErrorCode::Damaged, QStringLiteral("format version 0 in the header"));
    }
    if (header.formatVersion > kFormatVersion) {
        return fail(ErrorCode::NewerFormat, QStringLiteral("vault format %1, this Coffer reads up to %2")
                                                .arg(header.formatVersion)
                                                .arg(kFormatVersion));
    }
    if (header.cipherFormat == 0) {
        return fail(ErrorCode::Damaged, QStringLiteral("cipher format 0 in the header"));
    }
    if (header.cipherFormat > kCipherFormat) {
        return fail(
            ErrorCode::NewerFormat,
            QStringLiteral("cipher format %1, this Coffer reads up to %2").arg(header.cipherFormat).arg(kCipherFormat));
    }
    const auto passes = std::to_integer<std::uint32_t>(bytes[kPassesOffset]);
    const auto memoryLog2 = std::to_integer<std::uint32_t>(bytes[kMemoryOffset]);
    if (passes < KdfCost::kMinPasses || passes > KdfCost::kMaxPasses) {
        return fail(ErrorCode::Damaged, QStringLiteral("%1 key-derivation passes in the header; allowed %2 to %3")
                                            .arg(passes)
                                            .arg(KdfCost::kMinPasses)
                                            .arg(KdfCost::kMaxPasses));
    }
    // Checked before shifting, so an exponent of 40 or 255 never reaches the shift.
    if (memoryLog2 < kMinMemoryLog2 || memoryLog2 > kMaxMemoryLog2) {
        return fail(ErrorCode::Damaged, QStringLiteral("2^%1 MiB of key-derivation memory in the header; allowed "
                                                       "2^%2 to 2^%3")
                                            .arg(memoryLog2)
                                            .arg(kMinMemoryLog2)
                                            .arg(kMaxMemoryLog2));
    }
    header.cost = KdfCost{passes, std::uint32_t{1} << memoryLog2};
    std::copy_n(bytes.begin() + kRandomOffset, header.random.size(), header.random.begin());
    return header;
}

std::array<std::byte, VaultHeader::kSize> VaultHeader::serialize() const noexcept {
    std::array<std::byte, kSize> out{};
    std::copy(kMagic.begin(), kMagic.end(), out.begin());
    out[kFormatOffset] = std::byte{formatVersion};
    out[kCipherOffset] = std::byte{cipherFormat};
    out[kPassesOffset] = static_cast<std::byte>(cost.passes);
    out[kMemoryOffset] = static_cast<std::byte>(std::countr_zero(cost.memoryMiB));
    std::copy(random.begin(), random.end(), out.begin() + kRandomOffset);
    return out;
}

} // namespace coffer::model
