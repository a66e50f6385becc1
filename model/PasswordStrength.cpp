// SPDX-License-Identifier: Apache-2.0
#include "model/PasswordStrength.h"

#include "crypto/SecureBuffer.h"

#include <zxcvbn.h>

#include <QByteArray>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <vector>

namespace coffer::model {
namespace {

constexpr std::array<double, PasswordStrength::kMaxScore> kThresholds = {20.0, 40.0, 55.0, 75.0};

// zxcvbn reports each part of the password with how it was guessed. The advice names the most telling
// weakness: the user's own words first (they are what an attacker of this file tries first), then the
// patterns. Only parts that are cheap to guess count: a dictionary word inside a long random string is fine.
PasswordStrength::Hint hintFor(const ZxcMatch_t* matches, int score) {
    using Hint = PasswordStrength::Hint;
    bool user = false;
    Hint pattern = Hint::AddLength;
    for (const ZxcMatch_t* m = matches; m != nullptr; m = m->Next) {
        switch (static_cast<int>(m->Type) & ~static_cast<int>(MULTIPLE_MATCH)) {
        case USER_MATCH:
        case USER_LEET_MATCH:
            user = true;
            break;
        case DICTIONARY_MATCH:
        case DICT_LEET_MATCH:
            if (pattern == Hint::AddLength) {
                pattern = Hint::CommonWord;
            }
            break;
        case SPATIAL_MATCH:
            pattern = Hint::KeyboardPattern;
            break;
        case SEQUENCE_MATCH:
            if (pattern != Hint::KeyboardPattern) {
                pattern = Hint::Sequence;
            }
            break;
        case REPEATS_MATCH:
            if (pattern == Hint::AddLength || pattern == Hint::CommonWord) {
                pattern = Hint::Repeats;
            }
            break;
        case DATE_MATCH:
        case YEAR_MATCH:
            if (pattern == Hint::AddLength || pattern == Hint::CommonWord) {
                pattern = Hint::Dates;
            }
            break;
        default:
            break;
        }
        if ((static_cast<int>(m->Type) & static_cast<int>(MULTIPLE_MATCH)) != 0 && pattern == Hint::AddLength) {
            pattern = Hint::Repeats;
        }
    }
    if (user) {
        return Hint::UserWord;
    }
    if (score >= 3) {
        return Hint::Good;
    }
    return pattern;
}

} // namespace

int PasswordStrength::scoreFor(double bits) noexcept {
    int score = 0;
    while (score < kMaxScore && bits >= kThresholds[static_cast<std::size_t>(score)]) {
        ++score;
    }
    return score;
}

PasswordStrength PasswordStrength::estimate(std::string_view password, const QStringList& userWords) {
    if (password.empty()) {
        return {};
    }
    // zxcvbn wants a NUL-terminated string: build it in guarded memory, wiped when this returns.
    crypto::SecureBuffer terminated(password.size() + 1);
    std::memcpy(terminated.data(), password.data(), password.size());

    std::vector<QByteArray> words;
    words.reserve(static_cast<std::size_t>(userWords.size()));
    std::vector<const char*> dictionary;
    for (const QString& word : userWords) {
        words.push_back(word.toUtf8());
        dictionary.push_back(words.back().constData());
    }
    dictionary.push_back(nullptr);

    ZxcMatch_t* matches = nullptr;
    const double bits = ZxcvbnMatch(reinterpret_cast<const char*>(terminated.data()), dictionary.data(), &matches);
    PasswordStrength strength;
    strength.bits = bits;
    strength.score = scoreFor(bits);
    strength.hint = hintFor(matches, strength.score);
    ZxcvbnFreeInfo(matches);
    return strength;
}

PasswordStrength PasswordStrength::estimate(const QString& password, const QStringList& userWords) {
    QByteArray utf8 = password.toUtf8();
    const std::span<char> chars(utf8.data(), static_cast<std::size_t>(utf8.size()));
    PasswordStrength strength = estimate(std::string_view(chars.data(), chars.size()), userWords);
    crypto::wipe(std::as_writable_bytes(chars));
    return strength;
}

PasswordStrength PasswordStrength::ofEntropy(double bits) {
    PasswordStrength strength;
    strength.bits = bits;
    strength.score = scoreFor(bits);
    strength.hint = strength.score >= 3 ? Hint::Good : Hint::AddLength;
    return strength;
}

QStringList PasswordStrength::userWordsFor(const QString& vaultPath) {
    QStringList words{QStringLiteral("coffer")};
    const QString name = QFileInfo(vaultPath).completeBaseName().toLower();
    const auto add = [&words](const QString& word) {
        if (word.size() >= 3 && !words.contains(word)) {
            words << word;
        }
    };
    add(name);
    static const QRegularExpression separators(QStringLiteral("[^\\p{L}\\p{N}]+"));
    for (const QString& part : name.split(separators, Qt::SkipEmptyParts)) {
        add(part);
    }
    return words;
}

QString PasswordStrength::label() const {
    if (hint == Hint::Empty) {
        return {};
    }
    static const std::array<QString, kMaxScore + 1> labels = {QStringLiteral("Very weak"), QStringLiteral("Weak"),
                                                              QStringLiteral("Fair"), QStringLiteral("Strong"),
                                                              QStringLiteral("Very strong")};
    return labels[static_cast<std::size_t>(std::clamp(score, 0, kMaxScore))];
}

QString PasswordStrength::hintText() const {
    switch (hint) {
    case Hint::Empty:
        return {};
    case Hint::UserWord:
        return QStringLiteral("It contains the vault's name or \u201ccoffer\u201d, which anyone would try first.");
    case Hint::CommonWord:
        return QStringLiteral("Common words and passwords are guessed first, letter swaps like 0 for o too. "
                              "Add more unrelated words.");
    case Hint::KeyboardPattern:
        return QStringLiteral("Keyboard patterns like qwerty are guessed first.");
    case Hint::Sequence:
        return QStringLiteral("Sequences like abc or 1234 are guessed first.");
    case Hint::Repeats:
        return QStringLiteral("Repeated characters or words add little.");
    case Hint::Dates:
        return QStringLiteral("Dates and years are guessed first.");
    case Hint::AddLength:
        return QStringLiteral("Too easy to guess: add more words or characters; length helps most.");
    case Hint::Good:
        return score >= kMaxScore ? QStringLiteral("Very hard to guess.")
                                  : QStringLiteral("Hard to guess. Another word or two makes it very strong.");
    }
    return {};
}

} // namespace coffer::model
