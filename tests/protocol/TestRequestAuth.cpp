// SPDX-License-Identifier: Apache-2.0
#include "sync/protocol/Json.h"
#include "sync/protocol/RequestAuth.h"

#include "tests/protocol/ProtocolTestSupport.h"

#include <QTest>

#include <limits>

using namespace coffer::protocol;
using coffer::test::codeString;
using coffer::test::outcome;

namespace {

constexpr std::int64_t kNow = 1'800'000'000;
constexpr std::string_view kPath = "/v1/teams/ab/environments/cd/records";
constexpr std::string_view kQuery = "after=3&limit=10";
constexpr std::string_view kBody = R"({"expectedHead":{"seq":0}})";

using Headers = std::map<std::string, std::string>;

HeaderLookup lookupIn(const Headers& headers) {
    return [&headers](std::string_view name) -> std::optional<std::string> {
        const auto it = headers.find(std::string(name));
        if (it == headers.end()) {
            return std::nullopt;
        }
        return it->second;
    };
}

const coffer::crypto::SigningKeyPair& deviceKey() {
    static const auto key =
        coffer::crypto::SigningKeyPair::fromSeed(coffer::crypto::SignSeed::fromBytes(coffer::test::filled<32>(0x42)));
    return key;
}

Headers signedHeaders(bool session = false, std::int64_t time = kNow) {
    return signRequest("POST", kPath, kQuery, kBody, deviceKey(), session, time);
}

} // namespace

