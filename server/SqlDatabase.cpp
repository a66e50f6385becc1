// SPDX-License-Identifier: Apache-2.0
#include "server/SqlDatabase.h"

#include <charconv>
#include <limits>

namespace coffer::server {

const std::optional<std::string>* SqlRow::next() {
    if (m_error) {
        return nullptr;
    }
    if (m_next >= m_cells.size()) {
        fail("missing column");
        return nullptr;
    }
    return &m_cells[m_next++];
}

void SqlRow::fail(std::string_view what) {
    if (!m_error) {
        m_error = storeError(StoreErrorCode::Corrupt,
                             "unexpected value in column " + std::to_string(m_next) + ": " + std::string(what));
    }
}

std::string SqlRow::nextText() {
    const auto* cell = next();
    if (cell == nullptr) {
        return {};
    }
    if (!cell->has_value()) {
        fail("NULL where text was expected");
        return {};
    }
    return **cell;
}

std::optional<std::string> SqlRow::nextOptionalText() {
    const auto* cell = next();
    if (cell == nullptr) {
        return std::nullopt;
    }
    return *cell;
}

std::int64_t SqlRow::nextInteger() {
    const auto* cell = next();
    if (cell == nullptr) {
        return 0;
    }
    if (!cell->has_value()) {
        fail("NULL where an integer was expected");
        return 0;
    }
    const std::string& text = **cell;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        fail("not an integer");
        return 0;
    }
    return value;
}

std::uint64_t SqlRow::nextCount() {
    const std::int64_t value = nextInteger();
    if (value < 0) {
        fail("negative where a count or sequence number was expected");
        return 0;
    }
    return static_cast<std::uint64_t>(value);
}

bool SqlRow::nextBool() {
    const auto* cell = next();
    if (cell == nullptr) {
        return false;
    }
    // SQLite stores 0/1, PostgreSQL returns BOOLEAN as t/f in text format.
    if (cell->has_value() && (**cell == "1" || **cell == "t")) {
        return true;
    }
    if (cell->has_value() && (**cell == "0" || **cell == "f")) {
        return false;
    }
    fail("not a boolean");
    return false;
}

} // namespace coffer::server
