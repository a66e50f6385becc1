// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace coffer::cli {

/// Replaces secret values in a stream of output with `*****`: each value as it is, its base64 (standard
/// and URL-safe alphabets, without padding, so padded and unpadded output both match) and its URL-encoded
/// form (%XX in upper and lower case). Values shorter than kMinMaskedBytes are not masked: masking "1"
/// or "yes" would garble every line while hiding nothing a guess would not find.
///
/// Output arrives in arbitrary pieces, so a value may be split across them. feed() holds back the end
/// of what it was given only when that end is the beginning of some pattern (never more than the longest
/// pattern minus one byte), so a prompt without a newline still shows at once unless it could be the
/// start of a secret.
class OutputMasker {
public:
    static constexpr std::size_t kMinMaskedBytes = 4;
    static constexpr std::string_view kMask = "*****";

    explicit OutputMasker(const std::vector<std::span<const std::byte>>& values);
    ~OutputMasker();
    OutputMasker(const OutputMasker&) = delete;
    OutputMasker& operator=(const OutputMasker&) = delete;

    /// Takes the next piece of output; returns what can be shown now.
    [[nodiscard]] std::string feed(std::span<const std::byte> piece);
    /// The stream ended: returns everything still held back, masked.
    [[nodiscard]] std::string finish();

    [[nodiscard]] std::size_t patternCount() const noexcept { return m_patterns.size(); }

private:
    std::string drain(bool atEnd);

    std::vector<crypto::SecureBuffer> m_patterns;
    bool m_firstBytes[256] = {};
    std::string m_pending;
};

} // namespace coffer::cli
