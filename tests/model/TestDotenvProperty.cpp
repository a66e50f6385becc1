// SPDX-License-Identifier: Apache-2.0
// Random values, restricted to what each dialect can carry, written and read back byte-exact. The seed is
// fixed (COFFER_DOTENV_SEED overrides it) and printed with any failure so a case can be replayed.

#include "model/Dotenv.h"
#include "tests/model/TestDotenvSupport.h"

#include <QTest>

#include <random>

using namespace coffer::model::dotenv;
using namespace coffer::model::dotenv::test;

Q_DECLARE_METATYPE(coffer::model::dotenv::Dialect)

namespace {

constexpr int kIterations = 600; // per dialect: 3,600 files in all

// Characters that break naive writers, drawn more often than their share of the byte space.
const QByteArray kNasty("$'\"`\\=#:; \t\n\r-{}()!*?~&|<>%@,.");
const QList<QByteArray> kUnicode{"\xC3\xA9",     "\xE2\x9C\x93", "\xF0\x9F\x94\x91", "\xC2\xA0",     "\xE2\x80\xA8",
                                 "\xEF\xBB\xBF", "\xE3\x80\x80", "\xC2\x85",         "\xEF\xBF\xBF", "\xE6\x97\xA5"};

bool isText(Dialect d) {
    return d != Dialect::Shell;
}

QByteArray randomValue(std::mt19937& rng, Dialect dialect) {
    std::uniform_int_distribution<int> length(0, 24);
    std::uniform_int_distribution<int> kind(0, 9);
    QByteArray out;
    const int n = length(rng);
    for (int i = 0; i < n; ++i) {
        const int k = kind(rng);
        if (k < 4) {
            out.append(kNasty.at(std::uniform_int_distribution<int>(0, int(kNasty.size()) - 1)(rng)));
        } else if (k < 7) {
            out.append(static_cast<char>(std::uniform_int_distribution<int>(0x21, 0x7E)(rng)));
        } else if (k < 9 || isText(dialect)) {
            out.append(kUnicode.at(std::uniform_int_distribution<int>(0, int(kUnicode.size()) - 1)(rng)));
        } else {
            out.append(static_cast<char>(std::uniform_int_distribution<int>(1, 255)(rng))); // any byte but NUL
        }
        if (k == 9 && dialect == Dialect::Yaml) {
            out.append('\0'); // YAML escapes NUL
        }
        if (k == 9 && dialect == Dialect::Systemd) {
            out.append(static_cast<char>(std::uniform_int_distribution<int>(0x01, 0x1F)(rng)));
        }
    }
    // Now take out what the dialect cannot carry (docs/dotenv.md, capability matrix).
    QByteArray kept;
    for (const char c : out) {
        const auto u = static_cast<unsigned char>(c);
        const bool drop = (dialect == Dialect::Docker && (c == '\n' || c == '\0')) ||
                          (dialect == Dialect::Systemd && ((u < 0x20 && c != '\t' && c != '\n') || u == 0x7F)) ||
                          ((dialect == Dialect::Dotenv || dialect == Dialect::Json) && c == '\0');
        if (!drop) {
            kept.append(c);
        }
    }
    while (dialect == Dialect::Docker && kept.endsWith('\r')) {
        kept.chop(1);
    }
    return kept;
}

QString randomName(std::mt19937& rng, Dialect dialect, int index) {
    static const QString first = QStringLiteral("ABCXYZabcxyz_");
    static const QString rest = QStringLiteral("ABCXYZabcxyz_0189");
    QString name(first.at(std::uniform_int_distribution<int>(0, int(first.size()) - 1)(rng)));
    const int n = std::uniform_int_distribution<int>(0, 6)(rng);
    for (int i = 0; i < n; ++i) {
        name += rest.at(std::uniform_int_distribution<int>(0, int(rest.size()) - 1)(rng));
    }
    if (dialect == Dialect::Dotenv && n % 3 == 0) {
        name += QStringLiteral(".x-y"); // dotenv and docker take dots and dashes
    }
    return name + u'_' + QString::number(index); // unique within one file
}

// Whether any one-line dotenv form reads back as `value`: if so, the writer must not refuse it. Documented
// exclusions: a trailing backslash inside quotes pairs with the closing quote in Node's regex, and Node
// treats U+2028/U+2029 as line ends, so such values are never written bare.
bool someFormWorks(const QByteArray& value) {
    QList<QByteArray> forms;
    if (!value.contains("\xE2\x80\xA8") && !value.contains("\xE2\x80\xA9")) {
        forms.append(value);
    }
    if (!value.endsWith('\\')) {
        QByteArray escaped;
        for (const char c : value) {
            escaped += c == '\n' ? QByteArray("\\n") : c == '\r' ? QByteArray("\\r") : QByteArray(1, c);
        }
        forms << "'" + value + "'"
              << "\"" + escaped + "\""
              << "`" + value + "`";
    }
    for (const QByteArray& form : forms) {
        const auto back = read(Dialect::Dotenv, bytesOf("N=" + form + "\n"));
        if (back && back->size() == 1 && toBytes(back->front().value) == value) {
            return true;
        }
    }
    return false;
}

} // namespace

