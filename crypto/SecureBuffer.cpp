// SPDX-License-Identifier: Apache-2.0
#include "crypto/SecureBuffer.h"

#include "crypto/Sodium.h"
#include "crypto/detail/SecurePool.h"
#include "crypto/detail/SodiumSupport.h"

#include <sodium.h>

#include <cstring>
#include <utility>

namespace coffer::crypto {

namespace {

// Small buffers come from the secure pool (detail/SecurePool.h), larger ones from a sodium_malloc region of
// their own. sodium_malloc fills new memory with a marker byte (to expose use of uninitialised memory);
// callers are promised zeros.
std::byte* allocateZeroed(std::size_t size) noexcept {
    if (size <= detail::kPooledMaxBytes) {
        return detail::securePoolAllocate(size);
    }
    void* memory = sodium_malloc(size);
    if (memory != nullptr) {
        std::memset(memory, 0, size);
    }
    return static_cast<std::byte*>(memory);
}

} // namespace

SecureBuffer::SecureBuffer(std::size_t size) {
    if (size == 0) {
        return;
    }
    detail::requireSodium();
    m_data = allocateZeroed(size);
    if (m_data == nullptr) {
        // Falling back to ordinary (swappable, unguarded) memory would silently weaken every secret.
        detail::fatal("coffer: secure memory exhausted; aborting");
    }
    m_size = size;
}

SecureBuffer::~SecureBuffer() {
    clear();
}

SecureBuffer::SecureBuffer(SecureBuffer&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr))
    , m_size(std::exchange(other.m_size, 0)) {}

SecureBuffer& SecureBuffer::operator=(SecureBuffer&& other) noexcept {
    if (this != &other) {
        clear();
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

Result<SecureBuffer> SecureBuffer::create(std::size_t size) noexcept {
    SecureBuffer buffer;
    if (size == 0) {
        return buffer;
    }
    if (auto ok = initialize(); !ok) {
        return std::unexpected(ok.error());
    }
    buffer.m_data = allocateZeroed(size);
    if (buffer.m_data == nullptr) {
        return std::unexpected(Error::OutOfMemory);
    }
    buffer.m_size = size;
    return buffer;
}

SecureBuffer SecureBuffer::copyOf(std::span<const std::byte> bytes) {
    SecureBuffer buffer(bytes.size());
    if (!bytes.empty()) {
        std::memcpy(buffer.m_data, bytes.data(), bytes.size());
    }
    return buffer;
}

SecureBuffer SecureBuffer::copyOf(std::string_view text) {
    return copyOf(std::as_bytes(std::span<const char>(text.data(), text.size())));
}

std::string_view SecureBuffer::view() const noexcept {
    if (m_data == nullptr) {
        return {};
    }
    return {reinterpret_cast<const char*>(m_data), m_size};
}

bool SecureBuffer::equals(std::span<const std::byte> other) const noexcept {
    if (other.size() != m_size) {
        return false;
    }
    if (m_size == 0) {
        return true;
    }
    return sodium_memcmp(m_data, other.data(), m_size) == 0;
}

void SecureBuffer::clear() noexcept {
    if (m_data != nullptr) {
        if (m_size <= detail::kPooledMaxBytes) {
            detail::securePoolRelease(m_data, m_size); // wipes the block
        } else {
            // sodium_free zeroes the whole region and checks the canary before unmapping it.
            sodium_free(m_data);
        }
    }
    m_data = nullptr;
    m_size = 0;
}

void wipe(std::span<std::byte> bytes) noexcept {
    if (!bytes.empty()) {
        sodium_memzero(bytes.data(), bytes.size());
    }
}

void wipe(std::string& text) noexcept {
    // Wipe the whole capacity, not just size(): earlier, longer contents may linger past the end.
    // resize() within capacity never reallocates, so no copy of the secret is left behind.
    text.resize(text.capacity());
    if (!text.empty()) {
        sodium_memzero(text.data(), text.size());
    }
    text.clear();
}

} // namespace coffer::crypto
