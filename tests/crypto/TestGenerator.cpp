// SPDX-License-Identifier: Apache-2.0
// The value generator: every mode's shape, alphabets and counts, uniqueness, and the exact entropy figures.
#include "crypto/Generator.h"
#include "crypto/WordList.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <string>

using coffer::crypto::CharacterClass;
using coffer::crypto::characterClassAlphabet;
using coffer::crypto::effLargeWordList;
using coffer::crypto::Error;
using coffer::crypto::generateValue;
using coffer::crypto::generatorEntropyBits;
using coffer::crypto::GeneratorMode;
using coffer::crypto::GeneratorOptions;

Q_DECLARE_METATYPE(GeneratorMode)

namespace {

std::string generate(const GeneratorOptions& options) {
    auto value = generateValue(options);
    if (!value) {
        qWarning("generateValue failed");
        return {};
    }
    return std::string(value->view());
}

GeneratorOptions characters(int length, bool lower, bool upper, bool digits, bool symbols, bool avoid = false) {
    GeneratorOptions options;
    options.length = length;
    options.lower = lower;
    options.upper = upper;
    options.digits = digits;
    options.symbols = symbols;
    options.avoidLookAlikes = avoid;
    return options;
}

GeneratorOptions ofMode(GeneratorMode mode, int bytes = 32) {
    GeneratorOptions options;
    options.mode = mode;
    options.bytes = bytes;
    return options;
}

bool containsAny(const std::string& text, std::string_view alphabet) {
    return text.find_first_of(alphabet) != std::string::npos;
}

double entropy(const GeneratorOptions& options) {
    return generatorEntropyBits(options).value_or(-1.0);
}

} // namespace

