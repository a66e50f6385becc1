// SPDX-License-Identifier: Apache-2.0
#include "sync/protocol/Wire.h"

#include "sync/protocol/Utf8.h"

#include <cstdlib>
#include <limits>
#include <string>

namespace coffer::protocol {

WireWriter::WireWriter(std::string_view domainTag) {
    text(domainTag);
}

WireWriter& WireWriter::u8(std::uint8_t value) {
    m_out.push_back(static_cast<std::byte>(value));
    return *this;
}

WireWriter& WireWriter::u32(std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        m_out.push_back(static_cast<std::byte>((value >> shift) & 0xffU));
    }
    return *this;
}

WireWriter& WireWriter::u64(std::uint64_t value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
        m_out.push_back(static_cast<std::byte>((value >> shift) & 0xffU));
    }
    return *this;
}

WireWriter& WireWriter::i64(std::int64_t value) {
    // Two's complement, as every platform we build for stores it (guaranteed since C++20).
    return u64(static_cast<std::uint64_t>(value));
}

WireWriter& WireWriter::bytes(std::span<const std::byte> value) {
    // Every bound of the protocol is far below 4 GiB; a longer field is a programming error.
    if (value.size() > std::numeric_limits<std::uint32_t>::max()) {
        std::abort();
    }
    u32(static_cast<std::uint32_t>(value.size()));
    m_out.insert(m_out.end(), value.begin(), value.end());
    return *this;
}

WireWriter& WireWriter::text(std::string_view value) {
    return bytes(std::as_bytes(std::span<const char>(value.data(), value.size())));
}

Result<void> WireReader::expectTag(std::string_view domainTag) {
    const std::size_t start = m_offset;
    auto tag = text(256);
    if (!tag) {
        return fail(ErrorCode::Malformed, start, "no domain tag");
    }
    if (*tag == domainTag) {
        return {};
    }
    // "coffer/<type>/vN" with another N is a version this build does not speak, not garbage.
    const auto slash = domainTag.rfind("/v");
    if (slash != std::string_view::npos && tag->starts_with(domainTag.substr(0, slash + 2))) {
        return fail(ErrorCode::UnknownVersion, start, "unknown format version \"" + *tag + "\"");
    }
    return fail(ErrorCode::Malformed, start, "unexpected domain tag");
}

Result<std::uint8_t> WireReader::u8() {
    if (m_data.size() - m_offset < 1) {
        return fail(ErrorCode::Malformed, m_offset, "truncated");
    }
    return std::to_integer<std::uint8_t>(m_data[m_offset++]);
}

Result<std::uint32_t> WireReader::u32() {
    if (m_data.size() - m_offset < 4) {
        return fail(ErrorCode::Malformed, m_offset, "truncated");
    }
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
        value = (value << 8) | std::to_integer<std::uint32_t>(m_data[m_offset++]);
    }
    return value;
}

Result<std::uint64_t> WireReader::u64() {
    if (m_data.size() - m_offset < 8) {
        return fail(ErrorCode::Malformed, m_offset, "truncated");
    }
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) {
        value = (value << 8) | std::to_integer<std::uint64_t>(m_data[m_offset++]);
    }
    return value;
}

Result<std::int64_t> WireReader::i64() {
    auto value = u64();
    if (!value) {
        return std::unexpected(value.error());
    }
    return static_cast<std::int64_t>(*value);
}

Result<std::vector<std::byte>> WireReader::bytes(std::size_t maxSize) {
    const std::size_t start = m_offset;
    auto length = u32();
    if (!length) {
        return std::unexpected(length.error());
    }
    if (*length > m_data.size() - m_offset) {
        return fail(ErrorCode::Malformed, start, "length past the end of the data");
    }
    if (*length > maxSize) {
        return fail(ErrorCode::LimitExceeded, start,
                    "field of " + std::to_string(*length) + " bytes, at most " + std::to_string(maxSize));
    }
    const auto field = m_data.subspan(m_offset, *length);
    m_offset += *length;
    return std::vector<std::byte>(field.begin(), field.end());
}

Result<std::string> WireReader::text(std::size_t maxSize) {
    const std::size_t start = m_offset;
    auto raw = bytes(maxSize);
    if (!raw) {
        return std::unexpected(raw.error());
    }
    std::string out(reinterpret_cast<const char*>(raw->data()), raw->size());
    if (!isValidUtf8(out)) {
        return fail(ErrorCode::Malformed, start, "text is not valid UTF-8");
    }
    return out;
}

Result<void> WireReader::finish() const {
    if (m_offset != m_data.size()) {
        return fail(ErrorCode::Malformed, m_offset,
                    std::to_string(m_data.size() - m_offset) + " trailing bytes after the encoding");
    }
    return {};
}

} // namespace coffer::protocol
