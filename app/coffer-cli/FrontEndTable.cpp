// SPDX-License-Identifier: Apache-2.0
// The front end's `ls` table: what cli::formatTable() and cli::isoTime() print, in plain C++ (FrontEnd.h).
#include "app/coffer-cli/FrontEnd.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coffer::cli::front {

namespace {

/// cli::isoTime() of the UTC time `ms` after 1970: "YYYY-MM-DDTHH:MM:SSZ", the milliseconds dropped. nullopt
/// outside the years 1 to 9999, which Qt writes its own way.
std::optional<std::string> isoTime(long long ms) {
    long long seconds = ms / 1000 - (ms % 1000 < 0 ? 1 : 0);
    long long days = seconds / 86400;
    long long clock = seconds % 86400;
    if (clock < 0) {
        clock += 86400;
        --days;
    }
    // Days to a proleptic Gregorian date (H. Hinnant's civil_from_days).
    const long long z = days + 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const long long dayOfEra = z - era * 146097;
    const long long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const long long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const long long shifted = (5 * dayOfYear + 2) / 153;
    const long long day = dayOfYear - (153 * shifted + 2) / 5 + 1;
    const long long month = shifted < 10 ? shifted + 3 : shifted - 9;
    const long long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 1 || year > 9999) {
        return std::nullopt;
    }
    std::string text = "0000-00-00T00:00:00Z";
    const auto put = [&text](std::size_t at, long long value, int digits) {
        for (int i = digits - 1; i >= 0; --i, value /= 10) {
            text[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
        }
    };
    put(0, year, 4);
    put(5, month, 2);
    put(8, day, 2);
    put(11, clock / 3600, 2);
    put(14, clock / 60 % 60, 2);
    put(17, clock % 60, 2);
    return text;
}

/// The code point starting at text[at] in strict UTF-8 (no overlong forms, no surrogates, at most U+10FFFF)
/// and its length in bytes; nullopt for anything else.
std::optional<std::pair<char32_t, std::size_t>> codePointAt(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    if (lead < 0x80) {
        return std::pair{char32_t{lead}, std::size_t{1}};
    }
    std::size_t length = 0;
    char32_t point = 0;
    char32_t least = 0;
    if ((lead & 0xe0) == 0xc0) {
        length = 2;
        point = lead & 0x1f;
        least = 0x80;
    } else if ((lead & 0xf0) == 0xe0) {
        length = 3;
        point = lead & 0x0f;
        least = 0x800;
    } else if ((lead & 0xf8) == 0xf0) {
        length = 4;
        point = lead & 0x07;
        least = 0x10000;
    } else {
        return std::nullopt;
    }
    if (text.size() - at < length) {
        return std::nullopt;
    }
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[at + i]);
        if ((next & 0xc0) != 0x80) {
            return std::nullopt;
        }
        point = (point << 6) | (next & 0x3f);
    }
    if (point < least || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) {
        return std::nullopt;
    }
    return std::pair{point, length};
}

/// The length in UTF-16 units (QString::size()) of UTF-8 text; nullopt for text that is not strict UTF-8 or
/// holds U+FEFF (a byte order mark Qt's decoder might treat its own way).
std::optional<std::size_t> utf16Length(std::string_view text) {
    std::size_t units = 0;
    for (std::size_t at = 0; at < text.size();) {
        const auto decoded = codePointAt(text, at);
        if (!decoded || decoded->first == 0xfeff) {
            return std::nullopt;
        }
        units += decoded->first >= 0x10000 ? 2 : 1;
        at += decoded->second;
    }
    return units;
}

/// QChar::isSpace(): tab to carriage return, and the Unicode separators (Zs, Zl, Zp) and U+0085.
bool isSpace(char32_t point) {
    return point == 0x20 || (point >= 0x09 && point <= 0x0d) || point == 0x85 || point == 0xa0 || point == 0x1680 ||
           (point >= 0x2000 && point <= 0x200a) || point == 0x2028 || point == 0x2029 || point == 0x202f ||
           point == 0x205f || point == 0x3000;
}

/// QStringView::trimmed() of valid UTF-8: white space (isSpace) removed from both ends.
std::string_view trimmed(std::string_view text) {
    while (!text.empty()) {
        const auto first = codePointAt(text, 0);
        if (!first || !isSpace(first->first)) {
            break;
        }
        text.remove_prefix(first->second);
    }
    while (!text.empty()) {
        std::size_t start = text.size() - 1;
        while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xc0) == 0x80) {
            --start;
        }
        const auto last = codePointAt(text, start);
        if (!last || !isSpace(last->first)) {
            break;
        }
        text.remove_suffix(text.size() - start);
    }
    return text;
}

} // namespace

std::optional<std::string> secretTable(std::span<const SecretLine> rows) {
    if (rows.empty()) {
        return std::string();
    }
    constexpr std::size_t kColumns = 5;
    std::vector<std::array<std::string, kColumns>> cells;
    cells.reserve(rows.size() + 1);
    cells.push_back({"NAME", "VERSION", "UPDATED", "BY", "TAGS"});
    for (const auto& row : rows) {
        auto time = isoTime(row.updatedMs);
        if (!time) {
            return std::nullopt;
        }
        std::string name(row.name);
        if (row.deleted) {
            name += " (deleted)";
        }
        std::string tags(row.tags);
        std::replace(tags.begin(), tags.end(), '\x1f', ',');
        cells.push_back(
            {std::move(name), std::to_string(row.version), std::move(*time), std::string(row.by), std::move(tags)});
    }
    std::vector<std::array<std::size_t, kColumns>> lengths(cells.size());
    std::array<std::size_t, kColumns> widths{};
    for (std::size_t r = 0; r < cells.size(); ++r) {
        for (std::size_t c = 0; c < kColumns; ++c) {
            const auto length = utf16Length(cells[r][c]);
            if (!length) {
                return std::nullopt;
            }
            lengths[r][c] = *length;
            widths[c] = std::max(widths[c], *length);
        }
    }
    std::string out;
    std::string line;
    for (std::size_t r = 0; r < cells.size(); ++r) {
        line.clear();
        for (std::size_t c = 0; c < kColumns; ++c) {
            line += cells[r][c];
            if (c + 1 < kColumns) {
                line.append(widths[c] + 2 - lengths[r][c], ' ');
            }
        }
        out += trimmed(line);
        out += '\n';
    }
    return out;
}

} // namespace coffer::cli::front
