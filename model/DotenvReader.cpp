// SPDX-License-Identifier: Apache-2.0
// The dotenv dialect reader. It accepts exactly what Node dotenv v16's LINE regex parses and gives the same
// values; where Node silently skips or mangles a line, it stops with a ParseError instead (docs/dotenv.md).

#include "model/DotenvDetail.h"

namespace coffer::model::dotenv::detail {

namespace {

bool isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
}

bool isQuote(char c) {
    return c == '\'' || c == '"' || c == '`';
}

class Parser {
public:
    explicit Parser(std::string_view text)
        : m_text(text) {}

    std::expected<std::vector<Located>, ParseError> run() {
        std::vector<Located> out;
        while (m_pos < m_text.size()) {
            auto entry = statement();
            if (!entry) {
                return std::unexpected(entry.error());
            }
            if (entry->has_value()) {
                out.push_back(std::move(**entry));
            }
        }
        return out;
    }

private:
    using Step = std::expected<std::optional<Located>, ParseError>;

    // Whitespace as Node's \s sees it, but never the line end: Coffer reads one statement per line.
    std::size_t skipBlanks(std::size_t at) const {
        while (at < m_text.size() && m_text[at] != '\n') {
            const auto n = jsSpaceAt(m_text, at);
            if (n == 0) {
                break;
            }
            at += n;
        }
        return at;
    }

    std::size_t lineEnd(std::size_t at) const {
        const auto nl = m_text.find('\n', at);
        return nl == std::string_view::npos ? m_text.size() : nl;
    }

    // Moves past the line ending at `end`, counting the newlines crossed since the statement began.
    void finishAt(std::size_t end) {
        for (std::size_t i = m_pos; i < end && i < m_text.size(); ++i) {
            if (m_text[i] == '\n') {
                ++m_line;
            }
        }
        m_pos = end;
        if (m_pos < m_text.size()) {
            ++m_pos; // the '\n'
            ++m_line;
        }
    }

    // After a closing quote Node's regex allows only whitespace and a # comment up to the line end.
    bool restIsComment(std::size_t at) const {
        at = skipBlanks(at);
        return at >= m_text.size() || m_text[at] == '\n' || m_text[at] == '#';
    }

    ParseError error(int line, const char* what) const { return ParseError{line, QString::fromUtf8(what)}; }

    // NAME up to the separator; npos when this is not a NAME=… or NAME: … line.
    std::size_t nameAndSeparator(std::size_t at, std::size_t& nameEnd) const {
        std::size_t end = at;
        while (end < m_text.size() && isNameChar(m_text[end])) {
            ++end;
        }
        if (end == at) {
            return std::string_view::npos;
        }
        nameEnd = end;
        if (end < m_text.size() && m_text[end] == ':') {
            const auto blank = jsSpaceAt(m_text, end + 1);
            if (blank > 0 && m_text[end + 1] != '\n') {
                return end + 1 + blank; // Node: `:\s+?`, one whitespace at least
            }
        }
        const auto eq = skipBlanks(end);
        if (eq < m_text.size() && m_text[eq] == '=') {
            return eq + 1;
        }
        return std::string_view::npos;
    }

    Step statement() {
        const int line = m_line;
        std::size_t at = skipBlanks(m_pos);
        if (at >= m_text.size() || m_text[at] == '\n' || m_text[at] == '#') {
            finishAt(lineEnd(at));
            return std::optional<Located>{};
        }
        // `export NAME=` — but `export=1` and `export =1` name a variable called export, as in Node.
        std::size_t nameStart = at;
        std::size_t nameEnd = 0;
        std::size_t valueAt = std::string_view::npos;
        if (m_text.substr(at, 6) == "export") {
            const auto blank = jsSpaceAt(m_text, at + 6);
            if (blank > 0 && m_text[at + 6] != '\n') {
                const auto afterExport = skipBlanks(at + 6);
                valueAt = nameAndSeparator(afterExport, nameEnd);
                if (valueAt != std::string_view::npos) {
                    nameStart = afterExport;
                }
            }
        }
        if (valueAt == std::string_view::npos) {
            valueAt = nameAndSeparator(at, nameEnd);
        }
        if (valueAt == std::string_view::npos) {
            std::size_t end = at;
            while (end < m_text.size() && isNameChar(m_text[end])) {
                ++end;
            }
            const auto next = skipBlanks(end);
            if (end == at || (next < m_text.size() && m_text[next] != '\n')) {
                return std::unexpected(error(line, "not a NAME=value line: names are letters, digits, '_', '.' "
                                                   "and '-', optionally after 'export '"));
            }
            return std::unexpected(error(line, "a name without '=' (or ': ') and a value"));
        }
        Located located;
        located.entry.name = QString::fromLatin1(m_text.substr(nameStart, nameEnd - nameStart));
        located.entry.line = line;
        const std::size_t start = skipBlanks(valueAt);
        located.valueStart = start;
        if (start < m_text.size() && isQuote(m_text[start])) {
            return quoted(std::move(located), start, line);
        }
        // Unquoted: up to a '#' or the line end, trimmed like String.prototype.trim().
        std::size_t end = start;
        std::size_t lastSolid = start;
        while (end < m_text.size() && m_text[end] != '\n' && m_text[end] != '#') {
            const auto blank = jsSpaceAt(m_text, end);
            if (blank > 0) {
                end += blank;
            } else {
                ++end;
                lastSolid = end;
            }
        }
        located.valueEnd = lastSolid;
        located.entry.value = secureCopy(m_text.substr(start, lastSolid - start));
        finishAt(lineEnd(end));
        return std::optional<Located>{std::move(located)};
    }