class TestGenerator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void wordListIsTheEffLongList() {
        const auto words = effLargeWordList();
        QCOMPARE(words.size(), std::size_t{7776});
        QCOMPARE(words.front(), std::string_view("abacus"));
        QCOMPARE(words.back(), std::string_view("zoom"));
        QSet<QByteArray> distinct;
        for (const auto word : words) {
            QVERIFY(!word.empty());
            QVERIFY(std::ranges::all_of(word, [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; }));
            distinct.insert(QByteArray(word.data(), static_cast<qsizetype>(word.size())));
        }
        QCOMPARE(distinct.size(), 7776);
    }

    void alphabetsLeaveOutLookAlikes() {
        QCOMPARE(characterClassAlphabet(CharacterClass::Lower, false).size(), std::size_t{26});
        QCOMPARE(characterClassAlphabet(CharacterClass::Upper, false).size(), std::size_t{26});
        QCOMPARE(characterClassAlphabet(CharacterClass::Digits, false).size(), std::size_t{10});
        QCOMPARE(characterClassAlphabet(CharacterClass::Symbols, false).size(), std::size_t{32});
        std::string distinct;
        for (const auto c :
             {CharacterClass::Lower, CharacterClass::Upper, CharacterClass::Digits, CharacterClass::Symbols}) {
            distinct += characterClassAlphabet(c, true);
        }
        QCOMPARE(distinct.size(), std::size_t{24 + 24 + 8 + 28});
        QVERIFY(!containsAny(distinct, "0Oo1lI|`'\""));
    }

    void charactersHaveTheLengthAndEveryClass_data() {
        QTest::addColumn<int>("length");
        QTest::addColumn<bool>("lower");
        QTest::addColumn<bool>("upper");
        QTest::addColumn<bool>("digits");
        QTest::addColumn<bool>("symbols");
        QTest::addColumn<bool>("avoid");
        QTest::newRow("4, all classes, no look-alikes") << 4 << true << true << true << true << true;
        QTest::newRow("4, all classes") << 4 << true << true << true << true << false;
        QTest::newRow("24, all classes") << 24 << true << true << true << true << false;
        QTest::newRow("256, all classes") << 256 << true << true << true << true << false;
        QTest::newRow("16, digits only") << 16 << false << false << true << false << false;
        QTest::newRow("12, lower and symbols") << 12 << true << false << false << true << false;
        QTest::newRow("40, letters, no look-alikes") << 40 << true << true << false << false << true;
    }

    void charactersHaveTheLengthAndEveryClass() {
        QFETCH(int, length);
        QFETCH(bool, lower);
        QFETCH(bool, upper);
        QFETCH(bool, digits);
        QFETCH(bool, symbols);
        QFETCH(bool, avoid);
        const auto options = characters(length, lower, upper, digits, symbols, avoid);
        const std::pair<bool, CharacterClass> classes[] = {{lower, CharacterClass::Lower},
                                                           {upper, CharacterClass::Upper},
                                                           {digits, CharacterClass::Digits},
                                                           {symbols, CharacterClass::Symbols}};
        std::string allowed;
        for (const auto& [chosen, characterClass] : classes) {
            if (chosen) {
                allowed += characterClassAlphabet(characterClass, avoid);
            }
        }
        // Many draws: a class missing one time in sixteen (4 characters) would show.
        for (int round = 0; round < 200; ++round) {
            const std::string value = generate(options);
            QCOMPARE(value.size(), std::size_t(length));
            QVERIFY2(value.find_first_not_of(allowed) == std::string::npos, "a character outside the alphabet");
            for (const auto& [chosen, characterClass] : classes) {
                QCOMPARE(containsAny(value, characterClassAlphabet(characterClass, avoid)), chosen);
            }
        }
    }

    void everyCharacterOfTheAlphabetTurnsUp() {
        // 200 × 64 draws over 84 characters: each is missed with probability ~1e-66.
        const auto options = characters(64, true, true, true, true, true);
        QSet<char> seen;
        for (int round = 0; round < 200; ++round) {
            for (const char c : generate(options)) {
                seen.insert(c);
            }
        }
        QCOMPARE(seen.size(), 84);
    }

    void invalidOptionsAreRefused() {
        auto none = characters(20, false, false, false, false);
        QCOMPARE(generateValue(none).error(), Error::InvalidArgument);
        QCOMPARE(generatorEntropyBits(none).error(), Error::InvalidArgument);
        QCOMPARE(generateValue(characters(3, true, true, true, true)).error(), Error::InvalidArgument);
        QCOMPARE(generateValue(characters(257, true, false, false, false)).error(), Error::InvalidArgument);
        QVERIFY(generateValue(characters(256, true, false, false, false)).has_value());
        QCOMPARE(generateValue(ofMode(GeneratorMode::Hex, 3)).error(), Error::InvalidArgument);
        QCOMPARE(generateValue(ofMode(GeneratorMode::Base64, 257)).error(), Error::InvalidArgument);
        auto words = ofMode(GeneratorMode::Passphrase);
        words.words = 2;
        QCOMPARE(generateValue(words).error(), Error::InvalidArgument);
        words.words = 5;
        for (const char bad : {'a', 'Z', '7', '\n', '\0', '\x7f'}) {
            words.separator = bad;
            QCOMPARE(generateValue(words).error(), Error::InvalidArgument);
        }
        words.separator = ' ';
        QVERIFY(generateValue(words).has_value());
    }

    void hexIsTwiceTheBytes() {
        const std::string value = generate(ofMode(GeneratorMode::Hex, 20));
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{40}$")).match(QString::fromStdString(value)).hasMatch());
        QCOMPARE(QByteArray::fromHex(QByteArray::fromStdString(value)).size(), 20);
    }

    void base64DecodesToTheBytes_data() {
        QTest::addColumn<GeneratorMode>("mode");
        QTest::addColumn<int>("bytes");
        QTest::addColumn<QString>("pattern");
        QTest::newRow("base64 32") << GeneratorMode::Base64 << 32 << QStringLiteral("^[A-Za-z0-9+/]{43}=$");
        QTest::newRow("base64 31") << GeneratorMode::Base64 << 31 << QStringLiteral("^[A-Za-z0-9+/]{42}==$");
        QTest::newRow("base64 30") << GeneratorMode::Base64 << 30 << QStringLiteral("^[A-Za-z0-9+/]{40}$");
        QTest::newRow("base64url 32") << GeneratorMode::Base64Url << 32 << QStringLiteral("^[A-Za-z0-9_-]{43}$");
        QTest::newRow("base64url 31") << GeneratorMode::Base64Url << 31 << QStringLiteral("^[A-Za-z0-9_-]{42}$");
        QTest::newRow("base64url 256") << GeneratorMode::Base64Url << 256 << QStringLiteral("^[A-Za-z0-9_-]{342}$");
    }

    void base64DecodesToTheBytes() {
        QFETCH(GeneratorMode, mode);
        QFETCH(int, bytes);
        QFETCH(QString, pattern);
        const QByteArray value = QByteArray::fromStdString(generate(ofMode(mode, bytes)));
        QVERIFY2(QRegularExpression(pattern).match(QString::fromLatin1(value)).hasMatch(), value.constData());
        const auto flags = mode == GeneratorMode::Base64
                               ? QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors
                               : QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals |
                                     QByteArray::AbortOnBase64DecodingErrors;
        const auto decoded = QByteArray::fromBase64Encoding(value, flags);
        QVERIFY(decoded);
        QCOMPARE(decoded.decoded.size(), bytes);
    }

    void uuidIsVersion4WithTheRfcVariant() {
        const QRegularExpression shape(
            QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        QSet<QString> seen;
        // The free nibble after the variant bits takes all of 8, 9, a, b over enough draws.
        QSet<QChar> variants;
        for (int round = 0; round < 200; ++round) {
            const QString value = QString::fromStdString(generate(ofMode(GeneratorMode::Uuid)));
            QVERIFY2(shape.match(value).hasMatch(), qPrintable(value));
            const QByteArray bytes = QByteArray::fromHex(value.toLatin1().replace('-', QByteArray()));
            QCOMPARE(bytes.size(), 16);
            QCOMPARE(static_cast<unsigned char>(bytes[6]) >> 4, 4);
            QCOMPARE(static_cast<unsigned char>(bytes[8]) >> 6, 2);
            variants.insert(value[19]);
            seen.insert(value);
        }
        QCOMPARE(seen.size(), 200);
        QCOMPARE(variants.size(), 4);
    }

    void passphraseIsWordsFromTheList() {
        QSet<QByteArray> list;
        for (const auto word : effLargeWordList()) {
            list.insert(QByteArray(word.data(), static_cast<qsizetype>(word.size())));
        }
        GeneratorOptions options = ofMode(GeneratorMode::Passphrase);
        options.words = 7;
        options.separator = ' ';
        for (int round = 0; round < 50; ++round) {
            const QList<QByteArray> words = QByteArray::fromStdString(generate(options)).split(' ');
            QCOMPARE(words.size(), 7);
            for (const QByteArray& word : words) {
                QVERIFY2(list.contains(word), word.constData());
            }
        }
    }

    void passphraseCapitalisesAndAddsOneDigit() {
        QSet<QByteArray> list;
        for (const auto word : effLargeWordList()) {
            list.insert(QByteArray(word.data(), static_cast<qsizetype>(word.size())));
        }
        GeneratorOptions options = ofMode(GeneratorMode::Passphrase);
        options.words = 4;
        options.separator = '.';
        options.capitalise = true;
        options.includeNumber = true;
        QSet<int> positions;
        for (int round = 0; round < 200; ++round) {
            const QByteArray value = QByteArray::fromStdString(generate(options));
            const QList<QByteArray> words = value.split('.');
            QCOMPARE(words.size(), 4);
            int digits = 0;
            for (int i = 0; i < words.size(); ++i) {
                QByteArray word = words[i];
                QVERIFY(word[0] >= 'A' && word[0] <= 'Z');
                if (word.back() >= '0' && word.back() <= '9') {
                    ++digits;
                    positions.insert(i);
                    word.chop(1);
                }
                word[0] = static_cast<char>(word[0] - 'A' + 'a');
                QVERIFY2(list.contains(word), word.constData());
            }
            QCOMPARE(digits, 1);
        }
        // The digit goes after any of the words, not always the last.
        QCOMPARE(positions.size(), 4);
    }

    void twoCallsDiffer_data() {
        QTest::addColumn<GeneratorMode>("mode");
        QTest::newRow("characters") << GeneratorMode::Characters;
        QTest::newRow("passphrase") << GeneratorMode::Passphrase;
        QTest::newRow("hex") << GeneratorMode::Hex;
        QTest::newRow("base64") << GeneratorMode::Base64;
        QTest::newRow("base64url") << GeneratorMode::Base64Url;
        QTest::newRow("uuid") << GeneratorMode::Uuid;
    }

    void twoCallsDiffer() {
        QFETCH(GeneratorMode, mode);
        const auto options = ofMode(mode);
        const std::string first = generate(options);
        QVERIFY(!first.empty());
        QVERIFY(first != generate(options));
    }

    void entropyOfSimpleModes() {
        QCOMPARE(entropy(ofMode(GeneratorMode::Hex, 32)), 256.0);
        QCOMPARE(entropy(ofMode(GeneratorMode::Base64, 20)), 160.0);
        QCOMPARE(entropy(ofMode(GeneratorMode::Base64Url, 4)), 32.0);
        QCOMPARE(entropy(ofMode(GeneratorMode::Uuid)), 122.0);
        GeneratorOptions words = ofMode(GeneratorMode::Passphrase);
        words.words = 6;
        QVERIFY(qFuzzyCompare(entropy(words), 6 * std::log2(7776.0)));
        QVERIFY(std::abs(entropy(words) - 77.55) < 0.01);
        words.capitalise = true; // a fixed rule adds nothing
        QVERIFY(qFuzzyCompare(entropy(words), 6 * std::log2(7776.0)));
        words.includeNumber = true; // which digit, after which word
        QVERIFY(qFuzzyCompare(entropy(words), 6 * std::log2(7776.0) + std::log2(60.0)));
    }

    void entropyOfCharactersCountsOnlyStringsWithEveryClass() {
        // One class: plain length × log2(alphabet).
        QVERIFY(qFuzzyCompare(entropy(characters(16, false, false, true, false)), 16 * std::log2(10.0)));
        QVERIFY(qFuzzyCompare(entropy(characters(20, true, false, false, false)), 20 * std::log2(26.0)));
        // Two classes of 2 characters each would be tiny; check the formula by brute force on the real
        // alphabets: digits (10) + lower (26), length 3 → 36^3 − 26^3 − 10^3 strings.
        QVERIFY(qFuzzyCompare(entropy(characters(3 + 1, true, false, true, false)),
                              std::log2(std::pow(36.0, 4) - std::pow(26.0, 4) - std::pow(10.0, 4))));
        // Four classes, length 4: every string is a permutation of one character per class, 4! × 26·26·10·32.
        QVERIFY(qFuzzyCompare(entropy(characters(4, true, true, true, true)), std::log2(24.0 * 26 * 26 * 10 * 32)));
        QVERIFY(
            qFuzzyCompare(entropy(characters(4, true, true, true, true, true)), std::log2(24.0 * 24 * 24 * 8 * 28)));
        // Long strings: the constraint costs almost nothing; 256 × log2(94) ≈ 1678 bits.
        const double full = 256 * std::log2(94.0);
        const double constrained = entropy(characters(256, true, true, true, true));
        QVERIFY(constrained < full);
        QVERIFY(full - constrained < 1e-6);
        // The default (24 characters, all classes) is about 157 bits.
        QVERIFY(std::abs(entropy(GeneratorOptions{}) - 157.2) < 0.1);
    }
};

QTEST_GUILESS_MAIN(TestGenerator)
#include "TestGenerator.moc"
