// SPDX-License-Identifier: Apache-2.0
// Coffer's dotenv reader against the ecosystem on a corpus of .env files (tests/data/dotenv/corpus): it must
// read what Node dotenv v16 reads, and what python-dotenv reads where python agrees with Node. Every
// difference must be listed in tests/data/dotenv/EXPECTED_DIFFERENCES.md (mirroring docs/dotenv.md), and
// every listed difference must still be real. The tools are installed by the test command; a missing
// tool fails the test, it never skips it.

#include "model/Dotenv.h"
#include "tests/model/TestDotenvSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace coffer::model::dotenv;
using namespace coffer::model::dotenv::test;

namespace {

const QString kData = QStringLiteral(COFFER_TEST_DATA_DIR "/dotenv");

struct ToolRun {
    bool ok = false;
    QJsonObject values;
    QString problem;
};

ToolRun runTool(const QString& program, const QStringList& arguments) {
    QProcess process;
    process.start(program, arguments);
    ToolRun run;
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        run.problem = program + QStringLiteral(" failed: ") + QString::fromUtf8(process.readAllStandardError());
        return run;
    }
    QJsonParseError error{};
    const auto document = QJsonDocument::fromJson(process.readAllStandardOutput(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        run.problem = program + QStringLiteral(" printed no JSON object");
        return run;
    }
    run.ok = true;
    run.values = document.object();
    return run;
}

QJsonObject asJson(const std::vector<Entry>& entries) {
    QJsonObject out;
    for (const auto& entry : entries) {
        out.insert(entry.name, QString::fromUtf8(toBytes(entry.value)));
    }
    return out;
}

// "| file.env | node or python | coffer-refuses or differs | why |"
QHash<QString, QString> expectedDifferences() {
    QHash<QString, QString> out;
    QFile file(kData + QStringLiteral("/EXPECTED_DIFFERENCES.md"));
    if (!file.open(QIODevice::ReadOnly)) {
        return out;
    }
    static const QRegularExpression row(QStringLiteral(R"(^\|\s*`?([\w.-]+\.env)`?\s*\|\s*(node|python)\s*\|\s*)"
                                                       R"((coffer-refuses|differs)\s*\|)"));
    for (const QByteArray& line : file.readAll().split('\n')) {
        const auto match = row.match(QString::fromUtf8(line));
        if (match.hasMatch()) {
            out.insert(match.captured(1) + u'/' + match.captured(2), match.captured(3));
        }
    }
    return out;
}

QString node() {
    return QStandardPaths::findExecutable(QStringLiteral("node"));
}

QString nodeDotenv() {
    return qEnvironmentVariable("COFFER_NODE_DOTENV");
}

QString python() {
    return qEnvironmentVariable("COFFER_PYTHON", QStringLiteral("/usr/bin/python3"));
}

} // namespace

class TestDotenvCompat : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(!node().isEmpty(), "node is not installed: run scripts/deps.sh test");
        QVERIFY2(QFile::exists(nodeDotenv() + QStringLiteral("/package.json")),
                 qPrintable(QStringLiteral("Node dotenv v16 is missing at COFFER_NODE_DOTENV=%1: run scripts/test, "
                                           "which installs it into build/node-tools")
                                .arg(nodeDotenv())));
        QFile package(nodeDotenv() + QStringLiteral("/package.json"));
        QVERIFY(package.open(QIODevice::ReadOnly));
        QVERIFY2(QJsonDocument::fromJson(package.readAll())
                     .object()
                     .value(QStringLiteral("version"))
                     .toString()
                     .startsWith(QStringLiteral("16.")),
                 "COFFER_NODE_DOTENV is not dotenv 16.x");
        const auto probe = runTool(python(), {QStringLiteral("-c"), QStringLiteral("import dotenv; print('{}')")});
        QVERIFY2(probe.ok, qPrintable(QStringLiteral("python-dotenv is not importable by %1 (install python3-dotenv "
                                                     "with scripts/deps.sh test): %2")
                                          .arg(python(), probe.problem)));
        QVERIFY(QDir(kData + QStringLiteral("/corpus")).entryList({QStringLiteral("*.env")}).size() >= 50);
    }

    void corpus_data() {
        QTest::addColumn<QString>("file");
        for (const auto& name : QDir(kData + QStringLiteral("/corpus")).entryList({QStringLiteral("*.env")})) {
            QTest::newRow(qPrintable(name)) << name;
        }
    }

    void corpus() {
        QFETCH(QString, file);
        const auto expected = expectedDifferences();
        const QString path = kData + QStringLiteral("/corpus/") + file;
        QFile input(path);
        QVERIFY(input.open(QIODevice::ReadOnly));
        const QByteArray text = input.readAll();
        const auto coffer = read(Dialect::Dotenv, bytesOf(text));
        const auto fromNode = runTool(node(), {kData + QStringLiteral("/parse.js"), nodeDotenv(), path});
        QVERIFY2(fromNode.ok, qPrintable(fromNode.problem));

        const QString nodeDifference = expected.value(file + QStringLiteral("/node"));
        if (nodeDifference == QStringLiteral("coffer-refuses")) {
            QVERIFY2(!coffer.has_value(), "listed as refused by Coffer, but Coffer reads it");
            QVERIFY(coffer.error().line > 0);
            return; // python is compared with Coffer only where Coffer reads the file
        }
        QVERIFY2(nodeDifference.isEmpty(), "only coffer-refuses is allowed against Node");
        QVERIFY2(coffer.has_value(),
                 qPrintable(QStringLiteral("Coffer refuses what Node reads (line %1: %2); list it "
                                           "in EXPECTED_DIFFERENCES.md and docs/dotenv.md if on purpose")
                                .arg(coffer ? 0 : coffer.error().line)
                                .arg(coffer ? QString() : coffer.error().message)));
        QCOMPARE(asJson(*coffer), fromNode.values);

        const auto fromPython = runTool(python(), {kData + QStringLiteral("/parse.py"), path});
        QVERIFY2(fromPython.ok, qPrintable(fromPython.problem));
        if (expected.value(file + QStringLiteral("/python")) == QStringLiteral("differs")) {
            QVERIFY2(fromPython.values != fromNode.values, "listed as a python-dotenv difference, but python agrees");
        } else {
            QCOMPARE(fromPython.values, asJson(*coffer));
        }
    }

    void everyListedFileExists() {
        for (const auto& key : expectedDifferences().keys()) {
            const auto file = key.section(u'/', 0, 0);
            QVERIFY2(QFile::exists(kData + QStringLiteral("/corpus/") + file), qPrintable(file));
        }
        QVERIFY(!expectedDifferences().isEmpty());
    }

    // What Coffer writes, Node reads back the same: the dotenv writer's output is portable to Node.
    void nodeReadsWhatCofferWrites() {
        Pairs pairs;
        for (const auto& hard : hardCorpus()) {
            if (!hard.refusedBy.contains(Dialect::Dotenv)) {
                pairs.append({hard.name, hard.value});
            }
        }
        const auto written = write(Dialect::Dotenv, entriesOf(pairs));
        QVERIFY(written.has_value());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile file(dir.filePath(QStringLiteral("written.env")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(toBytes(*written));
        file.close();
        const auto fromNode = runTool(node(), {kData + QStringLiteral("/parse.js"), nodeDotenv(), file.fileName()});
        QVERIFY2(fromNode.ok, qPrintable(fromNode.problem));
        QCOMPARE(fromNode.values, asJson(entriesOf(pairs)));
    }
};

QTEST_GUILESS_MAIN(TestDotenvCompat)
#include "TestDotenvCompat.moc"
