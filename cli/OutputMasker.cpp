// SPDX-License-Identifier: Apache-2.0
#include "cli/OutputMasker.h"

#include <QByteArray>
#include <QUrl>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace coffer::cli {

namespace {

std::span<std::byte> writable(QByteArray& data) {
    return std::as_writable_bytes(std::span<char>(data.data(), static_cast<std::size_t>(data.size())));
}

/// The forms of one value a program is likely to print: as is, base64 (both alphabets, no padding) and
/// URL-encoded (both hex cases). Duplicates and short forms are dropped by the caller.
std::vector<crypto::SecureBuffer> formsOf(std::span<const std::byte> value) {
    std::vector<crypto::SecureBuffer> forms;
    forms.push_back(crypto::SecureBuffer::copyOf(value));
    QByteArray raw(reinterpret_cast<const char*>(value.data()), static_cast<qsizetype>(value.size()));
    QList<QByteArray> derived{
        raw.toBase64(QByteArray::OmitTrailingEquals),
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals),
        QUrl::toPercentEncoding(QString::fromUtf8(raw)),
    };
    // Encoders differ in the case of their hex digits: "%2f" is as likely as "%2F".
    QByteArray lowerHex = derived.constLast();
    for (qsizetype i = 0; i + 2 < lowerHex.size(); ++i) {
        if (lowerHex.at(i) == '%') {
            lowerHex[i + 1] = static_cast<char>(std::tolower(static_cast<unsigned char>(lowerHex.at(i + 1))));
            lowerHex[i + 2] = static_cast<char>(std::tolower(static_cast<unsigned char>(lowerHex.at(i + 2))));
            i += 2;
        }
    }
    derived << lowerHex;
    crypto::wipe(writable(lowerHex));
    for (auto& form : derived) {
        forms.push_back(crypto::SecureBuffer::copyOf(writable(form)));
        crypto::wipe(writable(form));
    }
    crypto::wipe(writable(raw));
    return forms;
}

bool startsWith(const char* text, std::size_t size, const crypto::SecureBuffer& pattern) {
    return std::memcmp(text, pattern.data(), std::min(size, pattern.size())) == 0;
}

} // namespace

OutputMasker::OutputMasker(const std::vector<std::span<const std::byte>>& values) {
    for (const auto& value : values) {
        if (value.size() < kMinMaskedBytes) {
            continue;
        }
        for (auto& form : formsOf(value)) {
            const bool known = std::any_of(m_patterns.cbegin(), m_patterns.cend(),
                                           [&](const crypto::SecureBuffer& p) { return p.equals(form.bytes()); });
            if (!known && form.size() >= kMinMaskedBytes) {
                m_patterns.push_back(std::move(form));
            }
        }
    }
    // Longest first: where one secret is the start of another, the longer one is masked whole.
    std::sort(m_patterns.begin(), m_patterns.end(),
              [](const crypto::SecureBuffer& a, const crypto::SecureBuffer& b) { return a.size() > b.size(); });
    for (const auto& pattern : m_patterns) {
        m_firstBytes[static_cast<unsigned char>(pattern.data()[0])] = true;
    }
}

OutputMasker::~OutputMasker() {
    crypto::wipe(m_pending);
}

std::string OutputMasker::feed(std::span<const std::byte> piece) {
    m_pending.append(reinterpret_cast<const char*>(piece.data()), piece.size());
    return drain(false);
}

std::string OutputMasker::finish() {
    return drain(true);
}

std::string OutputMasker::drain(bool atEnd) {
    std::string out;
    out.reserve(m_pending.size());
    const char* text = m_pending.data();
    const std::size_t size = m_pending.size();
    std::size_t i = 0;
    while (i < size) {
        if (!m_firstBytes[static_cast<unsigned char>(text[i])]) {
            out += text[i++];
            continue;
        }
        const std::size_t rest = size - i;
        bool hold = false;
        bool masked = false;
        for (const auto& pattern : m_patterns) {
            if (!startsWith(text + i, rest, pattern)) {
                continue;
            }
            if (rest >= pattern.size()) {
                out += kMask;
                i += pattern.size();
                masked = true;
            } else if (!atEnd) {
                // The piece ends inside what may be this pattern: wait for the rest before showing it.
                hold = true;
            } else {
                continue;
            }
            break;
        }
        if (hold) {
            break;
        }
        if (!masked) {
            out += text[i++];
        }
    }
    crypto::wipe(std::as_writable_bytes(std::span<char>(m_pending.data(), i)));
    m_pending.erase(0, i);
    return out;
}

} // namespace coffer::cli
