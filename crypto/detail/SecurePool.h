// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to the crypto layer: where a small SecureBuffer's bytes come from (docs/security.md, "Swap, core
// dumps, crash reports"). No libsodium header, as SodiumSupport.h.

#include <cstddef>

namespace coffer::crypto::detail {

/// Buffers of at most this many bytes share slabs; larger ones get a sodium_malloc region each.
inline constexpr std::size_t kPooledMaxBytes = 2048;
/// Each slab is one sodium_malloc region: guard pages on both sides, mlock where allowed, out of core dumps.
inline constexpr std::size_t kSlabBytes = 64 * 1024;

/// A zeroed block of at least `size` bytes (1 to kPooledMaxBytes) from a slab of its size class (the next
/// power of two from 32 bytes up); nullptr when no secure memory is left. Thread-safe.
[[nodiscard]] std::byte* securePoolAllocate(std::size_t size) noexcept;
/// Wipes the whole block at once and keeps it for the next buffer of its class; `size` is the one it was
/// allocated with. Slabs are never unmapped: a freed block holds only zeros until it is reused.
void securePoolRelease(std::byte* block, std::size_t size) noexcept;

/// The pool's extent, for tests: slabs mapped and blocks free in the class that `size` falls into.
struct SecurePoolExtent {
    std::size_t slabs = 0;
    std::size_t freeBlocks = 0;
    std::size_t blockBytes = 0;
};
[[nodiscard]] SecurePoolExtent securePoolExtent(std::size_t size) noexcept;

} // namespace coffer::crypto::detail
