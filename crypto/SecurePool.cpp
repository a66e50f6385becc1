// SPDX-License-Identifier: Apache-2.0
// Small secure buffers share slabs. sodium_malloc per buffer costs an mmap, two mprotects, an mlock and a
// madvise, and when freed an munlock, an mprotect and an munmap (~110 µs on the benchmark VM) plus four pages
// of address space for a 33-byte value: importing 10,000 secrets spent half its time there
// (docs/benchmarks.md, "Known costs"). A slab is one sodium_malloc region, so it keeps the guard pages, the
// mlock and the exclusion from core dumps; what a value gives up is a guard page of its own (a neighbour in
// the same slab is another wiped-on-free secure block, never ordinary memory).
#include "crypto/detail/SecurePool.h"

#include "crypto/detail/SodiumSupport.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#include <pthread.h>

namespace coffer::crypto::detail {

namespace {

constexpr std::size_t kSmallestBlock = 32;
constexpr std::size_t kClasses = 7; // 32, 64, ... 2048 bytes
static_assert(kSmallestBlock << (kClasses - 1) == kPooledMaxBytes);

std::size_t classOf(std::size_t size) noexcept {
    std::size_t index = 0;
    while ((kSmallestBlock << index) < size) {
        ++index;
    }
    return index;
}

std::size_t blockBytes(std::size_t index) noexcept {
    return kSmallestBlock << index;
}

class Pool {
public:
    Pool() {
        // A fork() while another thread holds the lock would leave the child's pool locked for good.
        ::pthread_atfork([] { instance().m_lock.lock(); }, [] { instance().m_lock.unlock(); },
                         [] { instance().m_lock.unlock(); });
    }

    /// Never destroyed: a SecureBuffer in a static object may be freed after static destructors ran.
    static Pool& instance() {
        static Pool* const pool = new Pool;
        return *pool;
    }

    std::byte* allocate(std::size_t size) noexcept {
        const std::size_t index = classOf(size);
        const std::lock_guard guard(m_lock);
        auto& free = m_free[index];
        if (free.empty() && !addSlab(index)) {
            return nullptr;
        }
        std::byte* block = free.back();
        free.pop_back();
        return block; // zeroed: a fresh slab is cleared when mapped, a freed block when released
    }

    void release(std::byte* block, std::size_t size) noexcept {
        const std::size_t index = classOf(size);
        sodium_memzero(block, blockBytes(index));
        const std::lock_guard guard(m_lock);
        m_free[index].push_back(block); // never reallocates: addSlab reserved room for every block
    }

    SecurePoolExtent extent(std::size_t size) noexcept {
        const std::size_t index = classOf(size);
        const std::lock_guard guard(m_lock);
        return {m_slabs, m_free[index].size(), blockBytes(index)};
    }

private:
    bool addSlab(std::size_t index) noexcept {
        auto* slab = static_cast<std::byte*>(sodium_malloc(kSlabBytes));
        if (slab == nullptr) {
            return false;
        }
        std::memset(slab, 0, kSlabBytes); // sodium_malloc fills new memory with a marker byte
        const std::size_t count = kSlabBytes / blockBytes(index);
        auto& free = m_free[index];
        try {
            // Doubling: a large import maps a slab every few hundred values; the list is not copied each time.
            free.reserve(std::max(m_blocks[index] + count, free.capacity() * 2));
        } catch (const std::bad_alloc&) {
            sodium_free(slab);
            return false;
        }
        m_blocks[index] += count;
        ++m_slabs;
        // Highest address first, so blocks are handed out in address order.
        for (std::size_t i = count; i-- > 0;) {
            free.push_back(slab + i * blockBytes(index));
        }
        return true;
    }

    std::mutex m_lock;
    std::array<std::vector<std::byte*>, kClasses> m_free; ///< addresses only: ordinary memory is fine
    std::array<std::size_t, kClasses> m_blocks{};         ///< blocks of each class in all its slabs
    std::size_t m_slabs = 0;
};

} // namespace

std::byte* securePoolAllocate(std::size_t size) noexcept {
    return Pool::instance().allocate(size);
}

void securePoolRelease(std::byte* block, std::size_t size) noexcept {
    Pool::instance().release(block, size);
}

SecurePoolExtent securePoolExtent(std::size_t size) noexcept {
    return Pool::instance().extent(size);
}

} // namespace coffer::crypto::detail
