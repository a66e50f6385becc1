// SPDX-License-Identifier: Apache-2.0
// The writers, one per dialect. Each refuses, naming the secret, a name or value its format cannot carry,
// rather than writing something that another tool would read differently.

#include "model/DotenvDetail.h"

#include <QStringList>

#include <algorithm>

namespace coffer::model::dotenv::detail {

namespace {

using Written = std::expected<crypto::SecureBuffer, WriteError>;

WriteError refuse(const QString& name, const char* why) {
    return WriteError{name, QStringLiteral("%1: %2").arg(name, QString::fromUtf8(why))};
}

bool isPlain(std::string_view value) {
    for (const char c : value) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        std::string_view("_./:@+,%=-").find(c) != std::string_view::npos;
        if (!ok) {
            return false;
        }
    }
    return true;
}

void appendHex(std::string& out, unsigned value, int digits) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
        out.push_back(kHex[(value >> shift) & 0xF]);
    }
}

// Decodes the (valid) UTF-8 code point at i and moves i past it.
unsigned nextCodePoint(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
        ++i;
        return c;
    }
    const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    unsigned cp = c & (len == 2 ? 0x1FU : len == 3 ? 0x0FU : 0x07U);
    for (std::size_t k = 1; k < len; ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3FU);
    }
    i += len;
    return cp;
}

// U+FEFF, U+2028 and U+2029 go as escapes: Qt's UTF-8 decoding drops a BOM at the start of a string, and
// JavaScript before ES2019 cannot hold the separators in a string literal.
void jsonString(std::string& out, std::string_view s) {
    out.push_back('"');
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char ch = s[i];
        const auto c = static_cast<unsigned char>(ch);
        const auto tail = s.substr(i, 3);
        if (tail == "\xEF\xBB\xBF" || tail == "\xE2\x80\xA8" || tail == "\xE2\x80\xA9") {
            out += tail == "\xEF\xBB\xBF" ? "\\ufeff" : tail == "\xE2\x80\xA8" ? "\\u2028" : "\\u2029";
            i += 2;
            continue;
        }
        switch (ch) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20 || c == 0x7F) {
                out += "\\u";
                appendHex(out, c, 4);
            } else {
                out.push_back(ch);
            }
        }
    }
    out.push_back('"');
}

// YAML double-quoted scalar: everything outside YAML's printable set, and line and paragraph separators
// and the BOM that editors treat specially, goes as an escape, so the file stays one line per entry.
void yamlString(std::string& out, std::string_view s) {
    out.push_back('"');
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t start = i;
        const unsigned cp = nextCodePoint(s, i);
        if (cp == '"' || cp == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(cp));
        } else if (cp == '\n') {
            out += "\\n";
        } else if (cp == '\t') {
            out += "\\t";
        } else if (cp == 0) {
            out += "\\0";
        } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
            out += "\\x";
            appendHex(out, cp, 2);
        } else if (cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF) {
            out += "\\u";
            appendHex(out, cp, 4);
        } else {
            out.append(s.substr(start, i - start));
        }
    }
    out.push_back('"');
}

bool isYamlPlainKey(const QString& name) {
    static const QStringList kTyped{QStringLiteral("y"),  QStringLiteral("n"),    QStringLiteral("yes"),
                                    QStringLiteral("no"), QStringLiteral("true"), QStringLiteral("false"),
                                    QStringLiteral("on"), QStringLiteral("off"),  QStringLiteral("null")};
    return isPortableName(name) && !kTyped.contains(name, Qt::CaseInsensitive);
}

bool hasByte(std::string_view s, char c) {
    return s.find(c) != std::string_view::npos;
}

bool hasControl(std::string_view s, std::string_view allowed) {
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 || c == 0x7F) && !hasByte(allowed, ch)) {
            return true;
        }
    }
    return false;
}

