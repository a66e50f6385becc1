// SPDX-License-Identifier: Apache-2.0
#include "crypto/Hash.h"

#include "crypto/detail/SodiumSupport.h"

#include <sodium.h>

#include <cassert>

namespace coffer::crypto {

static_assert(Hash256::size == crypto_generichash_BYTES);

Hash256 blake2b(std::span<const std::byte> data) noexcept {
    detail::requireSodium();
    Hash256 hash;
    crypto_generichash(detail::uc(hash.bytes.data()), hash.size, detail::uc(data), data.size(), nullptr, 0);
    return hash;
}

Hash256 blake2bKeyed(std::span<const std::byte> key, std::span<const std::byte> data) noexcept {
    // A short key silently weakens the MAC; an empty one would make it an unkeyed hash.
    assert(key.size() >= crypto_generichash_KEYBYTES_MIN && key.size() <= crypto_generichash_KEYBYTES_MAX);
    detail::requireSodium();
    Hash256 hash;
    crypto_generichash(detail::uc(hash.bytes.data()), hash.size, detail::uc(data), data.size(), detail::uc(key),
                       key.size());
    return hash;
}

std::vector<std::byte> blake2b(std::span<const std::byte> data, std::size_t outSize) {
    assert(outSize >= crypto_generichash_BYTES_MIN && outSize <= crypto_generichash_BYTES_MAX);
    detail::requireSodium();
    std::vector<std::byte> hash(outSize);
    crypto_generichash(detail::uc(hash.data()), hash.size(), detail::uc(data), data.size(), nullptr, 0);
    return hash;
}

struct Blake2b::State {
    crypto_generichash_state state;
    bool finished = false;
};

Blake2b::Blake2b()
    : m_state(std::make_unique<State>()) {
    detail::requireSodium();
    crypto_generichash_init(&m_state->state, nullptr, 0, crypto_generichash_BYTES);
}

Blake2b::~Blake2b() {
    // The state holds a digest of everything hashed so far, which may be secret.
    sodium_memzero(m_state.get(), sizeof(State));
}

Blake2b& Blake2b::update(std::span<const std::byte> data) noexcept {
    assert(!m_state->finished);
    crypto_generichash_update(&m_state->state, detail::uc(data), data.size());
    return *this;
}

Blake2b& Blake2b::update(std::string_view text) noexcept {
    return update(asBytes(text));
}

Hash256 Blake2b::finish() noexcept {
    assert(!m_state->finished);
    m_state->finished = true;
    Hash256 hash;
    crypto_generichash_final(&m_state->state, detail::uc(hash.bytes.data()), hash.size);
    return hash;
}

bool constantTimeEqual(std::span<const std::byte> a, std::span<const std::byte> b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    if (a.empty()) {
        return true;
    }
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string toHex(std::span<const std::byte> bytes) {
    // sodium_bin2hex runs in constant time, so hex-encoding a key leaks nothing through timing. It writes
    // a terminating NUL, hence the extra byte.
    std::string hex(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), detail::uc(bytes), bytes.size());
    hex.pop_back();
    return hex;
}

Result<std::vector<std::byte>> fromHex(std::string_view hex) {
    if (hex.size() % 2 != 0) {
        return std::unexpected(Error::InvalidArgument);
    }
    std::vector<std::byte> bytes(hex.size() / 2);
    if (hex.empty()) {
        return bytes;
    }
    std::size_t written = 0;
    // Without an ignore set or an end pointer, sodium_hex2bin fails on any character that is not a hex
    // digit (upper or lower case), and it decodes in constant time.
    if (sodium_hex2bin(detail::uc(bytes.data()), bytes.size(), hex.data(), hex.size(), nullptr, &written, nullptr) !=
            0 ||
        written != bytes.size()) {
        return std::unexpected(Error::InvalidArgument);
    }
    return bytes;
}

} // namespace coffer::crypto
