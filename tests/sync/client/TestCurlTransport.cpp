// SPDX-License-Identifier: Apache-2.0
// CurlTransport, the one door to the network: which server URLs it accepts, that it never follows a
// redirect, caps a reply's size, maps network and TLS failures to Offline and Tls, and verifies a
// real coffer-server's certificate (a self-signed CA made with openssl at test time) only against
// the CA file it was given.
#include "sync/Transport.h"
#include "tests/server/client/ServerProcess.h"
#include "tests/sync/client/FakeServer.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <thread>

using namespace coffer;
using sync::ErrorCode;
using tests::FakeReply;
using tests::FakeRequest;
using tests::FakeServer;

Q_DECLARE_METATYPE(coffer::sync::ErrorCode)

namespace {

sync::TransportOptions optionsFor(const std::string& url) {
    sync::TransportOptions options;
    options.baseUrl = QString::fromStdString(url);
    options.connectTimeout = std::chrono::seconds(10);
    options.timeout = std::chrono::seconds(30);
    return options;
}

sync::HttpRequest get(const std::string& path, const std::string& query = {}) {
    return sync::HttpRequest{"GET", path, query, "", {}};
}

QByteArray describe(const sync::Error& error) {
    return (sync::codeName(error.code) + QStringLiteral(": ") + error.message).toUtf8();
}

/// The error of a result for a failure message, "" when it holds a value (QVERIFY2 always evaluates it).
template <typename R> QByteArray whyNot(const R& result) {
    return result.has_value() ? QByteArray() : describe(result.error());
}

/// Runs openssl; the test fails (false) with its output when it does not succeed.
bool openssl(const QStringList& arguments) {
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForFinished(60'000) || process.exitCode() != 0) {
        qWarning("openssl %s failed: %s", qPrintable(arguments.join(u' ')), process.readAll().constData());
        return false;
    }
    return true;
}

/// A self-signed certificate (its own CA) for `subjectAltName`, written as NAME.crt and NAME.key.
bool makeCertificate(const QTemporaryDir& dir, const QString& name, const QString& subjectAltName) {
    return openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                    QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                    QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=coffer-test-") + name, QStringLiteral("-addext"),
                    QStringLiteral("subjectAltName=") + subjectAltName, QStringLiteral("-keyout"),
                    dir.filePath(name + QStringLiteral(".key")), QStringLiteral("-out"),
                    dir.filePath(name + QStringLiteral(".crt"))});
}

} // namespace

