// SPDX-License-Identifier: Apache-2.0
// Readers for the dialects other than dotenv. Each reads what its writer writes plus the common hand-written
// forms of that format; anything else is a ParseError with the line, so an import never guesses.

#include "model/DotenvDetail.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>
#include <cctype>

namespace coffer::model::dotenv::detail {

namespace {

using Read = std::expected<std::vector<Entry>, ParseError>;

ParseError failure(int line, const char* what) {
    return ParseError{line, QString::fromUtf8(what)};
}

std::string_view withoutBom(std::string_view text) {
    return text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text;
}

bool isBlank(char c) {
    return c == ' ' || c == '\t';
}

bool isShellWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_./:@%+,=-").find(c) != std::string_view::npos || static_cast<unsigned char>(c) >= 0x80;
}

// Encodes a code point as UTF-8 (YAML escapes).
void appendUtf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// A YAML double-quoted scalar starting at s[i] == '"', on one line; i ends after the closing quote.
bool yamlDoubleQuoted(std::string_view s, std::size_t& i, std::string& out) {
    ++i;
    while (i < s.size()) {
        const char c = s[i++];
        if (c == '"') {
            return true;
        }
        if (c != '\\') {
            out.push_back(c);
            continue;
        }
        if (i >= s.size()) {
            return false;
        }
        const char e = s[i++];
        const std::string_view simple = "0abtnvfre \"/\\N_LP\t";
        static constexpr unsigned kSimple[] = {0,    7,    8,    9,    10,   11,   12,     13,     0x1B,
                                               0x20, 0x22, 0x2F, 0x5C, 0x85, 0xA0, 0x2028, 0x2029, 9};
        if (const auto k = simple.find(e); k != std::string_view::npos) {
            appendUtf8(out, kSimple[k]);
            continue;
        }
        const int digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
        if (digits == 0 || i + static_cast<std::size_t>(digits) > s.size()) {
            return false;
        }
        bool ok = false;
        const auto cp = QByteArray(s.data() + i, digits).toUInt(&ok, 16);
        if (!ok || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        appendUtf8(out, cp);
        i += static_cast<std::size_t>(digits);
    }
    return false;
}

bool yamlSingleQuoted(std::string_view s, std::size_t& i, std::string& out) {
    ++i;
    while (i < s.size()) {
        const char c = s[i++];
        if (c != '\'') {
            out.push_back(c);
        } else if (i < s.size() && s[i] == '\'') {
            out.push_back('\'');
            ++i;
        } else {
            return true;
        }
    }
    return false;
}

std::vector<std::string_view> splitLines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t at = 0;
    while (at <= text.size()) {
        auto nl = text.find('\n', at);
        if (nl == std::string_view::npos) {
            if (at < text.size()) {
                lines.push_back(text.substr(at));
            }
            break;
        }
        lines.push_back(text.substr(at, nl - at));
        at = nl + 1;
    }
    return lines;
}

} // namespace

// docker --env-file (docker/cli opts.ParseEnvFile): the line minus leading whitespace, split at the first
// '='; the value is everything after it, quotes and spaces included. Only a trailing CR goes (CRLF files).
Read readDocker(std::string_view text) {
    text = withoutBom(text);
    std::vector<Entry> out;
    const auto lines = splitLines(text);
    for (std::size_t n = 0; n < lines.size(); ++n) {
        const int line = static_cast<int>(n) + 1;
        auto content = lines[n];
        if (content.ends_with('\r')) {
            content.remove_suffix(1);
        }
        if (!isValidUtf8(content)) {
            return std::unexpected(failure(line, "not UTF-8 text (docker refuses it)"));
        }
        std::size_t start = 0;
        while (start < content.size() && jsSpaceAt(content, start) > 0) {
            start += jsSpaceAt(content, start);
        }
        content.remove_prefix(start);
        if (content.empty() || content.front() == '#') {
            continue;
        }
        const auto eq = content.find('=');
        if (eq == std::string_view::npos) {
            return std::unexpected(failure(line, "a name without '=': docker would take its value from the "
                                                 "environment, which an import cannot do"));
        }
        const auto name = content.substr(0, eq);
        if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) {
            return std::unexpected(failure(line, "the name is empty or holds whitespace"));
        }
        out.push_back(Entry{QString::fromUtf8(name), secureCopy(content.substr(eq + 1)), line});
    }
    return lastWins(std::move(out));
}