// One line for one entry, or the reason it cannot be written.
std::expected<void, WriteError> appendEntry(Dialect dialect, std::string& out, const Entry& entry) {
    const QString& name = entry.name;
    const std::string_view value = entry.value.view();
    const QByteArray key = name.toUtf8();
    const bool text = isValidUtf8(value);
    switch (dialect) {
    case Dialect::Dotenv: {
        if (!isDotenvName(name)) {
            return std::unexpected(refuse(name, "dotenv names are letters, digits, '_', '.' and '-'"));
        }
        if (!text || hasByte(value, '\0')) {
            return std::unexpected(refuse(name, "dotenv files carry only UTF-8 text without NUL bytes"));
        }
        auto written = dotenvValueText(value);
        if (!written) {
            return std::unexpected(refuse(name, "no dotenv quoting carries this value (it ends with a "
                                                "backslash, or holds all three quote characters, or a carriage "
                                                "return and a literal \\n or \\r)"));
        }
        out += key.toStdString();
        out.push_back('=');
        out += *written;
        out.push_back('\n');
        crypto::wipe(*written);
        return {};
    }
    case Dialect::Docker:
        if (name.isEmpty() || name.contains(u'=') || name.startsWith(u'#') ||
            std::any_of(name.begin(), name.end(), [](QChar c) { return c.isSpace(); })) {
            return std::unexpected(refuse(name, "docker names cannot be empty, start with '#' or hold '=' or spaces"));
        }
        if (hasByte(value, '\n') || hasByte(value, '\0') || (!value.empty() && value.back() == '\r')) {
            return std::unexpected(refuse(name, "docker --env-file has no quoting: a value cannot span lines, end "
                                                "with a carriage return or hold a NUL byte"));
        }
        if (!text) {
            return std::unexpected(refuse(name, "docker --env-file refuses bytes that are not UTF-8"));
        }
        out.append(key.constData(), static_cast<std::size_t>(key.size()));
        out.push_back('=');
        out.append(value);
        out.push_back('\n');
        return {};
    case Dialect::Shell:
        if (!isPortableName(name)) {
            return std::unexpected(refuse(name, "shell names are [A-Za-z_][A-Za-z0-9_]*"));
        }
        if (hasByte(value, '\0')) {
            return std::unexpected(refuse(name, "a shell variable cannot hold a NUL byte"));
        }
        // Single quotes end every expansion ($, `, \); a quote inside is closed, escaped and reopened.
        out += "export " + key.toStdString() + "='";
        for (const char c : value) {
            if (c == '\'') {
                out += "'\\''";
            } else {
                out.push_back(c);
            }
        }
        out += "'\n";
        return {};
    case Dialect::Systemd:
        if (!isPortableName(name)) {
            return std::unexpected(refuse(name, "systemd names are [A-Za-z_][A-Za-z0-9_]*"));
        }
        if (!text || hasControl(value, "\t\n")) {
            return std::unexpected(refuse(name, "systemd accepts only UTF-8 values without control characters "
                                                "other than tab and newline"));
        }
        out += key.toStdString() + "=\"";
        for (const char c : value) {
            if (c == '"' || c == '\\' || c == '`' || c == '$') {
                out.push_back('\\');
            }
            out.push_back(c);
        }
        out += "\"\n";
        return {};
    case Dialect::Json:
        // \u0000 is valid JSON, but Qt's reader does not give it back, so NUL is refused like elsewhere.
        if (!text || hasByte(value, '\0')) {
            return std::unexpected(refuse(name, "JSON values here are UTF-8 text without NUL bytes"));
        }
        out += out.size() > 2 ? ",\n    " : "    ";
        jsonString(out, key.toStdString());
        out += ": ";
        jsonString(out, value);
        return {};
    case Dialect::Yaml:
        if (!text) {
            return std::unexpected(refuse(name, "YAML strings are UTF-8 text"));
        }
        if (isYamlPlainKey(name)) {
            out += key.toStdString();
        } else {
            yamlString(out, key.toStdString());
        }
        out += ": ";
        yamlString(out, value);
        out.push_back('\n');
        return {};
    }
    return std::unexpected(refuse(name, "unknown dialect"));
}

} // namespace

std::optional<std::string> dotenvValueText(std::string_view value) {
    const bool endsInBackslash = !value.empty() && value.back() == '\\';
    std::vector<std::string> candidates;
    if (isPlain(value)) {
        candidates.emplace_back(value);
    }
    // Single quotes are literal in Node, python-dotenv and compose alike (and never interpolate $).
    if (!hasByte(value, '\'') && !hasByte(value, '\r') && !endsInBackslash) {
        candidates.push_back('\'' + std::string(value) + '\'');
    }
    // Double quotes: Node turns \n and \r into line breaks, so a value holding those two characters, or a
    // quote without a backslash before it, cannot use them.
    bool doubleOk =
        !endsInBackslash && value.find("\\n") == std::string_view::npos && value.find("\\r") == std::string_view::npos;
    for (std::size_t i = 0; doubleOk && i < value.size(); ++i) {
        doubleOk = value[i] != '"' || (i > 0 && value[i - 1] == '\\');
    }
    if (doubleOk) {
        std::string quoted = "\"";
        for (const char c : value) {
            quoted += c == '\n' ? std::string("\\n") : c == '\r' ? std::string("\\r") : std::string(1, c);
        }
        candidates.push_back(quoted + '"');
    }
    if (!hasByte(value, '`') && !hasByte(value, '\r') && !endsInBackslash) {
        candidates.push_back('`' + std::string(value) + '`');
    }
    // Last resort, for a value holding all three quotes: bare, when Node reads it back unchanged. Not with
    // U+2028/U+2029, which Node's regex treats as line ends (docs/dotenv.md).
    if (!isPlain(value) && value.find("\xE2\x80\xA8") == std::string_view::npos &&
        value.find("\xE2\x80\xA9") == std::string_view::npos) {
        candidates.emplace_back(value);
    }
    // Proof by reading back: the first form the reader returns byte-exact is the one written.
    std::optional<std::string> chosen;
    for (auto& candidate : candidates) {
        if (!chosen) {
            Scratch line;
            line.s = "N=" + candidate + '\n';
            auto parsed = readDotenv(line.s); // with CR normalised, as a file is read
            if (parsed && parsed->size() == 1 && parsed->front().value.view() == value) {
                chosen = candidate;
            }
        }
        crypto::wipe(candidate);
    }
    return chosen;
}

std::expected<crypto::SecureBuffer, WriteError> writeText(Dialect dialect, const std::vector<Entry>& entries) {
    Scratch out;
    if (dialect == Dialect::Json) {
        out.s = "{\n";
    }
    for (const auto& entry : entries) {
        auto appended = appendEntry(dialect, out.s, entry);
        if (!appended) {
            return std::unexpected(appended.error());
        }
    }
    if (dialect == Dialect::Json) {
        out.s += entries.empty() ? "}\n" : "\n}\n";
    } else if (dialect == Dialect::Yaml && entries.empty()) {
        out.s = "{}\n";
    }
    return secureCopy(out.s);
}

} // namespace coffer::model::dotenv::detail
