// SPDX-License-Identifier: Apache-2.0
#include "model/SecretIndex.h"

#include <algorithm>

namespace coffer::model {
namespace {

constexpr QChar kFieldSeparator = u'\n';

// "name\nnote\ntag\ntag\n": each field ends with a separator, so the next entry's name starts after one too.
void appendFields(QString& text, const SecretSummary& secret) {
    text += secret.name;
    text += kFieldSeparator;
    text += secret.note;
    text += kFieldSeparator;
    for (const QString& tag : secret.tags) {
        text += tag;
        text += kFieldSeparator;
    }
}

} // namespace

Result<void> SecretIndex::load(Store& store) {
    auto secrets = store.allSecrets();
    if (!secrets) {
        return std::unexpected(secrets.error());
    }
    assign(std::move(*secrets));
    return {};
}

void SecretIndex::assign(std::vector<ScopedSecret> secrets) {
    m_secrets = std::move(secrets);
    m_text.clear();
    m_starts.clear();
    m_starts.reserve(m_secrets.size() + 1);
    qsizetype total = 0;
    for (const auto& entry : m_secrets) {
        total += entry.secret.name.size() + entry.secret.note.size() + 2;
        for (const QString& tag : entry.secret.tags) {
            total += tag.size() + 1;
        }
    }
    m_text.reserve(total);
    for (const auto& entry : m_secrets) {
        m_starts.push_back(m_text.size());
        appendFields(m_text, entry.secret);
    }
    // One pass over one buffer rather than 300k small strings. Simple case folding keeps the length, so the
    // starts still hold; should folding ever change a length, fold entry by entry instead.
    QString folded = m_text.toCaseFolded();
    if (folded.size() != m_text.size()) {
        folded.clear();
        m_starts.clear();
        for (const auto& entry : m_secrets) {
            m_starts.push_back(folded.size());
            QString fields;
            appendFields(fields, entry.secret);
            folded += fields.toCaseFolded();
        }
    }
    m_text = std::move(folded);
    m_starts.push_back(m_text.size());
}

void SecretIndex::clear() {
    m_secrets = {};
    m_text = QString();
    m_starts = {};
}

int SecretIndex::positionOf(std::int64_t secretId) const {
    const auto found = std::find_if(m_secrets.begin(), m_secrets.end(),
                                    [&](const ScopedSecret& entry) { return entry.secret.id == secretId; });
    return found == m_secrets.end() ? -1 : static_cast<int>(found - m_secrets.begin());
}

QStringList SecretIndex::words(const QString& query) {
    const QString folded = query.simplified().toCaseFolded();
    return folded.isEmpty() ? QStringList{} : folded.split(u' ');
}

bool SecretIndex::narrows(const QStringList& words, const QStringList& previous) {
    if (previous.isEmpty()) {
        return false; // the previous query matched nothing because it was blank, not because nothing matches
    }
    // A secret holding a word also holds every part of it: each previous word must be part of a new one.
    return std::all_of(previous.begin(), previous.end(), [&](const QString& old) {
        return std::any_of(words.begin(), words.end(), [&](const QString& word) { return word.contains(old); });
    });
}

QStringView SecretIndex::textOf(int position) const {
    const auto i = static_cast<std::size_t>(position);
    return QStringView(m_text).sliced(m_starts[i], m_starts[i + 1] - m_starts[i]);
}

bool SecretIndex::matchesAll(int position, const QStringList& words, qsizetype skip) const {
    const QStringView text = textOf(position);
    for (qsizetype i = 0; i < words.size(); ++i) {
        if (i != skip && !text.contains(words[i])) {
            return false;
        }
    }
    return true;
}

std::vector<int> SecretIndex::match(const QStringList& words) const {
    std::vector<int> found;
    if (words.isEmpty() || m_secrets.empty()) {
        return found;
    }
    // The longest word is usually the rarest: scan the whole buffer for it, then check the others per hit.
    qsizetype longest = 0;
    for (qsizetype i = 1; i < words.size(); ++i) {
        if (words[i].size() > words[longest].size()) {
            longest = i;
        }
    }
    const QStringView text(m_text);
    const QString& needle = words[longest];
    auto entryEnd = m_starts.begin() + 1;
    for (qsizetype at = text.indexOf(needle); at >= 0;) {
        // The entry holding `at`: the first start past it, searched from the last hit (hits only move forward).
        entryEnd = std::upper_bound(entryEnd, m_starts.end(), at);
        const int position = static_cast<int>(entryEnd - m_starts.begin()) - 1;
        if (matchesAll(position, words, longest)) {
            found.push_back(position);
        }
        // One hit per entry is enough: go on from the next entry.
        at = *entryEnd < text.size() ? text.indexOf(needle, *entryEnd) : -1;
    }
    return found;
}

std::vector<int> SecretIndex::match(const QStringList& words, const std::vector<int>& candidates) const {
    std::vector<int> found;
    if (words.isEmpty()) {
        return found;
    }
    for (const int position : candidates) {
        if (position >= 0 && position < size() && matchesAll(position, words, -1)) {
            found.push_back(position);
        }
    }
    return found;
}

} // namespace coffer::model
