// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/CryptoError.h"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace coffer::crypto {

/// Bytes kept in guarded memory (sodium_malloc: guard pages, mlock where allowed, no core dumps) and wiped
/// when freed. Up to 2 KiB a buffer is a block of a shared slab of such memory (crypto/detail/SecurePool.h);
/// larger ones are a region of their own. Move-only: a secret is never copied by accident. An empty buffer
/// owns no memory.
class SecureBuffer {
public:
    SecureBuffer() noexcept = default;
    /// Allocates `size` zeroed bytes. Aborts the process when secure memory is exhausted: a secret
    /// must never fall back to ordinary memory. Use create() where failure must be reported.
    explicit SecureBuffer(std::size_t size);
    ~SecureBuffer();

    SecureBuffer(SecureBuffer&& other) noexcept;
    SecureBuffer& operator=(SecureBuffer&& other) noexcept;
    SecureBuffer(const SecureBuffer&) = delete;
    SecureBuffer& operator=(const SecureBuffer&) = delete;

    /// Allocates `size` zeroed bytes; Error::OutOfMemory when secure memory is exhausted.
    [[nodiscard]] static Result<SecureBuffer> create(std::size_t size) noexcept;
    /// A guarded copy of `bytes`.
    [[nodiscard]] static SecureBuffer copyOf(std::span<const std::byte> bytes);
    [[nodiscard]] static SecureBuffer copyOf(std::string_view text);

    [[nodiscard]] std::size_t size() const noexcept { return m_size; }
    [[nodiscard]] bool empty() const noexcept { return m_size == 0; }
    [[nodiscard]] std::byte* data() noexcept { return m_data; }
    [[nodiscard]] const std::byte* data() const noexcept { return m_data; }
    [[nodiscard]] std::span<std::byte> bytes() noexcept { return {m_data, m_size}; }
    [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return {m_data, m_size}; }
    /// The bytes as characters (for values that are text); the view lives as long as the buffer.
    [[nodiscard]] std::string_view view() const noexcept;

    /// Constant-time comparison of contents (sizes are not secret).
    [[nodiscard]] bool equals(std::span<const std::byte> other) const noexcept;

    /// Wipes and frees now; the buffer becomes empty.
    void clear() noexcept;

private:
    std::byte* m_data = nullptr;
    std::size_t m_size = 0;
};

/// Wipes ordinary memory that held a secret (sodium_memzero: never optimised away).
void wipe(std::span<std::byte> bytes) noexcept;
void wipe(std::string& text) noexcept;

} // namespace coffer::crypto
