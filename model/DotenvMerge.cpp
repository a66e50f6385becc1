// SPDX-License-Identifier: Apache-2.0
// Merging managed values into an existing .env file: only the value text of the names Coffer manages
// changes; every other byte (foreign names, comments, blank lines, line endings, `export`) stays.

#include "model/DotenvDetail.h"

#include <QHash>

namespace coffer::model::dotenv {

std::expected<crypto::SecureBuffer, ParseError> merge(std::span<const std::byte> existing,
                                                      const std::vector<Entry>& entries) {
    const auto original = detail::chars(existing);
    const auto normalised = detail::normaliseLineEnds(original);
    auto located = detail::parseDotenv(normalised.text.s);
    if (!located) {
        return std::unexpected(located.error());
    }
    // The last entry given for a name is the one that counts, as when the file is read.
    QHash<QString, std::size_t> wanted;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        wanted.insert(entries[i].name, i);
    }
    std::vector<bool> present(entries.size(), false);
    detail::Scratch out;
    std::size_t copied = 0;
    for (const auto& one : *located) {
        const auto found = wanted.constFind(one.entry.name);
        if (found == wanted.constEnd()) {
            continue;
        }
        auto text = detail::dotenvValueText(entries[*found].value.view());
        if (!text) {
            return std::unexpected(ParseError{one.entry.line, QStringLiteral("%1: no dotenv quoting carries the new "
                                                                             "value")
                                                                  .arg(one.entry.name)});
        }
        present[*found] = true;
        const auto from = normalised.origin[one.valueStart];
        const auto to = normalised.origin[one.valueEnd];
        out.s.append(original.substr(copied, from - copied));
        out.s.append(*text);
        crypto::wipe(*text);
        copied = to;
    }
    out.s.append(original.substr(copied));
    // New names go at the end, in the file's own line ending.
    const std::string_view eol = original.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (present[i] || wanted.value(entries[i].name) != i) {
            continue;
        }
        if (!detail::isDotenvName(entries[i].name)) {
            return std::unexpected(ParseError{0, QStringLiteral("%1: not a dotenv name").arg(entries[i].name)});
        }
        auto text = detail::dotenvValueText(entries[i].value.view());
        if (!text) {
            return std::unexpected(
                ParseError{0, QStringLiteral("%1: no dotenv quoting carries the value").arg(entries[i].name)});
        }
        if (!out.s.empty() && out.s.back() != '\n' && out.s.back() != '\r') {
            out.s.append(eol);
        }
        out.s.append(entries[i].name.toStdString());
        out.s.push_back('=');
        out.s.append(*text);
        out.s.append(eol);
        crypto::wipe(*text);
    }
    return detail::secureCopy(out.s);
}

} // namespace coffer::model::dotenv
