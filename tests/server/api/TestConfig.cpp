// SPDX-License-Identifier: Apache-2.0
// coffer-server's config file and command line: good files, unknown keys and bad values with their
// line numbers, options overriding the file, per-command options.
#include "server/Config.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace coffer::server;

namespace {

ConfigResult<CommandLine> parse(std::initializer_list<std::string> args) {
    const std::vector<std::string> list(args);
    return parseCommandLine(list);
}

} // namespace

class TestConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaults() {
        const Config config;
        QCOMPARE(config.listen, std::string("127.0.0.1:8443"));
        QCOMPARE(config.database, std::string("sqlite:./coffer-server.db"));
        QCOMPARE(config.limits.maxBodyBytes, std::size_t{4 * 1024 * 1024});
        QCOMPARE(config.limits.maxRecordsPerPush, std::size_t{1000});
        QCOMPARE(config.limits.maxRecordBytes, std::size_t{64 * 1024});
        QCOMPARE(config.limits.rateLimitPerSecond, 200.0);
        QCOMPARE(config.limits.rateLimitBurst, 400.0);
        QCOMPARE(config.readTimeoutSeconds, 10);
        QCOMPARE(config.writeTimeoutSeconds, 10);
        QCOMPARE(config.threads, 8);
        QVERIFY(config.logRequests);
    }

    void goodFile() {
        Config config;
        const auto applied = applyConfigText(config,
                                             "# coffer-server\n"
                                             "\n"
                                             "listen = 0.0.0.0:9000\n"
                                             "database=postgresql://coffer@db/coffer\n"
                                             "  tls_cert = /etc/ssl/cert.pem  \n"
                                             "tls_key = /etc/ssl/key.pem\r\n"
                                             "max_body_bytes = 1048576\n"
                                             "max_records_per_push = 50\n"
                                             "max_record_bytes = 4096\n"
                                             "rate_limit_per_second = 12.5\n"
                                             "rate_limit_burst = 30\n"
                                             "read_timeout_seconds = 5\n"
                                             "write_timeout_seconds = 7\n"
                                             "threads = 16\n"
                                             "log_requests = false\n",
                                             "server.conf");
        QVERIFY2(applied, applied ? "" : applied.error().c_str());
        QCOMPARE(config.listen, std::string("0.0.0.0:9000"));
        QCOMPARE(config.database, std::string("postgresql://coffer@db/coffer"));
        QCOMPARE(config.tlsCert, std::string("/etc/ssl/cert.pem"));
        QCOMPARE(config.tlsKey, std::string("/etc/ssl/key.pem"));
        QCOMPARE(config.limits.maxBodyBytes, std::size_t{1048576});
        QCOMPARE(config.limits.maxRecordsPerPush, std::size_t{50});
        QCOMPARE(config.limits.maxRecordBytes, std::size_t{4096});
        QCOMPARE(config.limits.rateLimitPerSecond, 12.5);
        QCOMPARE(config.limits.rateLimitBurst, 30.0);
        QCOMPARE(config.readTimeoutSeconds, 5);
        QCOMPARE(config.writeTimeoutSeconds, 7);
        QCOMPARE(config.threads, 16);
        QVERIFY(!config.logRequests);
    }

    void badFiles_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("error");
        QTest::newRow("unknown key") << QByteArray("listen = 127.0.0.1:1\nport = 80\n")
                                     << QByteArray("f.conf:2: unknown key 'port'");
        QTest::newRow("no equals sign") << QByteArray("# c\n\nthreads 8\n")
                                        << QByteArray("f.conf:3: expected 'key = value'");
        QTest::newRow("threads not a number")
            << QByteArray("threads = eight\n")
            << QByteArray("f.conf:1: bad value for threads: 'eight' (a whole number from 1 to 1024)");
        QTest::newRow("threads zero") << QByteArray("\n\n\n\nthreads = 0\n")
                                      << QByteArray("f.conf:5: bad value for threads");
        QTest::newRow("negative body") << QByteArray("max_body_bytes = -1\n")
                                       << QByteArray("f.conf:1: bad value for max_body_bytes");
        QTest::newRow("body with unit") << QByteArray("max_body_bytes = 4MiB\n")
                                        << QByteArray("f.conf:1: bad value for max_body_bytes");
        QTest::newRow("log_requests yes")
            << QByteArray("log_requests = yes\n") << QByteArray("f.conf:1: bad value for log_requests: 'yes'");
        QTest::newRow("listen without port")
            << QByteArray("listen = localhost\n") << QByteArray("f.conf:1: bad value for listen");
        QTest::newRow("listen port too big")
            << QByteArray("listen = 127.0.0.1:70000\n") << QByteArray("f.conf:1: bad value for listen");
        QTest::newRow("database scheme") << QByteArray("database = mysql://x\n")
                                         << QByteArray("f.conf:1: bad value for database");
        QTest::newRow("rate not finite") << QByteArray("rate_limit_per_second = inf\n")
                                         << QByteArray("f.conf:1: bad value for rate_limit_per_second");
        QTest::newRow("timeout too long") << QByteArray("read_timeout_seconds = 86400\n")
                                          << QByteArray("f.conf:1: bad value for read_timeout_seconds");
        QTest::newRow("inline comment is part of the value")
            << QByteArray("threads = 8 # eight\n") << QByteArray("f.conf:1: bad value for threads");
    }
    void badFiles() {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, error);
        Config config;
        const auto applied = applyConfigText(config, text.toStdString(), "f.conf");
        QVERIFY(!applied);
        QVERIFY2(applied.error().starts_with(error.toStdString()), applied.error().c_str());
    }

    void commandLineOverridesTheFile() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("server.conf")).toStdString();
        std::ofstream(path) << "listen = 0.0.0.0:9000\ndatabase = sqlite:/var/lib/a.db\nthreads = 3\n";
        const auto commandLine =
            parse({"serve", "--config", path, "--listen=127.0.0.1:0", "--database", "sqlite:/tmp/b.db"});
        QVERIFY(commandLine);
        QCOMPARE(commandLine->command, Command::Serve);
        const auto config = loadConfig(*commandLine);
        QVERIFY2(config, config ? "" : config.error().c_str());
        QCOMPARE(config->listen, std::string("127.0.0.1:0"));
        QCOMPARE(config->database, std::string("sqlite:/tmp/b.db"));
        QCOMPARE(config->threads, 3);
    }

    void badFileNamesItsLineThroughLoadConfig() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("server.conf")).toStdString();
        std::ofstream(path) << "# ok\nthreads = 4\nmax_records = 10\n";
        const auto commandLine = parse({"--config", path});
        QVERIFY(commandLine);
        const auto config = loadConfig(*commandLine);
        QVERIFY(!config);
        QCOMPARE(config.error(), path + ":3: unknown key 'max_records'");
        QVERIFY(!loadConfig(*parse({"--config", path + ".missing"})));
    }

    void badOptionValueNamesTheOption() {
        const auto commandLine = parse({"--listen", "nowhere"});
        QVERIFY(commandLine);
        const auto config = loadConfig(*commandLine);
        QVERIFY(!config);
        QVERIFY2(config.error().starts_with("--listen: bad value for listen"), config.error().c_str());
    }

    void tlsNeedsBoth() {
        QVERIFY(!loadConfig(*parse({"--tls-cert", "/c.pem"})));
        QVERIFY(!loadConfig(*parse({"--tls-key", "/k.pem"})));
        QVERIFY(loadConfig(*parse({"--tls-cert", "/c.pem", "--tls-key", "/k.pem"})));
    }

    void commands_data() {
        QTest::addColumn<QList<QByteArray>>("args");
        QTest::addColumn<int>("command"); // -1: a usage error
        QTest::newRow("nothing: serve") << QList<QByteArray>{} << int(Command::Serve);
        QTest::newRow("serve") << QList<QByteArray>{"serve"} << int(Command::Serve);
        QTest::newRow("team-code") << QList<QByteArray>{"team-code", "--valid-hours", "2"} << int(Command::TeamCode);
        QTest::newRow("migrate") << QList<QByteArray>{"migrate", "--database", "sqlite:x.db"} << int(Command::Migrate);
        QTest::newRow("version") << QList<QByteArray>{"--version"} << int(Command::Version);
        QTest::newRow("help wins") << QList<QByteArray>{"serve", "--bogus", "--help"} << int(Command::Help);
        QTest::newRow("unknown command") << QList<QByteArray>{"start"} << -1;
        QTest::newRow("two commands") << QList<QByteArray>{"serve", "migrate"} << -1;
        QTest::newRow("unknown option") << QList<QByteArray>{"--port", "80"} << -1;
        QTest::newRow("option without value") << QList<QByteArray>{"--listen"} << -1;
        QTest::newRow("listen is for serve only") << QList<QByteArray>{"migrate", "--listen", "a:1"} << -1;
        QTest::newRow("valid-hours is for team-code only") << QList<QByteArray>{"serve", "--valid-hours", "1"} << -1;
        QTest::newRow("valid-hours zero") << QList<QByteArray>{"team-code", "--valid-hours", "0"} << -1;
    }
    void commands() {
        QFETCH(QList<QByteArray>, args);
        QFETCH(int, command);
        std::vector<std::string> list;
        for (const QByteArray& arg : args)
            list.push_back(arg.toStdString());
        const auto commandLine = parseCommandLine(list);
        if (command < 0) {
            QVERIFY(!commandLine);
            QVERIFY(!commandLine.error().empty());
        } else {
            QVERIFY2(commandLine, commandLine ? "" : commandLine.error().c_str());
            QCOMPARE(int(commandLine->command), command);
        }
    }

    void validHours() {
        const auto commandLine = parse({"team-code", "--valid-hours=48"});
        QVERIFY(commandLine);
        QCOMPARE(commandLine->validHours, std::int64_t{48});
        QCOMPARE(parse({"team-code"})->validHours, std::int64_t{24});
    }

    void listenAddresses_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("v4") << QByteArray("127.0.0.1:8443") << QByteArray("127.0.0.1") << 8443;
        QTest::newRow("any port") << QByteArray("0.0.0.0:0") << QByteArray("0.0.0.0") << 0;
        QTest::newRow("name") << QByteArray("localhost:80") << QByteArray("localhost") << 80;
        QTest::newRow("v6") << QByteArray("[::1]:9000") << QByteArray("::1") << 9000;
        QTest::newRow("bare v6") << QByteArray("::1:9000") << QByteArray("") << -1;
        QTest::newRow("no host") << QByteArray(":80") << QByteArray("") << -1;
        QTest::newRow("port text") << QByteArray("h:http") << QByteArray("") << -1;
    }
    void listenAddresses() {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, host);
        QFETCH(int, port);
        const auto address = parseListen(text.toStdString());
        if (port < 0) {
            QVERIFY(!address);
            return;
        }
        QVERIFY(address);
        QCOMPARE(QByteArray::fromStdString(address->host), host);
        QCOMPARE(address->port, port);
    }

    void usageNamesEveryCommand() {
        const std::string usage = usageText();
        for (const char* word : {"serve", "team-code", "migrate", "--version", "--help", "--listen", "--database",
                                 "--tls-cert", "--tls-key", "--config", "--valid-hours"})
            QVERIFY2(usage.find(word) != std::string::npos, word);
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "TestConfig.moc"
