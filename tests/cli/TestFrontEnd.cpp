// SPDX-License-Identifier: Apache-2.0
// coffer-cli's front end decides alone only for command lines it reads exactly as the full CLI would: `get` with
// an address of three parts and at most --raw, --version N and --vault PATH. Everything else goes to the full
// CLI (nullopt here), which gives its own answer or usage error. The vault it names is the full CLI's.
#include "app/coffer-cli/FrontEnd.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <string>
#include <vector>

using coffer::cli::front::canonicalVault;
using coffer::cli::front::GetRequest;
using coffer::cli::front::parseGet;
using namespace Qt::StringLiterals;

namespace {

std::optional<GetRequest> parse(const QStringList& args) {
    std::vector<std::string> owned;
    for (const auto& arg : args) {
        owned.push_back(arg.toStdString());
    }
    std::vector<const char*> pointers;
    for (const auto& arg : owned) {
        pointers.push_back(arg.c_str());
    }
    return parseGet(pointers);
}

} // namespace

class TestFrontEnd : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void answersPlainGets_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("vault");
        QTest::addColumn<int>("version"); // 0: none
        QTest::addColumn<bool>("raw");
        QTest::newRow("get") << QStringList{u"get"_s, u"web/dev/KEY"_s} << QString() << 0 << false;
        QTest::newRow("vault first") << QStringList{u"--vault"_s, u"/v.coffer"_s, u"get"_s, u"web/dev/KEY"_s}
                                     << u"/v.coffer"_s << 0 << false;
        QTest::newRow("vault= last") << QStringList{u"get"_s, u"web/dev/KEY"_s, u"--vault=/v.coffer"_s}
                                     << u"/v.coffer"_s << 0 << false;
        QTest::newRow("raw, version") << QStringList{u"get"_s, u"--raw"_s, u"web/dev/KEY"_s, u"--version"_s, u"12"_s}
                                      << QString() << 12 << true;
        QTest::newRow("version=") << QStringList{u"get"_s, u"web/dev/KEY"_s, u"--version=2147483647"_s} << QString()
                                  << 2147483647 << false;
    }

    void answersPlainGets() {
        QFETCH(QStringList, args);
        QFETCH(QString, vault);
        QFETCH(int, version);
        QFETCH(bool, raw);
        const auto request = parse(args);
        QVERIFY(request.has_value());
        QCOMPARE(request->project, std::string("web"));
        QCOMPARE(request->environment, std::string("dev"));
        QCOMPARE(request->name, std::string("KEY"));
        QCOMPARE(QString::fromStdString(request->vaultOption), vault);
        QCOMPARE(request->version.value_or(0), version);
        QCOMPARE(request->raw, raw);
    }

    void leavesTheRestToTheFullCli_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("nothing") << QStringList{};
        QTest::newRow("another command") << QStringList{u"ls"_s, u"web/dev"_s};
        QTest::newRow("global --version") << QStringList{u"--version"_s};
        QTest::newRow("help") << QStringList{u"get"_s, u"web/dev/KEY"_s, u"--help"_s};
        QTest::newRow("short help") << QStringList{u"get"_s, u"-h"_s};
        QTest::newRow("no address") << QStringList{u"get"_s};
        QTest::newRow("two addresses") << QStringList{u"get"_s, u"web/dev/A"_s, u"web/dev/B"_s};
        QTest::newRow("two parts") << QStringList{u"get"_s, u"web/dev"_s};
        QTest::newRow("four parts") << QStringList{u"get"_s, u"web/dev/A/B"_s};
        QTest::newRow("empty part") << QStringList{u"get"_s, u"web//KEY"_s};
        QTest::newRow("trailing slash") << QStringList{u"get"_s, u"web/dev/"_s};
        QTest::newRow("no-agent") << QStringList{u"--no-agent"_s, u"get"_s, u"web/dev/KEY"_s};
        QTest::newRow("password file") << QStringList{u"get"_s, u"web/dev/KEY"_s, u"--password-file"_s, u"f"_s};
        QTest::newRow("version 0") << QStringList{u"get"_s, u"web/dev/KEY"_s, u"--version"_s, u"0"_s};
        QTest::newRow("version sign") << QStringList{u"get"_s, u"web/dev/KEY"_s, u"--version"_s, u"+3"_s};
        QTest::newRow("version too big") << QStringList{u"get"_s, u"web/dev/KEY"_s, u"--version=2147483648"_s};
        QTest::newRow("version missing") << QStringList{u"get"_s, u"web/dev/KEY"_s, u"--version"_s};
        QTest::newRow("version twice") << QStringList{u"get"_s, u"web/dev/KEY"_s, u"--version=1"_s, u"--version=2"_s};
        QTest::newRow("raw twice") << QStringList{u"get"_s, u"web/dev/KEY"_s, u"--raw"_s, u"--raw"_s};
        QTest::newRow("vault twice") << QStringList{u"--vault=/a"_s, u"get"_s, u"web/dev/KEY"_s, u"--vault=/b"_s};
        QTest::newRow("vault empty") << QStringList{u"--vault="_s, u"get"_s, u"web/dev/KEY"_s};
        QTest::newRow("vault missing") << QStringList{u"get"_s, u"web/dev/KEY"_s, u"--vault"_s};
        QTest::newRow("end of options") << QStringList{u"get"_s, u"--"_s, u"web/dev/KEY"_s};
        QTest::newRow("unknown option") << QStringList{u"get"_s, u"web/dev/KEY"_s, u"--json"_s};
    }

    void leavesTheRestToTheFullCli() {
        QFETCH(QStringList, args);
        QVERIFY(!parse(args).has_value());
    }

    /// --vault, else $COFFER_VAULT, else the XDG default; canonical (symbolic links and ".." resolved); nullopt
    /// when the file is missing.
    void namesTheFullClisVault() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString real = QDir(dir.path()).canonicalPath();
        QVERIFY(QDir().mkpath(real + u"/data/coffer"_s));
        for (const QString& file : {u"/data/coffer/default.coffer"_s, u"/env.coffer"_s, u"/option.coffer"_s}) {
            QFile created(real + file);
            QVERIFY(created.open(QIODevice::WriteOnly));
        }
        QVERIFY(QFile::link(real + u"/option.coffer"_s, real + u"/link.coffer"_s));
        qputenv("XDG_DATA_HOME", (real + u"/data"_s).toUtf8());
        qunsetenv("COFFER_VAULT");
        GetRequest request;
        QCOMPARE(QString::fromStdString(canonicalVault(request).value_or("")), real + u"/data/coffer/default.coffer"_s);
        qputenv("COFFER_VAULT", (real + u"/data/../env.coffer"_s).toUtf8());
        QCOMPARE(QString::fromStdString(canonicalVault(request).value_or("")), real + u"/env.coffer"_s);
        request.vaultOption = (real + u"/link.coffer"_s).toStdString();
        QCOMPARE(QString::fromStdString(canonicalVault(request).value_or("")), real + u"/option.coffer"_s);
        request.vaultOption = (real + u"/missing.coffer"_s).toStdString();
        QVERIFY(!canonicalVault(request).has_value());
        // A relative XDG_DATA_HOME is ignored: HOME's .local/share is used.
        qunsetenv("COFFER_VAULT");
        request.vaultOption.clear();
        qputenv("XDG_DATA_HOME", "relative/data");
        qputenv("HOME", real.toUtf8());
        QVERIFY(QDir().mkpath(real + u"/.local/share/coffer"_s));
        QVERIFY(QFile::copy(real + u"/env.coffer"_s, real + u"/.local/share/coffer/default.coffer"_s));
        QCOMPARE(QString::fromStdString(canonicalVault(request).value_or("")),
                 real + u"/.local/share/coffer/default.coffer"_s);
    }
};

QTEST_GUILESS_MAIN(TestFrontEnd)
#include "TestFrontEnd.moc"
