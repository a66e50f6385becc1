// SPDX-License-Identifier: Apache-2.0
// The systemd EnvironmentFile reader, a state machine after systemd's own src/basic/env-file.c so that an
// import reads a unit's file the way systemd does.

#include "model/DotenvDetail.h"

#include <algorithm>

namespace coffer::model::dotenv::detail {

namespace {

using Read = std::expected<std::vector<Entry>, ParseError>;

ParseError failure(int line, const char* what) {
    return ParseError{line, QString::fromUtf8(what)};
}

bool isBlank(char c) {
    return c == ' ' || c == '\t';
}

} // namespace

// systemd EnvironmentFile, following the state machine of systemd's env-file.c: comments (# or ;) only
// where a key may start, quotes only where a value (part) starts, backslash escapes, trailing blanks of
// unquoted values dropped, CR counts as a line end.
Read readSystemd(std::string_view text) {
    enum class State {
        PreKey,
        Key,
        PreValue,
        Value,
        ValueEscape,
        Single,
        Double,
        DoubleEscape,
        Comment,
        CommentEscape
    };
    std::vector<Entry> out;
    State state = State::PreKey;
    Scratch key;
    Scratch value;
    std::size_t keyEnd = 0;
    std::size_t valueKeep = 0;
    int line = 1;
    int entryLine = 1;
    const auto isNewline = [](char c) { return c == '\n' || c == '\r'; };
    const auto push = [&]() -> std::expected<void, ParseError> {
        key.s.resize(keyEnd);
        const QString name = QString::fromUtf8(key.s);
        if (!isPortableName(name)) {
            return std::unexpected(failure(entryLine, "systemd names are [A-Za-z_][A-Za-z0-9_]*"));
        }
        if (!isValidUtf8(value.s) || std::any_of(value.s.begin(), value.s.end(), [](char c) {
                const auto u = static_cast<unsigned char>(c);
                return (u < 0x20 && c != '\t' && c != '\n') || u == 0x7F;
            })) {
            return std::unexpected(failure(entryLine, "a value systemd refuses (not UTF-8, or control characters)"));
        }
        out.push_back(Entry{name, secureCopy(value.s), entryLine});
        crypto::wipe(key.s);
        crypto::wipe(value.s);
        key.s.clear();
        value.s.clear();
        return {};
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (state) {
        case State::PreKey:
            if (c == '#' || c == ';') {
                state = State::Comment;
            } else if (!isNewline(c) && !isBlank(c)) {
                state = State::Key, key.s.assign(1, c), keyEnd = 1, entryLine = line;
            }
            break;
        case State::Key:
            if (isNewline(c)) {
                return std::unexpected(failure(line, "a line without '='"));
            }
            if (c == '=') {
                state = State::PreValue, valueKeep = 0;
            } else {
                key.s.push_back(c);
                if (!isBlank(c)) {
                    keyEnd = key.s.size();
                }
            }
            break;
        case State::PreValue:
            if (isNewline(c)) {
                value.s.resize(valueKeep);
                if (auto pushed = push(); !pushed) {
                    return std::unexpected(pushed.error());
                }
                state = State::PreKey;
            } else if (c == '\'') {
                state = State::Single;
            } else if (c == '"') {
                state = State::Double;
            } else if (c == '\\') {
                state = State::ValueEscape;
            } else if (!isBlank(c)) {
                state = State::Value, value.s.push_back(c), valueKeep = value.s.size();
            }
            break;
        case State::Value:
            if (isNewline(c)) {
                value.s.resize(valueKeep);
                if (auto pushed = push(); !pushed) {
                    return std::unexpected(pushed.error());
                }
                state = State::PreKey;
            } else if (c == '\\') {
                state = State::ValueEscape;
            } else {
                value.s.push_back(c);
                if (!isBlank(c)) {
                    valueKeep = value.s.size();
                }
            }
            break;
        case State::ValueEscape:
            state = State::Value;
            if (!isNewline(c)) {
                value.s.push_back(c);
            }
            valueKeep = value.s.size();
            break;
        case State::Single:
            if (c == '\'') {
                state = State::PreValue, valueKeep = value.s.size();
            } else {
                value.s.push_back(c);
            }
            break;
        case State::Double:
            if (c == '"') {
                state = State::PreValue, valueKeep = value.s.size();
            } else if (c == '\\') {
                state = State::DoubleEscape;
            } else {
                value.s.push_back(c);
            }
            break;
        case State::DoubleEscape:
            state = State::Double;
            if (c == '"' || c == '\\' || c == '`' || c == '$') {
                value.s.push_back(c);
            } else if (c != '\n') {
                value.s.push_back('\\');
                value.s.push_back(c);
            }
            break;
        case State::Comment:
            if (c == '\\') {
                state = State::CommentEscape;
            } else if (isNewline(c)) {
                state = State::PreKey;
            }
            break;
        case State::CommentEscape:
            state = State::Comment;
            break;
        }
        if (c == '\n') {
            ++line;
        }
    }
    switch (state) {
    case State::Key:
        return std::unexpected(failure(line, "a line without '='"));
    case State::Single:
    case State::Double:
    case State::DoubleEscape:
        return std::unexpected(failure(entryLine, "a quote that is never closed"));
    case State::PreValue:
    case State::Value:
    case State::ValueEscape:
        value.s.resize(valueKeep);
        if (auto pushed = push(); !pushed) {
            return std::unexpected(pushed.error());
        }
        break;
    default:
        break;
    }
    return lastWins(std::move(out));
}

} // namespace coffer::model::dotenv::detail
