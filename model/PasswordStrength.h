// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>

#include <string_view>

namespace coffer::model {

/// How hard a password is to guess: zxcvbn's estimate in bits (log2 of the guesses an attacker who knows
/// common passwords, words, names, keyboard patterns, dates and the user's own words would need), a score
/// 0..4 and one piece of advice. Keeps no copy of the password.
///
/// The score thresholds are for a vault file an attacker has copied and guesses at offline, each guess slowed
/// by Argon2id: below 20 bits "Very weak", 40 "Weak", 55 "Fair", 75 "Strong", else "Very strong". A six-word
/// EFF passphrase (77.5 bits) is Very strong.
struct PasswordStrength {
    /// What the advice is about, most important first.
    enum class Hint {
        Empty,      ///< nothing typed yet
        UserWord,   ///< contains the vault's name or "coffer"
        CommonWord, ///< mostly common words or passwords, maybe with letter swaps
        KeyboardPattern,
        Sequence,  ///< abc, 1234, zyx
        Repeats,   ///< aaaa, abcabc
        Dates,     ///< dates and years
        AddLength, ///< nothing in particular: just too little of it
        Good,      ///< strong enough
    };

    static constexpr int kMaxScore = 4;

    double bits = 0;
    int score = 0; ///< 0 (very weak) .. kMaxScore (very strong)
    Hint hint = Hint::Empty;

    /// "Very weak", "Weak", "Fair", "Strong" or "Very strong"; empty for Hint::Empty.
    [[nodiscard]] QString label() const;
    /// One sentence of advice for the hint (never quotes the password); empty for Hint::Empty.
    [[nodiscard]] QString hintText() const;

    /// zxcvbn's estimate of `password` (UTF-8). `userWords` are treated as the first guesses an attacker
    /// tries (see userWordsFor()). The copy zxcvbn needs (NUL-terminated) lives in guarded memory.
    [[nodiscard]] static PasswordStrength estimate(std::string_view password, const QStringList& userWords = {});
    /// As above for text typed in a field; the UTF-8 copy is wiped.
    [[nodiscard]] static PasswordStrength estimate(const QString& password, const QStringList& userWords = {});
    /// The strength of a value drawn at random with `bits` of entropy (the generator's own figure, which is
    /// exact where zxcvbn can only estimate).
    [[nodiscard]] static PasswordStrength ofEntropy(double bits);
    /// The score for `bits`, by the thresholds above.
    [[nodiscard]] static int scoreFor(double bits) noexcept;
    /// Words an attacker of the vault at `vaultPath` would try first: "coffer", the file's base name and
    /// its parts of three letters or more, lower-case.
    [[nodiscard]] static QStringList userWordsFor(const QString& vaultPath);
};

} // namespace coffer::model