class TestCurlTransport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void serverUrls_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("https with a host") << QStringLiteral("https://sync.example.com") << true;
        QTest::newRow("https with port and prefix") << QStringLiteral("https://sync.example.com:8443/coffer/") << true;
        QTest::newRow("https to loopback") << QStringLiteral("https://127.0.0.1:9") << true;
        QTest::newRow("http to 127.0.0.1") << QStringLiteral("http://127.0.0.1:8080") << true;
        QTest::newRow("http to 127.5.6.7") << QStringLiteral("http://127.5.6.7") << true;
        QTest::newRow("http to ::1") << QStringLiteral("http://[::1]:8080") << true;
        QTest::newRow("http to localhost") << QStringLiteral("http://localhost:8080/") << true;
        QTest::newRow("http to LOCALHOST") << QStringLiteral("http://LOCALHOST:8080") << true;
        QTest::newRow("http to a public host") << QStringLiteral("http://sync.example.com") << false;
        QTest::newRow("http to a private address") << QStringLiteral("http://10.0.0.1") << false;
        QTest::newRow("http to 128.0.0.1") << QStringLiteral("http://128.0.0.1") << false;
        QTest::newRow("http to localhost.example.com") << QStringLiteral("http://localhost.example.com") << false;
        QTest::newRow("http to 127.0.0.1.nip.io") << QStringLiteral("http://127.0.0.1.nip.io") << false;
        QTest::newRow("http to ::ffff:10.0.0.1") << QStringLiteral("http://[::ffff:10.0.0.1]") << false;
        QTest::newRow("ftp") << QStringLiteral("ftp://sync.example.com") << false;
        QTest::newRow("file") << QStringLiteral("file:///etc/passwd") << false;
        QTest::newRow("user and password") << QStringLiteral("https://user:secret@sync.example.com") << false;
        QTest::newRow("loopback as user name") << QStringLiteral("http://127.0.0.1@sync.example.com") << false;
        QTest::newRow("user only") << QStringLiteral("https://user@sync.example.com") << false;
        QTest::newRow("query") << QStringLiteral("https://sync.example.com/?team=1") << false;
        QTest::newRow("fragment") << QStringLiteral("https://sync.example.com/#x") << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("no scheme") << QStringLiteral("sync.example.com") << false;
        QTest::newRow("space") << QStringLiteral("https://sync.example.com /x") << false;
        QTest::newRow("newline") << QStringLiteral("https://sync.example.com\r\nX: y") << false;
        QTest::newRow("no host") << QStringLiteral("https://") << false;
    }
    void serverUrls() {
        QFETCH(QString, url);
        QFETCH(bool, accepted);
        auto transport = sync::makeCurlTransport(optionsFor(url.toStdString()));
        if (accepted) {
            QVERIFY2(transport.has_value(), whyNot(transport).constData());
        } else {
            QVERIFY(!transport.has_value());
            QCOMPARE(transport.error().code, ErrorCode::InvalidInput);
            QVERIFY2(transport.error().message.contains(QStringLiteral("server URL")), whyNot(transport).constData());
        }
    }

    void exchangesWithTheServer() {
        FakeServer fake([](const FakeRequest& request) {
            if (request.path == "/missing")
                return FakeReply{404, R"({"error":"not_found","message":"no such route"})", {}, 0};
            return FakeReply{200, "{\"echo\":\"" + request.method + "\"}", {{"X-Coffer-Test", "Value "}}, 0};
        });
        auto transport = sync::makeCurlTransport(optionsFor(fake.url() + "/"));
        QVERIFY(transport);

        sync::HttpRequest post{"POST", "/v1/teams", "", R"({"a":1})", {{"Coffer-Time", "1"}}};
        auto posted = (*transport)->send(post);
        QVERIFY2(posted, whyNot(posted).constData());
        QCOMPARE(posted->status, 200);
        QCOMPARE(posted->body, std::string(R"({"echo":"POST"})"));
        // Header names arrive in lower case, values trimmed.
        QCOMPARE(posted->headers.at("x-coffer-test"), std::string("Value"));

        auto got = (*transport)->send(get("/v1/teams/ab/records", "after=1&limit=2"));
        QVERIFY(got);
        QCOMPARE(got->body, std::string(R"({"echo":"GET"})"));

        // An HTTP error status is a response, not a transport error.
        auto missing = (*transport)->send(get("/missing"));
        QVERIFY(missing);
        QCOMPARE(missing->status, 404);

        const auto seen = fake.requests();
        QCOMPARE(seen.size(), std::size_t{3});
        QCOMPARE(seen[0].method, std::string("POST"));
        QCOMPARE(seen[0].path, std::string("/v1/teams")); // the base URL's trailing '/' is not doubled
        QCOMPARE(seen[0].body, std::string(R"({"a":1})"));
        QCOMPARE(seen[0].headers.at("content-type"), std::string("application/json"));
        QCOMPARE(seen[0].headers.at("coffer-time"), std::string("1"));
        QVERIFY(!seen[0].headers.contains("expect"));
        QCOMPARE(seen[1].path, std::string("/v1/teams/ab/records"));
        QCOMPARE(seen[1].query, std::string("after=1&limit=2"));
    }

    void pathIsSentExactlyAsSigned() {
        FakeServer fake([](const FakeRequest&) { return FakeReply{}; });
        auto transport = sync::makeCurlTransport(optionsFor(fake.url()));
        QVERIFY(transport);
        QVERIFY((*transport)->send(get("/v1/../v1/./teams")));
        QCOMPARE(fake.requests().at(0).path, std::string("/v1/../v1/./teams"));
    }

    void unsafeRequestsAreRefused_data() {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("headerValue");
        QTest::newRow("method") << QByteArray("TRACE") << QByteArray("/v1") << QByteArray("x");
        QTest::newRow("relative path") << QByteArray("GET") << QByteArray("v1") << QByteArray("x");
        QTest::newRow("space in path") << QByteArray("GET") << QByteArray("/v1 HTTP/1.0") << QByteArray("x");
        QTest::newRow("header injection") << QByteArray("GET") << QByteArray("/v1") << QByteArray("x\r\nHost: evil");
    }
    void unsafeRequestsAreRefused() {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, headerValue);
        FakeServer fake([](const FakeRequest&) { return FakeReply{}; });
        auto transport = sync::makeCurlTransport(optionsFor(fake.url()));
        QVERIFY(transport);
        auto sent =
            (*transport)
                ->send(sync::HttpRequest{
                    method.toStdString(), path.toStdString(), "", "", {{"Coffer-Nonce", headerValue.toStdString()}}});
        QVERIFY(!sent);
        QCOMPARE(sent.error().code, ErrorCode::InvalidInput);
        QVERIFY(fake.requests().empty());
    }

    void redirectIsNeverFollowed_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("location");
        QTest::newRow("302 to another host") << 302 << QByteArray("https://evil.example.com/v1/teams");
        QTest::newRow("301 to plain http") << 301 << QByteArray("http://127.0.0.1:1/v1/teams");
        QTest::newRow("307 same server") << 307 << QByteArray("/v1/other");
        QTest::newRow("308 without a location") << 308 << QByteArray();
    }
    void redirectIsNeverFollowed() {
        QFETCH(int, status);
        QFETCH(QByteArray, location);
        FakeServer fake([&](const FakeRequest&) {
            FakeReply reply{status, "", {}, 0};
            if (!location.isEmpty())
                reply.headers.emplace_back("Location", location.toStdString());
            return reply;
        });
        auto transport = sync::makeCurlTransport(optionsFor(fake.url()));
        QVERIFY(transport);
        auto sent = (*transport)->send(get("/v1/teams"));
        QVERIFY(!sent);
        QCOMPARE(sent.error().code, ErrorCode::Redirect);
        QCOMPARE(sent.error().httpStatus, status);
        QVERIFY2(sent.error().message.contains(QStringLiteral("never followed")), whyNot(sent).constData());
        QCOMPARE(fake.requests().size(), std::size_t{1}); // the redirect target was not asked
    }

    void hugeReplyIsCapped_data() {
        QTest::addColumn<bool>("chunked");
        QTest::newRow("with Content-Length") << false;
        QTest::newRow("chunked, no length") << true;
    }
    void hugeReplyIsCapped() {
        QFETCH(bool, chunked);
        constexpr std::size_t cap = 1024 * 1024;
        FakeServer fake([&](const FakeRequest& request) {
            if (request.path == "/small")
                return FakeReply{200, std::string(cap, 'y'), {}, 0};
            if (chunked)
                return FakeReply{200, "", {}, 256 * cap}; // 256 MiB: must be cut off, not buffered
            return FakeReply{200, std::string(cap + 1, 'x'), {}, 0};
        });
        auto options = optionsFor(fake.url());
        options.maxResponseBytes = cap;
        auto transport = sync::makeCurlTransport(options);
        QVERIFY(transport);
        auto huge = (*transport)->send(get("/huge"));
        QVERIFY(!huge);
        QCOMPARE(huge.error().code, ErrorCode::HostileResponse);
        QVERIFY2(huge.error().message.contains(QStringLiteral("larger than")), whyNot(huge).constData());
        // Exactly the cap is fine, and the transport still works after an aborted exchange.
        auto small = (*transport)->send(get("/small"));
        QVERIFY2(small, whyNot(small).constData());
        QCOMPARE(small->body.size(), cap);
    }

    void connectionRefusedIsOffline() {
        auto transport = sync::makeCurlTransport(optionsFor("http://127.0.0.1:" + std::to_string(tests::closedPort())));
        QVERIFY(transport);
        auto sent = (*transport)->send(get("/healthz"));
        QVERIFY(!sent);
        QCOMPARE(sent.error().code, ErrorCode::Offline);
        QVERIFY2(sent.error().message.contains(QStringLiteral("check the server URL and that it is running")),
                 whyNot(sent).constData());
    }

    void slowServerTimesOutOffline() {
        FakeServer fake([](const FakeRequest&) {
            std::this_thread::sleep_for(std::chrono::seconds(3));
            return FakeReply{};
        });
        auto options = optionsFor(fake.url());
        options.timeout = std::chrono::seconds(1);
        auto transport = sync::makeCurlTransport(options);
        QVERIFY(transport);
        auto sent = (*transport)->send(get("/healthz"));
        QVERIFY(!sent);
        QCOMPARE(sent.error().code, ErrorCode::Offline);
    }

    void loopbackIgnoresTheProxyEnvironment() {
        FakeServer fake([](const FakeRequest&) { return FakeReply{}; });
        // A proxy that does not exist: a loopback request that went through it would fail.
        const QByteArray dead = QByteArrayLiteral("http://127.0.0.1:") + QByteArray::number(tests::closedPort());
        qputenv("http_proxy", dead);
        qputenv("HTTPS_PROXY", dead);
        qputenv("ALL_PROXY", dead);
        auto transport = sync::makeCurlTransport(optionsFor(fake.url()));
        QVERIFY(transport);
        auto sent = (*transport)->send(get("/healthz"));
        qunsetenv("http_proxy");
        qunsetenv("HTTPS_PROXY");
        qunsetenv("ALL_PROXY");
        QVERIFY2(sent, whyNot(sent).constData());
        QCOMPARE(fake.requests().size(), std::size_t{1});
    }

    void unusableCaFileIsTls_data() {
        QTest::addColumn<QString>("content"); // "" = no file at all
        QTest::newRow("missing") << QString();
        QTest::newRow("not PEM") << QStringLiteral("this is not a certificate\n");
    }
    void unusableCaFileIsTls() {
        QFETCH(QString, content);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("ca.pem"));
        if (!content.isEmpty()) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content.toUtf8());
        }
        auto options = optionsFor("https://sync.example.com");
        options.caFile = path;
        auto transport = sync::makeCurlTransport(options);
        QVERIFY(!transport);
        QCOMPARE(transport.error().code, ErrorCode::Tls);
        QVERIFY2(transport.error().message.contains(path), whyNot(transport).constData());
    }

    void tlsVerifiesAgainstTheGivenCa() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // The server's certificate, and an unrelated one that must not be accepted as its CA.
        QVERIFY(makeCertificate(dir, QStringLiteral("server"), QStringLiteral("IP:127.0.0.1")));
        QVERIFY(makeCertificate(dir, QStringLiteral("other"), QStringLiteral("IP:127.0.0.1")));

        tests::ServerProcess server(COFFER_SERVER_PATH);
        tests::ServerOptions options;
        options.database = "sqlite:" + dir.filePath(QStringLiteral("server.db")).toStdString();
        options.extraArgs = {"--tls-cert", dir.filePath(QStringLiteral("server.crt")).toStdString(), "--tls-key",
                             dir.filePath(QStringLiteral("server.key")).toStdString()};
        auto started = server.start(options);
        QVERIFY2(started, started ? "" : started.error().c_str());
        const std::string https = "https://127.0.0.1:" + std::to_string(server.port());

        // Trusted through --ca-file: a real exchange.
        auto trusted = optionsFor(https);
        trusted.caFile = dir.filePath(QStringLiteral("server.crt"));
        auto good = sync::makeCurlTransport(trusted);
        QVERIFY(good);
        auto healthy = (*good)->send(get("/healthz"));
        QVERIFY2(healthy, whyNot(healthy).constData());
        QCOMPARE(healthy->status, 200);
        QVERIFY((*good)->send(get("/healthz"))); // the connection is reused

        // The system store does not know a self-signed certificate.
        auto system = sync::makeCurlTransport(optionsFor(https));
        QVERIFY(system);
        auto untrusted = (*system)->send(get("/healthz"));
        QVERIFY(!untrusted);
        QCOMPARE(untrusted.error().code, ErrorCode::Tls);
        QVERIFY2(untrusted.error().message.contains(QStringLiteral("set --ca-file to its CA")),
                 whyNot(untrusted).constData());

        // Another CA file is no better.
        auto wrong = optionsFor(https);
        wrong.caFile = dir.filePath(QStringLiteral("other.crt"));
        auto other = sync::makeCurlTransport(wrong);
        QVERIFY(other);
        auto refused = (*other)->send(get("/healthz"));
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Tls);

        // The right CA, but the certificate names 127.0.0.1, not localhost: host verification.
        auto byName = optionsFor("https://localhost:" + std::to_string(server.port()));
        byName.caFile = dir.filePath(QStringLiteral("server.crt"));
        auto named = sync::makeCurlTransport(byName);
        QVERIFY(named);
        auto mismatch = (*named)->send(get("/healthz"));
        QVERIFY(!mismatch);
        QVERIFY2(mismatch.error().code == ErrorCode::Tls, whyNot(mismatch).constData());

        // Plain http to the TLS port gets no usable reply.
        auto plain = sync::makeCurlTransport(optionsFor("http://127.0.0.1:" + std::to_string(server.port())));
        QVERIFY(plain);
        auto cleartext = (*plain)->send(get("/healthz"));
        QVERIFY(!cleartext || cleartext->status >= 400);

        QVERIFY(server.stop());
    }
};

QTEST_GUILESS_MAIN(TestCurlTransport)
#include "TestCurlTransport.moc"
