// SPDX-License-Identifier: Apache-2.0
// Dialect names, the read/write entry points, and the byte-level helpers every dialect shares.

#include "model/Dotenv.h"
#include "model/DotenvDetail.h"

#include <QHash>

#include <array>

namespace coffer::model::dotenv {

namespace {

struct DialectName {
    Dialect dialect;
    const char* name;
};

constexpr std::array<DialectName, 6> kNames{{
    {Dialect::Dotenv, "dotenv"},
    {Dialect::Docker, "docker"},
    {Dialect::Shell, "shell"},
    {Dialect::Systemd, "systemd"},
    {Dialect::Json, "json"},
    {Dialect::Yaml, "yaml"},
}};

} // namespace

std::optional<Dialect> dialectFromName(const QString& name) {
    for (const auto& known : kNames) {
        if (name.compare(QLatin1StringView(known.name), Qt::CaseInsensitive) == 0) {
            return known.dialect;
        }
    }
    return std::nullopt;
}

QString dialectName(Dialect dialect) {
    for (const auto& known : kNames) {
        if (known.dialect == dialect) {
            return QString::fromLatin1(known.name);
        }
    }
    return {};
}

std::expected<std::vector<Entry>, ParseError> read(Dialect dialect, std::span<const std::byte> text) {
    const auto view = detail::chars(text);
    switch (dialect) {
    case Dialect::Dotenv:
        return detail::readDotenv(view);
    case Dialect::Docker:
        return detail::readDocker(view);
    case Dialect::Shell:
        return detail::readShell(view);
    case Dialect::Systemd:
        return detail::readSystemd(view);
    case Dialect::Json:
        return detail::readJson(view);
    case Dialect::Yaml:
        return detail::readYaml(view);
    }
    return std::unexpected(ParseError{0, QStringLiteral("unknown dialect")});
}

std::expected<crypto::SecureBuffer, WriteError> write(Dialect dialect, const std::vector<Entry>& entries) {
    return detail::writeText(dialect, entries);
}

namespace detail {

std::string_view chars(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

crypto::SecureBuffer secureCopy(std::string_view bytes) {
    return crypto::SecureBuffer::copyOf(bytes);
}

bool isValidUtf8(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned cp = 0;
        unsigned min = 0;
        if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (i + len > n) {
            return false;
        }
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        i += len;
    }
    return true;
}

std::size_t jsSpaceAt(std::string_view s, std::size_t i) {
    if (i >= s.size()) {
        return 0;
    }
    const auto b = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0U; };
    const unsigned c = b(0);
    if (c == ' ' || (c >= 0x09 && c <= 0x0D)) {
        return 1;
    }
    if (c == 0xC2 && b(1) == 0xA0) {
        return 2; // U+00A0
    }
    if (c == 0xE1 && b(1) == 0x9A && b(2) == 0x80) {
        return 3; // U+1680
    }
    if (c == 0xE2 && b(1) == 0x80 && ((b(2) >= 0x80 && b(2) <= 0x8A) || b(2) == 0xA8 || b(2) == 0xA9 || b(2) == 0xAF)) {
        return 3; // U+2000..U+200A, U+2028, U+2029, U+202F
    }
    if (c == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) {
        return 3; // U+205F
    }
    if (c == 0xE3 && b(1) == 0x80 && b(2) == 0x80) {
        return 3; // U+3000
    }
    if (c == 0xEF && b(1) == 0xBB && b(2) == 0xBF) {
        return 3; // U+FEFF, also the byte order mark
    }
    return 0;
}

std::vector<Entry> lastWins(std::vector<Entry> entries) {
    std::vector<Entry> out;
    QHash<QString, std::size_t> where;
    for (auto& entry : entries) {
        const auto found = where.constFind(entry.name);
        if (found != where.constEnd()) {
            out[*found] = std::move(entry);
        } else {
            where.insert(entry.name, out.size());
            out.push_back(std::move(entry));
        }
    }
    return out;
}

bool isDotenvName(const QString& name) {
    if (name.isEmpty()) {
        return false;
    }
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'_' ||
                        u == u'.' || u == u'-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool isPortableName(const QString& name) {
    if (name.isEmpty() || (name.front() >= u'0' && name.front() <= u'9')) {
        return false;
    }
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

} // namespace detail
} // namespace coffer::model::dotenv