// The POSIX shell subset that is safe to read without a shell: [export] NAME=WORD where WORD joins
// single-quoted strings, backslash escapes and plain characters. Any expansion ($, `, ") is refused.
Read readShell(std::string_view text) {
    std::vector<Entry> out;
    std::size_t i = 0;
    int line = 1;
    const auto skipBlanks = [&] {
        while (i < text.size() && isBlank(text[i])) {
            ++i;
        }
    };
    const auto skipComment = [&] {
        while (i < text.size() && text[i] != '\n') {
            ++i;
        }
    };
    while (i < text.size()) {
        skipBlanks();
        if (i < text.size() && text[i] == '#') {
            skipComment();
        }
        if (i >= text.size()) {
            break;
        }
        if (text[i] == '\n') {
            ++i, ++line;
            continue;
        }
        const int start = line;
        if (text.substr(i, 7) == "export " || text.substr(i, 7) == "export\t") {
            i += 7;
            skipBlanks();
        }
        const std::size_t nameStart = i;
        while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) {
            ++i;
        }
        const QString name = QString::fromLatin1(text.substr(nameStart, i - nameStart));
        if (!isPortableName(name) || i >= text.size() || text[i] != '=') {
            return std::unexpected(failure(start, "expected [export ]NAME=value with NAME [A-Za-z_][A-Za-z0-9_]*"));
        }
        ++i;
        Scratch value;
        while (i < text.size() && !isBlank(text[i]) && text[i] != '\n') {
            const char c = text[i];
            if (c == '\'') {
                const auto close = text.find('\'', i + 1);
                if (close == std::string_view::npos) {
                    return std::unexpected(failure(start, "a quote that is never closed"));
                }
                const auto body = text.substr(i + 1, close - i - 1);
                line += static_cast<int>(std::count(body.begin(), body.end(), '\n'));
                value.s.append(body);
                i = close + 1;
            } else if (c == '\\' && i + 1 < text.size()) {
                if (text[i + 1] == '\n') {
                    ++line; // a line continuation, not a character
                } else {
                    value.s.push_back(text[i + 1]);
                }
                i += 2;
            } else if (isShellWordChar(c)) {
                value.s.push_back(c);
                ++i;
            } else {
                return std::unexpected(failure(line, "shell syntax Coffer does not read (only single quotes, "
                                                     "backslashes and plain characters; never $, ` or \")"));
            }
        }
        skipBlanks();
        if (i < text.size() && text[i] == '#') {
            skipComment();
        }
        if (i < text.size() && text[i] != '\n') {
            return std::unexpected(failure(line, "one assignment per line"));
        }
        out.push_back(Entry{name, secureCopy(value.s), start});
    }
    return lastWins(std::move(out));
}