    // Node's `'(?:\\'|[^'])*'` is greedy with backtracking: the content runs to the first quote not paired
    // with a preceding backslash, and if the line does not end after it, each earlier `\'` is tried as the
    // closing quote instead, the latest first.
    Step quoted(Located located, std::size_t open, int line) {
        const char q = m_text[open];
        std::vector<std::size_t> closes;
        bool bare = false;
        std::size_t i = open + 1;
        while (i < m_text.size()) {
            if (m_text[i] == '\\' && i + 1 < m_text.size() && m_text[i + 1] == q) {
                closes.push_back(i + 1);
                i += 2;
            } else if (m_text[i] == q) {
                closes.push_back(i);
                bare = true;
                break;
            } else {
                ++i;
            }
        }
        for (auto it = closes.rbegin(); it != closes.rend(); ++it) {
            if (!restIsComment(*it + 1)) {
                continue;
            }
            Scratch value;
            value.s.assign(m_text.substr(open + 1, *it - open - 1));
            if (q == '"') {
                expandNewlines(value.s);
            }
            located.valueEnd = *it + 1;
            located.entry.value = secureCopy(value.s);
            finishAt(lineEnd(*it + 1));
            return std::optional<Located>{std::move(located)};
        }
        if (bare) {
            return std::unexpected(error(line, "text after the closing quote (only a # comment may follow it)"));
        }
        return std::unexpected(error(line, "a quote that is never closed"));
    }

    // Inside double quotes Node turns the two characters \n and \r into a newline and a carriage return,
    // and nothing else: `\\n` becomes a backslash and a newline, `\"` stays as it is.
    static void expandNewlines(std::string& s) {
        std::size_t out = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == 'n' || s[i + 1] == 'r')) {
                s[out++] = s[i + 1] == 'n' ? '\n' : '\r';
                ++i;
            } else {
                s[out++] = s[i];
            }
        }
        crypto::wipe(std::as_writable_bytes(std::span(s.data() + out, s.size() - out)));
        s.resize(out);
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    int m_line = 1;
};

} // namespace

Normalised normaliseLineEnds(std::string_view text) {
    Normalised out;
    out.text.s.reserve(text.size());
    out.origin.reserve(text.size() + 1);
    for (std::size_t i = 0; i < text.size(); ++i) {
        out.origin.push_back(i);
        if (text[i] == '\r') {
            out.text.s.push_back('\n');
            if (i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
        } else {
            out.text.s.push_back(text[i]);
        }
    }
    out.origin.push_back(text.size());
    return out;
}

std::expected<std::vector<Located>, ParseError> parseDotenv(std::string_view normalised) {
    return Parser(normalised).run();
}

std::expected<std::vector<Entry>, ParseError> readDotenv(std::string_view text) {
    const auto normalised = normaliseLineEnds(text);
    auto located = parseDotenv(normalised.text.s);
    if (!located) {
        return std::unexpected(located.error());
    }
    std::vector<Entry> entries;
    entries.reserve(located->size());
    for (auto& one : *located) {
        entries.push_back(std::move(one.entry));
    }
    return lastWins(std::move(entries));
}

} // namespace coffer::model::dotenv::detail
