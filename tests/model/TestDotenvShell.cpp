// SPDX-License-Identifier: Apache-2.0
// The shell dialect as real shells read it: the hard corpus written with write(Shell) and sourced by bash
// and by dash (`set -a; . ./file; env -0`) gives back every value byte-exact, and sourcing never runs code.

#include "model/Dotenv.h"
#include "tests/model/TestDotenvSupport.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace coffer::model::dotenv;
using namespace coffer::model::dotenv::test;

class TestDotenvShell : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sourced_data() {
        QTest::addColumn<QString>("shell");
        QTest::newRow("bash") << QStringLiteral("bash");
        QTest::newRow("dash") << QStringLiteral("dash");
    }

    void sourced() {
        QFETCH(QString, shell);
        const QString program = QStandardPaths::findExecutable(shell);
        QVERIFY2(!program.isEmpty(), qPrintable(shell + QStringLiteral(" is not installed: run scripts/deps.sh test")));

        Pairs pairs;
        for (const auto& hard : hardCorpus()) {
            pairs.append({QStringLiteral("COFFER_T_") + hard.name, hard.value});
        }
        // Attempts to run code while sourcing, each of which would create a file here.
        pairs.append({QStringLiteral("COFFER_T_RUN1"), "$(touch PWNED_SUBSHELL)"});
        pairs.append({QStringLiteral("COFFER_T_RUN2"), "`touch PWNED_BACKTICK`"});
        pairs.append({QStringLiteral("COFFER_T_RUN3"), "'; touch PWNED_QUOTE; '"});
        pairs.append({QStringLiteral("COFFER_T_RUN4"), "\\'$(touch PWNED_ESCAPE)\\"});
        pairs.append({QStringLiteral("COFFER_T_RUN5"), "x\n touch PWNED_NEWLINE\n"});
        pairs.append({QStringLiteral("COFFER_T_RAW"), "not UTF-8: \xFF\xFE\x80 \x01\x7F"});

        const auto written = write(Dialect::Shell, entriesOf(pairs));
        QVERIFY2(written.has_value(), qPrintable(written ? QString() : written.error().message));

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile file(dir.filePath(QStringLiteral("vars.sh")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(toBytes(*written));
        file.close();

        QProcess process;
        process.setWorkingDirectory(dir.path());
        process.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        process.start(program, {QStringLiteral("-c"), QStringLiteral("set -a; . ./vars.sh; env -0")});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());

        QHash<QString, QByteArray> environment;
        for (const QByteArray& item : process.readAllStandardOutput().split('\0')) {
            const auto eq = item.indexOf('=');
            if (eq > 0) {
                environment.insert(QString::fromLatin1(item.left(eq)), item.mid(eq + 1));
            }
        }
        for (const auto& [name, value] : pairs) {
            QVERIFY2(environment.contains(name), qPrintable(name));
            QVERIFY2(environment.value(name) == value, qPrintable(name + QStringLiteral(" differs")));
        }
        const auto left = QDir(dir.path()).entryList(QDir::Files);
        QCOMPARE(left, QStringList{QStringLiteral("vars.sh")});
    }

    // The shell reader agrees with the shells on the same file.
    void readerAgrees() {
        Pairs pairs;
        for (const auto& hard : hardCorpus()) {
            pairs.append({hard.name, hard.value});
        }
        const auto written = write(Dialect::Shell, entriesOf(pairs));
        QVERIFY(written.has_value());
        const auto back = read(Dialect::Shell, written->bytes());
        QVERIFY(back.has_value());
        QCOMPARE(pairsOf(*back), pairs);
    }
};

QTEST_GUILESS_MAIN(TestDotenvShell)
#include "TestDotenvShell.moc"
