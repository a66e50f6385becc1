// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/protocol/ProtocolError.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coffer::protocol {

/// The canonical binary encoding that every signature and hash covers. Big-endian fixed-width
/// integers; every variable-length field is a u32 length followed by its bytes, so no two different
/// field lists encode to the same bytes. Each encoding starts with a domain tag (a length-prefixed
/// ASCII string such as "coffer/roster-event/v1"), so a signature over one type can never be
/// replayed as another.
class WireWriter {
public:
    explicit WireWriter(std::string_view domainTag);

    WireWriter& u8(std::uint8_t value);
    WireWriter& u32(std::uint32_t value);
    WireWriter& u64(std::uint64_t value);
    WireWriter& i64(std::int64_t value);
    WireWriter& bytes(std::span<const std::byte> value); ///< u32 length + bytes
    WireWriter& text(std::string_view value);            ///< u32 length + UTF-8 bytes
    template <std::size_t N> WireWriter& fixed(const std::array<std::byte, N>& value) {
        return bytes(std::span<const std::byte>(value));
    }

    [[nodiscard]] const std::vector<std::byte>& data() const noexcept { return m_out; }
    [[nodiscard]] std::vector<std::byte> take() noexcept { return std::move(m_out); }

private:
    std::vector<std::byte> m_out;
};

/// Reads what WireWriter wrote; every read is bounds-checked and fails with Malformed.
class WireReader {
public:
    explicit WireReader(std::span<const std::byte> data)
        : m_data(data) {}

    [[nodiscard]] Result<void> expectTag(std::string_view domainTag);
    [[nodiscard]] Result<std::uint8_t> u8();
    [[nodiscard]] Result<std::uint32_t> u32();
    [[nodiscard]] Result<std::uint64_t> u64();
    [[nodiscard]] Result<std::int64_t> i64();
    /// Malformed when the length passes the end of the data, LimitExceeded when it passes `maxSize`.
    [[nodiscard]] Result<std::vector<std::byte>> bytes(std::size_t maxSize);
    /// Like bytes(), and Malformed unless the text is valid UTF-8.
    [[nodiscard]] Result<std::string> text(std::size_t maxSize);
    template <std::size_t N> [[nodiscard]] Result<std::array<std::byte, N>> fixed() {
        auto raw = bytes(N);
        if (!raw) {
            // A fixed-size field longer than N is a wrong size (Malformed), not a bound exceeded.
            if (raw.error().code == ErrorCode::LimitExceeded)
                return fail(ErrorCode::Malformed, m_offset, "field of the wrong size");
            return std::unexpected(raw.error());
        }
        if (raw->size() != N)
            return fail(ErrorCode::Malformed, m_offset, "field of the wrong size");
        std::array<std::byte, N> out{};
        std::copy(raw->begin(), raw->end(), out.begin());
        return out;
    }
    /// Malformed unless every byte was read.
    [[nodiscard]] Result<void> finish() const;

private:
    std::span<const std::byte> m_data;
    std::size_t m_offset = 0;
};

} // namespace coffer::protocol
