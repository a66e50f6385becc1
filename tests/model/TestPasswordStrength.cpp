// SPDX-License-Identifier: Apache-2.0
// The zxcvbn wrapper: estimates order passwords as people would, the vault's own words count against a
// password, the score follows the documented thresholds, and the advice never quotes the password.
#include "crypto/Generator.h"
#include "model/PasswordStrength.h"

#include <QTest>

using coffer::model::PasswordStrength;
using Hint = coffer::model::PasswordStrength::Hint;

namespace {

PasswordStrength of(const char* password, const QStringList& userWords = {}) {
    return PasswordStrength::estimate(QString::fromUtf8(password), userWords);
}

QString random24() {
    coffer::crypto::GeneratorOptions options; // 24 characters, every class
    auto value = coffer::crypto::generateValue(options);
    return value ? QString::fromLatin1(value->view()) : QString();
}

} // namespace

class TestPasswordStrength : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void emptyIsNothingYet() {
        const auto strength = of("");
        QCOMPARE(strength.bits, 0.0);
        QCOMPARE(strength.score, 0);
        QCOMPARE(strength.hint, Hint::Empty);
        QVERIFY(strength.label().isEmpty());
        QVERIFY(strength.hintText().isEmpty());
        QCOMPARE(PasswordStrength::estimate(std::string_view()).hint, Hint::Empty);
    }

    void ordersPasswordsAsPeopleWould() {
        const auto password = of("password");
        const auto staple = of("correct horse battery staple");
        const QString random = random24();
        QCOMPARE(random.size(), 24);
        const auto strong = PasswordStrength::estimate(random);
        QVERIFY(password.bits < staple.bits);
        QVERIFY(staple.bits < strong.bits);
        QCOMPARE(password.score, 0);
        QCOMPARE(password.label(), QStringLiteral("Very weak"));
        QCOMPARE(password.hint, Hint::CommonWord);
        QVERIFY(staple.score >= 2 && staple.score <= 3);
        QCOMPARE(strong.score, PasswordStrength::kMaxScore);
        QCOMPARE(strong.label(), QStringLiteral("Very strong"));
        QCOMPARE(strong.hint, Hint::Good);
        QVERIFY(strong.bits > 100);
    }

    void patternsGetTheirAdvice_data() {
        QTest::addColumn<QString>("password");
        QTest::addColumn<Hint>("hint");
        QTest::newRow("common") << QStringLiteral("Password1") << Hint::CommonWord;
        QTest::newRow("sequence") << QStringLiteral("abcdefgh") << Hint::Sequence;
        QTest::newRow("date") << QStringLiteral("19840521") << Hint::Dates;
        QTest::newRow("short random") << QStringLiteral("x7#K") << Hint::AddLength;
    }

    void patternsGetTheirAdvice() {
        QFETCH(QString, password);
        QFETCH(Hint, hint);
        const auto strength = PasswordStrength::estimate(password);
        QCOMPARE(strength.hint, hint);
        QVERIFY(strength.score <= 1);
        QVERIFY(!strength.hintText().contains(password, Qt::CaseInsensitive));
    }

    void theVaultsOwnWordsCountAgainstIt() {
        const QStringList words = PasswordStrength::userWordsFor(QStringLiteral("/home/ana/Payments-Team.coffer"));
        QCOMPARE(words, (QStringList{QStringLiteral("coffer"), QStringLiteral("payments-team"),
                                     QStringLiteral("payments"), QStringLiteral("team")}));
        QCOMPARE(PasswordStrength::userWordsFor(QStringLiteral("a.coffer")), QStringList{QStringLiteral("coffer")});

        const char* password = "Paymentsteam2024";
        const auto plain = of(password);
        const auto known = of(password, words);
        QVERIFY2(known.bits < plain.bits, qPrintable(QStringLiteral("%1 vs %2").arg(known.bits).arg(plain.bits)));
        QCOMPARE(known.hint, Hint::UserWord);
        QCOMPARE(of("Coffer!", words).hint, Hint::UserWord);
        QCOMPARE(of("Coffer!", words).score, 0);
    }

    void scoreFollowsTheThresholds() {
        QCOMPARE(PasswordStrength::scoreFor(0), 0);
        QCOMPARE(PasswordStrength::scoreFor(19.9), 0);
        QCOMPARE(PasswordStrength::scoreFor(20), 1);
        QCOMPARE(PasswordStrength::scoreFor(39.9), 1);
        QCOMPARE(PasswordStrength::scoreFor(40), 2);
        QCOMPARE(PasswordStrength::scoreFor(55), 3);
        QCOMPARE(PasswordStrength::scoreFor(74.9), 3);
        QCOMPARE(PasswordStrength::scoreFor(75), 4);
        QCOMPARE(PasswordStrength::scoreFor(1678), 4);
        // A six-word EFF passphrase is very strong; a UUID too; four random bytes are not.
        QCOMPARE(PasswordStrength::ofEntropy(77.55).score, 4);
        QCOMPARE(PasswordStrength::ofEntropy(77.55).label(), QStringLiteral("Very strong"));
        QCOMPARE(PasswordStrength::ofEntropy(32).score, 1);
        QCOMPARE(PasswordStrength::ofEntropy(32).hint, Hint::AddLength);
        QCOMPARE(PasswordStrength::ofEntropy(60).hint, Hint::Good);
    }

    void longInputIsFine() {
        // zxcvbn on the longest value the generator makes, and on multi-byte text.
        coffer::crypto::GeneratorOptions options;
        options.length = 256;
        auto value = coffer::crypto::generateValue(options);
        QVERIFY(value.has_value());
        QCOMPARE(PasswordStrength::estimate(value->view()).score, PasswordStrength::kMaxScore);
        QVERIFY(PasswordStrength::estimate(QStringLiteral("Grüße aus Köln 🚲 und Zürich")).bits > 40);
    }
};

QTEST_GUILESS_MAIN(TestPasswordStrength)
#include "TestPasswordStrength.moc"
