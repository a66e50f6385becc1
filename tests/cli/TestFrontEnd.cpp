// SPDX-License-Identifier: Apache-2.0
// coffer-cli's front end decides alone only for command lines it reads exactly as the full CLI would: `get` with
// an address of three parts and at most --raw, --version N and --vault PATH, and `ls PROJECT/ENV` with at most
// --vault PATH. Everything else goes to the full CLI (nullopt here), which gives its own answer or usage error.
// The vault it names is the full CLI's, and the table it prints for `ls` is the full CLI's, byte for byte.
#include "app/coffer-cli/FrontEnd.h"
#include "cli/Output.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <deque>
#include <string>
#include <vector>

using coffer::cli::front::canonicalVault;
using coffer::cli::front::GetRequest;
using coffer::cli::front::ListRequest;
using coffer::cli::front::SecretLine;
using namespace Qt::StringLiterals;

namespace {

/// Runs one of the front end's parsers on `args` as a command line.
template <typename Parser> auto parseWith(Parser parser, const QStringList& args) {
    std::vector<std::string> owned;
    for (const auto& arg : args) {
        owned.push_back(arg.toStdString());
    }
    std::vector<const char*> pointers;
    for (const auto& arg : owned) {
        pointers.push_back(arg.c_str());
    }
    return parser(pointers);
}

std::optional<GetRequest> parse(const QStringList& args) {
    return parseWith(coffer::cli::front::parseGet, args);
}

std::optional<ListRequest> parseList(const QStringList& args) {
    return parseWith(coffer::cli::front::parseList, args);
}

/// Pieces of table cells: plain text, the white space QChar::isSpace() knows (which trimming removes at a line's
/// ends), characters that are not white space, one outside the BMP (two UTF-16 units), the tag separator. The
/// last group is what the front end must leave to the full CLI: a byte order mark and bytes that are not UTF-8.
struct Piece {
    const char* bytes;
    bool unsure;
};
constexpr Piece kPieces[] = {
    {"a", false},        {"KEY_1", false},        {"x y", false},          {" ", false},
    {"\t", false},       {"\xc2\xa0", false},     {"\xe3\x80\x80", false}, {"\xe2\x80\xa8", false},
    {"\xc2\x85", false}, {"\xe2\x80\x8b", false}, {"\xc3\xa9", false},     {"\xf0\x9f\x98\x80", false},
    {"\x1f", false},     {"\xef\xbb\xbf", true},  {"\xff", true},          {"\xed\xa0\x80", true},
    {"\xc0\xaf", true},  {"\xe2\x82", true},
};

/// 0 to 3 random pieces; `unsure` is set when one of them is.
std::string randomCell(QRandomGenerator& random, bool& unsure, bool allowUnsure) {
    std::string cell;
    const int count = random.bounded(4);
    for (int i = 0; i < count; ++i) {
        const auto& piece = kPieces[random.bounded(static_cast<int>(std::size(kPieces)))];
        if (piece.unsure && !allowUnsure) {
            continue;
        }
        cell += piece.bytes;
        unsure = unsure || piece.unsure;
    }
    return cell;
}

/// What the full CLI prints for the same rows: agent::client::secrets() then cli::printSecrets().
QByteArray fullCliTable(std::span<const SecretLine> rows) {
    if (rows.empty()) {
        return {};
    }
    const auto text = [](std::string_view bytes) {
        return QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size()));
    };
    QList<QStringList> table{{u"NAME"_s, u"VERSION"_s, u"UPDATED"_s, u"BY"_s, u"TAGS"_s}};
    for (const auto& row : rows) {
        const QString tags = text(row.tags);
        table << QStringList{row.deleted ? text(row.name) + u" (deleted)"_s : text(row.name),
                             QString::number(row.version),
                             coffer::cli::isoTime(QDateTime::fromMSecsSinceEpoch(row.updatedMs, Qt::UTC)), text(row.by),
                             (tags.isEmpty() ? QStringList() : tags.split(QChar(0x1f))).join(u',')};
    }
    return coffer::cli::formatTable(table).toUtf8();
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
        QTest::newRow("another command") << QStringList{u"export"_s, u"web/dev"_s};
        QTest::newRow("ls") << QStringList{u"ls"_s, u"web/dev"_s};
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

    void answersPlainLists_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("vault");
        QTest::newRow("ls") << QStringList{u"ls"_s, u"web/dev"_s} << QString();
        QTest::newRow("vault first") << QStringList{u"--vault"_s, u"/v.coffer"_s, u"ls"_s, u"web/dev"_s}
                                     << u"/v.coffer"_s;
        QTest::newRow("vault= last") << QStringList{u"ls"_s, u"web/dev"_s, u"--vault=/v.coffer"_s} << u"/v.coffer"_s;
    }

    void answersPlainLists() {
        QFETCH(QStringList, args);
        QFETCH(QString, vault);
        const auto request = parseList(args);
        QVERIFY(request.has_value());
        QCOMPARE(request->project, std::string("web"));
        QCOMPARE(request->environment, std::string("dev"));
        QCOMPARE(QString::fromStdString(request->vaultOption), vault);
        QVERIFY(!parse(args).has_value());
    }

    void leavesOtherListsToTheFullCli_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("projects") << QStringList{u"ls"_s};
        QTest::newRow("environments") << QStringList{u"ls"_s, u"web"_s};
        QTest::newRow("three parts") << QStringList{u"ls"_s, u"web/dev/KEY"_s};
        QTest::newRow("empty part") << QStringList{u"ls"_s, u"web/"_s};
        QTest::newRow("two scopes") << QStringList{u"ls"_s, u"web/dev"_s, u"web/prod"_s};
        QTest::newRow("json") << QStringList{u"ls"_s, u"web/dev"_s, u"--json"_s};
        QTest::newRow("deleted") << QStringList{u"ls"_s, u"web/dev"_s, u"--deleted"_s};
        QTest::newRow("help") << QStringList{u"ls"_s, u"web/dev"_s, u"--help"_s};
        QTest::newRow("no-agent") << QStringList{u"--no-agent"_s, u"ls"_s, u"web/dev"_s};
        QTest::newRow("vault twice") << QStringList{u"--vault=/a"_s, u"ls"_s, u"web/dev"_s, u"--vault=/b"_s};
        QTest::newRow("vault missing") << QStringList{u"ls"_s, u"web/dev"_s, u"--vault"_s};
        QTest::newRow("get") << QStringList{u"get"_s, u"web/dev/KEY"_s};
    }

    void leavesOtherListsToTheFullCli() {
        QFETCH(QStringList, args);
        QVERIFY(!parseList(args).has_value());
    }

    /// 3,000 random tables of 1 to 4 rows: where the front end prints a table it is the full CLI's byte for byte,
    /// and it declines exactly the rows the full CLI might show differently.
    void tableIsTheFullClis() {
        QRandomGenerator random(20261201);
        // Years 1 and 9999 are the ends of what the front end writes itself.
        constexpr qint64 kFirst = -62135596800000; // 0001-01-01T00:00:00Z
        constexpr qint64 kLast = 253402300799999;  // 9999-12-31T23:59:59.999Z
        int printed = 0;
        for (int round = 0; round < 3000; ++round) {
            bool unsure = false;
            std::deque<std::string> owned; // the cells' bytes, which the rows view (a deque never moves them)
            std::vector<SecretLine> rows(static_cast<std::size_t>(1 + random.bounded(4)));
            for (auto& row : rows) {
                const bool allowUnsure = random.bounded(8) == 0;
                owned.push_back("N" + randomCell(random, unsure, allowUnsure));
                row.name = owned.back();
                owned.push_back(randomCell(random, unsure, allowUnsure));
                row.by = owned.back();
                owned.push_back(randomCell(random, unsure, allowUnsure));
                row.tags = owned.back();
                row.version = static_cast<int>(random.bounded(1, 100000));
                row.deleted = random.bounded(5) == 0;
                switch (random.bounded(16)) {
                case 0:
                    row.updatedMs = random.bounded(2) == 0 ? kFirst : kLast;
                    break;
                case 1:
                    row.updatedMs = random.bounded(2) == 0 ? kFirst - 1 : kLast + 1;
                    unsure = true;
                    break;
                default:
                    row.updatedMs = static_cast<qint64>(random.bounded(static_cast<quint64>(kLast - kFirst))) + kFirst;
                }
            }
            const auto table = coffer::cli::front::secretTable(rows);
            QCOMPARE(table.has_value(), !unsure);
            if (table) {
                QCOMPARE(QByteArray::fromStdString(*table), fullCliTable(rows));
                ++printed;
            }
        }
        QVERIFY2(printed > 1500, qPrintable(QString::number(printed)));
        QCOMPARE(coffer::cli::front::secretTable({}).value_or("not empty"), std::string());
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
        std::string option;
        QCOMPARE(QString::fromStdString(canonicalVault(option).value_or("")), real + u"/data/coffer/default.coffer"_s);
        qputenv("COFFER_VAULT", (real + u"/data/../env.coffer"_s).toUtf8());
        QCOMPARE(QString::fromStdString(canonicalVault(option).value_or("")), real + u"/env.coffer"_s);
        option = (real + u"/link.coffer"_s).toStdString();
        QCOMPARE(QString::fromStdString(canonicalVault(option).value_or("")), real + u"/option.coffer"_s);
        option = (real + u"/missing.coffer"_s).toStdString();
        QVERIFY(!canonicalVault(option).has_value());
        // A relative XDG_DATA_HOME is ignored: HOME's .local/share is used.
        qunsetenv("COFFER_VAULT");
        option.clear();
        qputenv("XDG_DATA_HOME", "relative/data");
        qputenv("HOME", real.toUtf8());
        QVERIFY(QDir().mkpath(real + u"/.local/share/coffer"_s));
        QVERIFY(QFile::copy(real + u"/env.coffer"_s, real + u"/.local/share/coffer/default.coffer"_s));
        QCOMPARE(QString::fromStdString(canonicalVault(option).value_or("")),
                 real + u"/.local/share/coffer/default.coffer"_s);
    }
};

QTEST_GUILESS_MAIN(TestFrontEnd)
#include "TestFrontEnd.moc"