// One JSON object of strings. Qt's parser holds the text in ordinary memory for the moment it parses;
// QJsonObject keeps keys sorted, so entries come back in name order.
Read readJson(std::string_view text) {
    text = withoutBom(text);
    QJsonParseError error{};
    const auto document =
        QJsonDocument::fromJson(QByteArray::fromRawData(text.data(), static_cast<qsizetype>(text.size())), &error);
    if (error.error != QJsonParseError::NoError) {
        const auto upTo = text.substr(0, static_cast<std::size_t>(std::max(0, error.offset)));
        return std::unexpected(ParseError{1 + static_cast<int>(std::count(upTo.begin(), upTo.end(), '\n')),
                                          QStringLiteral("not valid JSON: %1").arg(error.errorString())});
    }
    if (!document.isObject()) {
        return std::unexpected(failure(1, "the JSON is not one object of NAME: \"value\" pairs"));
    }
    std::vector<Entry> out;
    const auto object = document.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!it.value().isString()) {
            return std::unexpected(ParseError{0, QStringLiteral("the value of %1 is not a string").arg(it.key())});
        }
        QByteArray bytes = it.value().toString().toUtf8();
        out.push_back(Entry{it.key(), secureCopy(std::string_view(bytes.constData(), bytes.size())), 0});
        crypto::wipe(std::as_writable_bytes(std::span(bytes.data(), static_cast<std::size_t>(bytes.size()))));
    }
    return out;
}

// A flat YAML mapping of scalars, one per line: NAME: value, plain, 'single' or "double" quoted, with
// comments, blank lines and a leading ---. Block scalars, nesting, flow collections, anchors and tags are
// refused rather than half-read.
Read readYaml(std::string_view text) {
    text = withoutBom(text);
    std::vector<Entry> out;
    const auto lines = splitLines(text);
    for (std::size_t n = 0; n < lines.size(); ++n) {
        const int line = static_cast<int>(n) + 1;
        auto s = lines[n];
        if (s.ends_with('\r')) {
            s.remove_suffix(1);
        }
        std::size_t i = 0;
        while (i < s.size() && isBlank(s[i])) {
            ++i;
        }
        if (i == s.size() || s[i] == '#' || (out.empty() && s == "---") || s == "..." || (out.empty() && s == "{}")) {
            continue;
        }
        if (i != 0) {
            return std::unexpected(failure(line, "indented YAML (nesting or continuation) is not read"));
        }
        Scratch key;
        if (s[0] == '"' || s[0] == '\'') {
            if (!(s[0] == '"' ? yamlDoubleQuoted(s, i, key.s) : yamlSingleQuoted(s, i, key.s))) {
                return std::unexpected(failure(line, "a quoted key that is never closed on its line"));
            }
        } else {
            while (i < s.size() && !(s[i] == ':' && (i + 1 == s.size() || isBlank(s[i + 1])))) {
                ++i;
            }
            key.s.assign(s.substr(0, i));
        }
        if (i >= s.size() || s[i] != ':' || (i + 1 < s.size() && !isBlank(s[i + 1]))) {
            return std::unexpected(failure(line, "expected NAME: value"));
        }
        ++i;
        while (i < s.size() && isBlank(s[i])) {
            ++i;
        }
        Scratch value;
        if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
            if (!(s[i] == '"' ? yamlDoubleQuoted(s, i, value.s) : yamlSingleQuoted(s, i, value.s))) {
                return std::unexpected(failure(line, "a quoted value that is never closed on its line"));
            }
            while (i < s.size() && isBlank(s[i])) {
                ++i;
            }
            if (i < s.size() && s[i] != '#') {
                return std::unexpected(failure(line, "text after the closing quote"));
            }
        } else if (i < s.size() && std::string_view("|>[{&*!%@`").find(s[i]) != std::string_view::npos) {
            return std::unexpected(failure(line, "YAML block scalars, collections, anchors and tags are not read"));
        } else {
            std::size_t end = i;
            while (end < s.size() && !(s[end] == '#' && end > i && isBlank(s[end - 1]))) {
                ++end;
            }
            auto plain = s.substr(i, end - i);
            while (!plain.empty() && isBlank(plain.back())) {
                plain.remove_suffix(1);
            }
            value.s.assign(plain);
        }
        if (!isValidUtf8(value.s) || !isValidUtf8(key.s)) {
            return std::unexpected(failure(line, "not UTF-8 text"));
        }
        out.push_back(Entry{QString::fromUtf8(key.s), secureCopy(value.s), line});
    }
    return lastWins(std::move(out));
}

} // namespace coffer::model::dotenv::detail
