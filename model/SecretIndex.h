// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"
#include "model/Store.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace coffer::model {

/// Every live secret of a vault in memory, searchable without touching the database: search runs on each
/// keystroke, so the vault is read once (one query) and the text to match is case-folded once.
///
/// Matching: the query is split at white space into words; a secret matches when every word occurs, ignoring
/// case (Unicode case folding), somewhere in its name, note or tags. Words match inside one field only, and in
/// any order. An empty query matches nothing. Deleted secrets are never listed.
class SecretIndex {
public:
    /// Reads every live secret of `store` (Store::allSecrets()); on error the index keeps what it had.
    [[nodiscard]] Result<void> load(Store& store);
    /// Replaces the content (for tests and benchmarks that build entries themselves).
    void assign(std::vector<ScopedSecret> secrets);
    /// Forgets everything and frees the memory (on lock).
    void clear();

    [[nodiscard]] int size() const noexcept { return static_cast<int>(m_secrets.size()); }
    [[nodiscard]] bool isEmpty() const noexcept { return m_secrets.empty(); }
    /// The entry at `position` (0 <= position < size()), in Store::allSecrets() order.
    [[nodiscard]] const ScopedSecret& at(int position) const { return m_secrets[static_cast<std::size_t>(position)]; }
    /// The position of `secretId`, or -1.
    [[nodiscard]] int positionOf(std::int64_t secretId) const;

    /// The case-folded words of `query` (empty for a blank query).
    [[nodiscard]] static QStringList words(const QString& query);
    /// True when every secret matching `words` also matches `previous`, so that searching only the previous
    /// matches gives the same answer (typing one more letter narrows the search).
    [[nodiscard]] static bool narrows(const QStringList& words, const QStringList& previous);

    /// Positions of the entries matching all of `words` (from words()), ascending.
    [[nodiscard]] std::vector<int> match(const QStringList& words) const;
    /// As match(), but only among `candidates` (ascending positions), e.g. the matches of a query these words
    /// narrow.
    [[nodiscard]] std::vector<int> match(const QStringList& words, const std::vector<int>& candidates) const;

private:
    [[nodiscard]] QStringView textOf(int position) const;
    [[nodiscard]] bool matchesAll(int position, const QStringList& words, qsizetype skip) const;

    std::vector<ScopedSecret> m_secrets;
    // The folded "name\nnote\ntag\ntag..." of every entry, one after the other in one buffer: a single search
    // over it finds the first word in all entries at memchr-like speed. m_starts[i] is where entry i begins;
    // m_starts.back() is the buffer's size. Words hold no white space, so they never span two fields.
    QString m_text;
    std::vector<qsizetype> m_starts;
};

} // namespace coffer::model