class TestDotenvProperty : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data() {
        QTest::addColumn<Dialect>("dialect");
        for (const auto d :
             {Dialect::Dotenv, Dialect::Docker, Dialect::Shell, Dialect::Systemd, Dialect::Json, Dialect::Yaml}) {
            QTest::newRow(qPrintable(dialectName(d))) << d;
        }
    }

    void roundTrip() {
        QFETCH(Dialect, dialect);
        const auto seed = qEnvironmentVariableIsSet("COFFER_DOTENV_SEED")
                              ? qEnvironmentVariable("COFFER_DOTENV_SEED").toUInt()
                              : 20261130U + static_cast<unsigned>(dialect);
        std::mt19937 rng(seed);
        int refused = 0;
        for (int iteration = 0; iteration < kIterations; ++iteration) {
            const QString where = QStringLiteral("seed %1, iteration %2").arg(seed).arg(iteration);
            Pairs pairs;
            const int count = std::uniform_int_distribution<int>(1, 5)(rng);
            for (int i = 0; i < count; ++i) {
                pairs.append({randomName(rng, dialect, i), randomValue(rng, dialect)});
            }
            if (dialect == Dialect::Dotenv) {
                // dotenv cannot carry every text; a refusal must be one no quoting could avoid.
                Pairs carried;
                for (const auto& pair : pairs) {
                    const auto single = write(dialect, entriesOf({pair}));
                    if (!single) {
                        QVERIFY2(!someFormWorks(pair.second),
                                 qPrintable(where + QStringLiteral(": needless refusal of ") +
                                            QString::fromLatin1(pair.second.toHex())));
                        QCOMPARE(single.error().name, pair.first);
                        ++refused;
                    } else {
                        carried.append(pair);
                    }
                }
                pairs = carried;
            }
            const auto written = write(dialect, entriesOf(pairs));
            QVERIFY2(written.has_value(), qPrintable(where + u' ' + (written ? QString() : written.error().message)));
            const auto back = read(dialect, written->bytes());
            if (!back) {
                qWarning("%s", toBytes(*written).toHex().constData());
            }
            QVERIFY2(back.has_value(), qPrintable(where + u' ' + (back ? QString() : back.error().message)));
            Pairs expected = pairs;
            if (dialect == Dialect::Json) {
                std::sort(expected.begin(), expected.end(),
                          [](const auto& a, const auto& b) { return a.first < b.first; });
            }
            if (pairsOf(*back) != expected) {
                qWarning("%s", toBytes(*written).toHex().constData());
            }
            QVERIFY2(pairsOf(*back) == expected,
                     qPrintable(where + QStringLiteral(": values differ after reading back")));
        }
        // The generator must reach the interesting cases, or this test proves little.
        if (dialect == Dialect::Dotenv) {
            QVERIFY2(refused > 0 && refused < kIterations, qPrintable(QString::number(refused)));
        }
    }
};

QTEST_GUILESS_MAIN(TestDotenvProperty)
#include "TestDotenvProperty.moc"
