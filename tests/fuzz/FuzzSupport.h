// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the fuzz targets: the entry point's declaration, a property check that crashes (so libFuzzer
// and the replay test both report it), and a frame reader for inputs that carry several values.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace coffer::fuzz {

/// A broken property is a bug like a crash: print what broke and abort.
inline void check(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "fuzz property violated: %s\n", what);
        std::abort();
    }
}

[[nodiscard]] inline std::span<const std::byte> asBytes(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const std::byte*>(data), size};
}

/// Reads frames `u8 kind | u16 big-endian length | bytes` (a short last frame takes what is left), so one
/// input can carry a roster, grants and records and a mutation of one length byte stays local.
class Frames {
public:
    explicit Frames(std::span<const std::byte> data)
        : m_data(data) {}

    struct Frame {
        std::uint8_t kind = 0;
        std::span<const std::byte> bytes;
    };

    [[nodiscard]] std::optional<Frame> next() {
        if (m_data.size() < 3)
            return std::nullopt;
        const auto kind = std::to_integer<std::uint8_t>(m_data[0]);
        std::size_t length = (std::to_integer<std::size_t>(m_data[1]) << 8) | std::to_integer<std::size_t>(m_data[2]);
        m_data = m_data.subspan(3);
        if (length > m_data.size())
            length = m_data.size();
        Frame frame{kind, m_data.first(length)};
        m_data = m_data.subspan(length);
        return frame;
    }

private:
    std::span<const std::byte> m_data;
};

} // namespace coffer::fuzz
