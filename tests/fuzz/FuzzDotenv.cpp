// SPDX-License-Identifier: Apache-2.0
// The .env readers (model/Dotenv.h), every dialect. Input: one byte choosing the dialect, then the file.
// Properties beyond "no crash, no hang": whatever is read, writing it back in the same dialect (when the
// dialect can carry it) reads back to the same names and values, and so does merging a dotenv file's own
// values into it.

#include "model/Dotenv.h"
#include "tests/fuzz/FuzzSupport.h"

#include <array>
#include <map>
#include <string>

namespace {

using namespace coffer::model::dotenv;

constexpr std::array kDialects{Dialect::Dotenv,  Dialect::Docker, Dialect::Shell,
                               Dialect::Systemd, Dialect::Json,   Dialect::Yaml};

/// Name -> value, the last of repeated names winning (the readers' rule).
std::map<QString, std::string> valuesOf(const std::vector<Entry>& entries) {
    std::map<QString, std::string> out;
    for (const auto& entry : entries)
        out[entry.name] = std::string(entry.value.view());
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using coffer::fuzz::check;
    if (size == 0)
        return 0;
    const Dialect dialect = kDialects[data[0] % kDialects.size()];
    const auto text = coffer::fuzz::asBytes(data + 1, size - 1);

    const auto entries = read(dialect, text);
    if (!entries) {
        check(entries.error().line >= 0, "a parse error names a line");
        return 0;
    }
    const auto written = write(dialect, *entries);
    if (!written)
        return 0; // a value this dialect cannot carry; the writer must say so, which it did
    const auto back = read(dialect, written->bytes());
    check(back.has_value(), "what write() wrote reads back");
    check(valuesOf(*back) == valuesOf(*entries), "write() then read() keeps every name and value");
    if (dialect == Dialect::Dotenv) {
        // Merging a file's own values into it rewrites only value texts, and reads back the same. (Only
        // when write() carries them: a value ending in a backslash, which the reader takes from 'a\', is
        // never written quoted, by design; tests/fuzz/dotenv/merge-uncarriable-value.)
        const auto merged = merge(text, *entries);
        check(merged.has_value(), "merge accepts a file whose values write() carries");
        const auto again = read(dialect, merged->bytes());
        check(again.has_value(), "a merged file reads back");
        check(valuesOf(*again) == valuesOf(*entries), "merging a file's own values keeps them");
    }
    return 0;
}