class TestRequestAuth : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip() {
        for (const bool session : {false, true}) {
            const Headers headers = signedHeaders(session);
            QCOMPARE(headers.size(), std::size_t{4});
            QVERIFY(headers.contains(std::string(session ? kHeaderSession : kHeaderKey)));
            const auto verified = verifyRequest("POST", kPath, kQuery, kBody, lookupIn(headers), kNow);
            QVERIFY2(verified.has_value(), qPrintable(outcome(verified)));
            QCOMPARE(verified->session, session);
            QVERIFY(verified->key == deviceKey().publicKey);
            QCOMPARE(verified->time, kNow);
            QVERIFY(verified->bodyHash == bodyHash(kBody));
            QCOMPARE(hex(verified->nonce), headers.at(std::string(kHeaderNonce)));
        }
    }

    // Two signatures of the same request differ: a fresh nonce each time (the server refuses reuse).
    void freshNonce() {
        const Headers first = signedHeaders();
        const Headers second = signedHeaders();
        QVERIFY(first.at(std::string(kHeaderNonce)) != second.at(std::string(kHeaderNonce)));
        QVERIFY(first.at(std::string(kHeaderSignature)) != second.at(std::string(kHeaderSignature)));
    }

    void missingHeader_data() {
        QTest::addColumn<QString>("header");
        for (const auto name : {kHeaderKey, kHeaderTime, kHeaderNonce, kHeaderSignature}) {
            QTest::newRow(std::string(name).c_str()) << QString::fromUtf8(std::string(name));
        }
    }
    void missingHeader() {
        QFETCH(QString, header);
        Headers headers = signedHeaders();
        QCOMPARE(headers.erase(header.toStdString()), std::size_t{1});
        QCOMPARE(outcome(verifyRequest("POST", kPath, kQuery, kBody, lookupIn(headers), kNow)),
                 codeString(ErrorCode::Malformed));
    }

    void badHeader_data() {
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        const QString malformed = codeString(ErrorCode::Malformed);
        const std::string key = hex(deviceKey().publicKey.span());
        QTest::newRow("key upper case") << QString::fromUtf8(kHeaderKey.data(), kHeaderKey.size())
                                        << QString::fromStdString(key).toUpper() << malformed;
        QTest::newRow("key short") << QString::fromUtf8(kHeaderKey.data(), kHeaderKey.size())
                                   << QString::fromStdString(key.substr(2)) << malformed;
        QTest::newRow("time text") << QStringLiteral("Coffer-Time") << QStringLiteral("soon") << malformed;
        QTest::newRow("time plus") << QStringLiteral("Coffer-Time") << QStringLiteral("+1800000000") << malformed;
        QTest::newRow("time space") << QStringLiteral("Coffer-Time") << QStringLiteral(" 1800000000") << malformed;
        QTest::newRow("time overflow") << QStringLiteral("Coffer-Time") << QStringLiteral("99999999999999999999")
                                       << malformed;
        QTest::newRow("time empty") << QStringLiteral("Coffer-Time") << QString() << malformed;
        QTest::newRow("time int64 min") << QStringLiteral("Coffer-Time") << QStringLiteral("-9223372036854775808")
                                        << codeString(ErrorCode::StaleTime);
        QTest::newRow("time int64 max") << QStringLiteral("Coffer-Time") << QStringLiteral("9223372036854775807")
                                        << codeString(ErrorCode::StaleTime);
        QTest::newRow("nonce short") << QStringLiteral("Coffer-Nonce") << QStringLiteral("00") << malformed;
        QTest::newRow("nonce not hex") << QStringLiteral("Coffer-Nonce") << QString(32, u'g') << malformed;
        QTest::newRow("signature padded")
            << QStringLiteral("Coffer-Signature") << QString(86, u'A') + QStringLiteral("==") << malformed;
        QTest::newRow("signature standard alphabet")
            << QStringLiteral("Coffer-Signature") << QString(85, u'A') + u'+' << malformed;
        QTest::newRow("signature short") << QStringLiteral("Coffer-Signature") << QString(84, u'A') << malformed;
        QTest::newRow("signature of zeros")
            << QStringLiteral("Coffer-Signature") << QString(86, u'A') << codeString(ErrorCode::BadSignature);
    }
    void badHeader() {
        QFETCH(QString, header);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        Headers headers = signedHeaders();
        headers[header.toStdString()] = value.toStdString();
        QCOMPARE(outcome(verifyRequest("POST", kPath, kQuery, kBody, lookupIn(headers), kNow)), expected);
    }

    // Both key headers at once is ambiguous: refused, not guessed.
    void bothKeyHeaders() {
        Headers headers = signedHeaders();
        headers[std::string(kHeaderSession)] = headers.at(std::string(kHeaderKey));
        QCOMPARE(outcome(verifyRequest("POST", kPath, kQuery, kBody, lookupIn(headers), kNow)),
                 codeString(ErrorCode::Malformed));
    }

    void staleTime_data() {
        QTest::addColumn<qint64>("signedAt");
        QTest::addColumn<QString>("expected");
        QTest::newRow("now") << qint64(kNow) << QStringLiteral("ok");
        QTest::newRow("edge past") << qint64(kNow - kMaxSkewSeconds) << QStringLiteral("ok");
        QTest::newRow("edge future") << qint64(kNow + kMaxSkewSeconds) << QStringLiteral("ok");
        QTest::newRow("too old") << qint64(kNow - kMaxSkewSeconds - 1) << codeString(ErrorCode::StaleTime);
        QTest::newRow("too new") << qint64(kNow + kMaxSkewSeconds + 1) << codeString(ErrorCode::StaleTime);
        QTest::newRow("epoch") << qint64(0) << codeString(ErrorCode::StaleTime);
        QTest::newRow("int64 min") << std::numeric_limits<qint64>::min() << codeString(ErrorCode::StaleTime);
        QTest::newRow("int64 max") << std::numeric_limits<qint64>::max() << codeString(ErrorCode::StaleTime);
    }
    void staleTime() {
        QFETCH(qint64, signedAt);
        QFETCH(QString, expected);
        const Headers headers = signedHeaders(false, signedAt);
        QCOMPARE(outcome(verifyRequest("POST", kPath, kQuery, kBody, lookupIn(headers), kNow)), expected);
    }

    // Every signed part of the request matters: any change is BadSignature.
    void tampered_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("body");
        const auto path = QString::fromUtf8(kPath.data(), kPath.size());
        const auto query = QString::fromUtf8(kQuery.data(), kQuery.size());
        const auto body = QString::fromUtf8(kBody.data(), kBody.size());
        QTest::newRow("method") << QStringLiteral("PUT") << path << query << body;
        QTest::newRow("method case") << QStringLiteral("post") << path << query << body;
        QTest::newRow("path") << QStringLiteral("POST") << path + u'x' << query << body;
        QTest::newRow("query") << QStringLiteral("POST") << path << QStringLiteral("after=3&limit=11") << body;
        QTest::newRow("query dropped") << QStringLiteral("POST") << path << QString() << body;
        QTest::newRow("query moved into path") << QStringLiteral("POST") << path + u'?' + query << QString() << body;
        QTest::newRow("body") << QStringLiteral("POST") << path << query << body + u' ';
        QTest::newRow("body empty") << QStringLiteral("POST") << path << query << QString();
    }
    void tampered() {
        QFETCH(QString, method);
        QFETCH(QString, path);
        QFETCH(QString, query);
        QFETCH(QString, body);
        const Headers headers = signedHeaders();
        QCOMPARE(outcome(verifyRequest(method.toStdString(), path.toStdString(), query.toStdString(),
                                       body.toStdString(), lookupIn(headers), kNow)),
                 codeString(ErrorCode::BadSignature));
    }

    // The session flag is signed: a session-key signature presented as a device-key request (or the
    // reverse) does not verify, so a session key can never pass for a device key.
    void sessionFlag() {
        for (const bool session : {false, true}) {
            Headers headers = signedHeaders(session);
            const std::string from(session ? kHeaderSession : kHeaderKey);
            const std::string to(session ? kHeaderKey : kHeaderSession);
            headers[to] = headers.at(from);
            headers.erase(from);
            QCOMPARE(outcome(verifyRequest("POST", kPath, kQuery, kBody, lookupIn(headers), kNow)),
                     codeString(ErrorCode::BadSignature));
        }
    }

    void otherKey() {
        Headers headers = signedHeaders();
        const auto other = coffer::crypto::SigningKeyPair::fromSeed(
            coffer::crypto::SignSeed::fromBytes(coffer::test::filled<32>(0x43)));
        headers[std::string(kHeaderKey)] = hex(other.publicKey.span());
        QCOMPARE(outcome(verifyRequest("POST", kPath, kQuery, kBody, lookupIn(headers), kNow)),
                 codeString(ErrorCode::BadSignature));
    }

    // The signed bytes follow the documented layout (docs/protocol.md): tag, then the fields in order.
    void signedBytesLayout() {
        RequestToSign request;
        request.method = "GET";
        request.path = "/p";
        request.query = "";
        request.bodyHash = bodyHash("");
        request.time = 1;
        request.nonce = coffer::test::filled<16>(0xab);
        request.key.bytes = coffer::test::filled<32>(0xcd);
        request.session = true;
        const QByteArray expected =
            QByteArray("\x00\x00\x00\x11"
                       "coffer/request/v1",
                       21) +
            QByteArray("\x00\x00\x00\x03GET", 7) + QByteArray("\x00\x00\x00\x02/p", 6) + QByteArray(4, '\0') +
            QByteArray("\x00\x00\x00\x20", 4) + coffer::test::toQByteArray(bodyHash("").span()) +
            QByteArray("\0\0\0\0\0\0\0\x01", 8) + QByteArray("\x00\x00\x00\x10", 4) + QByteArray(16, '\xab') +
            QByteArray("\x01", 1) + QByteArray("\x00\x00\x00\x20", 4) + QByteArray(32, '\xcd');
        QCOMPARE(coffer::test::toQByteArray(requestSignedBytes(request)).toHex(), expected.toHex());
    }
};

QTEST_GUILESS_MAIN(TestRequestAuth)
#include "TestRequestAuth.moc"
