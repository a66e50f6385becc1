// SPDX-License-Identifier: Apache-2.0
// Shared by the TestDotenv* executables: byte helpers and the hard corpus every dialect is tried on.
#pragma once

#include "model/Dotenv.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <set>
#include <span>
#include <vector>

namespace coffer::model::dotenv::test {

using Pairs = QList<QPair<QString, QByteArray>>;

inline std::span<const std::byte> bytesOf(const QByteArray& text) {
    return std::as_bytes(std::span(text.constData(), static_cast<std::size_t>(text.size())));
}

inline QByteArray toBytes(const crypto::SecureBuffer& buffer) {
    return QByteArray(reinterpret_cast<const char*>(buffer.data()), static_cast<qsizetype>(buffer.size()));
}

inline Pairs pairsOf(const std::vector<Entry>& entries) {
    Pairs out;
    for (const auto& entry : entries) {
        out.append({entry.name, toBytes(entry.value)});
    }
    return out;
}

inline std::vector<Entry> entriesOf(const Pairs& pairs) {
    std::vector<Entry> out;
    for (const auto& [name, value] : pairs) {
        out.push_back(Entry{name, crypto::SecureBuffer::copyOf(std::string_view(value.constData(), value.size())), 0});
    }
    return out;
}

/// A value that breaks naive writers, and the dialects that cannot carry it.
struct HardValue {
    QString name;
    QByteArray value;
    std::set<Dialect> refusedBy;
};

inline std::vector<HardValue> hardCorpus() {
    const std::set<Dialect> none;
    return {
        {QStringLiteral("DOLLAR"), "$HOME ${PATH} $(id) $$", none},
        {QStringLiteral("SINGLE_QUOTE"), "it's 'quoted'", none},
        {QStringLiteral("DOUBLE_QUOTE"), "say \"hi\" \"", none},
        {QStringLiteral("BACKSLASH"), "C:\\path\\to\\new \\n \\r \\\\ x", none},
        {QStringLiteral("BACKSLASH_END"), "ends with \\", none},
        {QStringLiteral("EQUALS"), "a=b==c=", none},
        {QStringLiteral("HASH"), "#abc # not a comment#", none},
        {QStringLiteral("NEWLINES"), "line1\nline2\n\nline4\n", {Dialect::Docker}},
        {QStringLiteral("CRLF"), "a\r\nb\r", {Dialect::Docker, Dialect::Systemd}},
        {QStringLiteral("TABS"), "\tx\ty\t", none},
        {QStringLiteral("UNICODE"),
         "h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x94\x91 \xE6\x97\xA5\xE6\x9C\xAC \xC2\xA0nbsp\xC2\xA0", none},
        {QStringLiteral("LEADING_DASH"), "-rf --flag=1", none},
        {QStringLiteral("EMPTY"), "", none},
        {QStringLiteral("SPACES"), "  padded  ", none},
        {QStringLiteral("BACKTICKS"), "`uname -a`", none},
        {QStringLiteral("SUBSHELL"), "$(touch PWNED)", none},
        {QStringLiteral("SEMICOLON"), "a; rm -rf /tmp/x && echo | cat > y", none},
        {QStringLiteral("JSON_LIKE"), "{\"a\": [1, 2], \"b\": 'c'}", none},
        {QStringLiteral("ALL_QUOTES"), "'\"`", {Dialect::Dotenv}},
        {QStringLiteral("PEM"), "-----BEGIN KEY-----\nMIIB+/=\n-----END KEY-----", {Dialect::Docker}},
        {QStringLiteral("PLAIN"), "abc123", none},
    };
}

} // namespace coffer::model::dotenv::test
