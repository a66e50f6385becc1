// SPDX-License-Identifier: Apache-2.0
// The agent's messages (agent/Wire.h): fields in order, repeated keys as lists, any bytes as values, and the
// same fields after encode() and decode(), however many there are (all values share one wiped buffer).
#include "agent/Wire.h"

#include <QTest>

#include <limits>
#include <string>
#include <vector>

using namespace coffer::agent;
using namespace Qt::StringLiterals;

namespace {

std::span<const std::byte> bytesOf(std::string_view text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

/// The message as the peer reads it: encode(), then decode() of the body after the 4-byte length prefix.
wire::Message roundTrip(const wire::Message& message) {
    const auto frame = message.encode();
    auto decoded = wire::Message::decode(frame.bytes().subspan(4));
    if (!decoded) {
        qFatal("decode failed: %d", static_cast<int>(decoded.error()));
    }
    return std::move(*decoded);
}

} // namespace

class TestAgentWire : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fieldsKeepTheirKindAndOrder() {
        wire::Message message(u"ls"_s);
        message.add("project", u"web-ünicode"_s);
        message.addNumber("depth", 2);
        message.addNumber("negative", -7);
        message.addNumber("largest", std::numeric_limits<std::int64_t>::max());
        message.addNumber("smallest", std::numeric_limits<std::int64_t>::min());
        message.addFlag("deleted", true);
        message.addFlag("json", false);
        message.add("empty", std::span<const std::byte>());
        message.add("binary", bytesOf(std::string_view("a\0b\xff", 4)));
        const auto decoded = roundTrip(message);
        for (const wire::Message* sent : std::initializer_list<const wire::Message*>{&message, &decoded}) {
            QCOMPARE(sent->text("op"), std::optional<QString>(u"ls"_s));
            QCOMPARE(sent->textOr("project"), u"web-ünicode"_s);
            QCOMPARE(sent->number("depth"), std::optional<std::int64_t>(2));
            QCOMPARE(sent->number("negative"), std::optional<std::int64_t>(-7));
            QCOMPARE(sent->textOr("largest"), u"9223372036854775807"_s);
            QCOMPARE(sent->number("smallest"), std::optional(std::numeric_limits<std::int64_t>::min()));
            QVERIFY(sent->flag("deleted"));
            QVERIFY(!sent->flag("json"));
            QVERIFY(!sent->flag("absent"));
            QVERIFY(sent->find("empty").has_value());
            QVERIFY(sent->find("empty")->bytes.empty());
            QCOMPARE(sent->find("binary")->view(), std::string_view("a\0b\xff", 4));
            QVERIFY(!sent->find("absent").has_value());
            QCOMPARE(sent->textOr("absent", u"fallback"_s), u"fallback"_s);
            QVERIFY(!sent->number("project").has_value()); // text is not a number
        }
    }

    void repeatedKeysAreAListInOrder() {
        wire::Message message(u"run"_s);
        for (int i = 0; i < 5; ++i) {
            message.add("name", u"KEY_%1"_s.arg(i));
            message.add("value", bytesOf(std::string(static_cast<std::size_t>(i), 'v')));
        }
        const auto decoded = roundTrip(message);
        QCOMPARE(decoded.texts("name"), QStringList({u"KEY_0"_s, u"KEY_1"_s, u"KEY_2"_s, u"KEY_3"_s, u"KEY_4"_s}));
        const auto values = decoded.all("value");
        QCOMPARE(values.size(), std::size_t{5});
        for (std::size_t i = 0; i < values.size(); ++i) {
            QCOMPARE(values[i].view(), std::string_view(std::string(i, 'v')));
        }
        QCOMPARE(decoded.find("name")->view(), std::string_view("KEY_0")); // find() is the first
        QVERIFY(decoded.all("absent").empty());
    }

    // The values buffer grows while fields are added (from nothing, past its first 256 bytes, by values larger
    // than all before): every value must read back whole afterwards, on both sides of the socket.
    void manyFieldsOfEverySize() {
        wire::Message message(u"ls"_s);
        const int rows = 3000;
        for (int i = 0; i < rows; ++i) {
            message.add("name", u"SECRET_%1"_s.arg(i, 6, 10, QLatin1Char('0')));
            message.add("value", bytesOf(std::string(static_cast<std::size_t>(i % 7 == 0 ? 1000 + i : i % 50),
                                                     static_cast<char>('a' + i % 26))));
        }
        const auto decoded = roundTrip(message);
        for (const wire::Message* sent : std::initializer_list<const wire::Message*>{&message, &decoded}) {
            const auto names = sent->texts("name");
            const auto values = sent->all("value");
            QCOMPARE(names.size(), qsizetype{rows});
            QCOMPARE(values.size(), std::size_t{rows});
            for (int i = 0; i < rows; ++i) {
                QCOMPARE(names[i], u"SECRET_%1"_s.arg(i, 6, 10, QLatin1Char('0')));
                const std::string expected(static_cast<std::size_t>(i % 7 == 0 ? 1000 + i : i % 50),
                                           static_cast<char>('a' + i % 26));
                QCOMPARE(values[static_cast<std::size_t>(i)].view(), std::string_view(expected));
            }
        }
    }

    // A reply is read from a socket: decode() must refuse a body that lies about itself, and a field count it
    // cannot hold must not make it reserve room for that many fields.
    void aBodyThatLiesIsRefused() {
        wire::Message message(u"ls"_s);
        message.add("name", u"KEY"_s);
        const auto frame = message.encode();
        const std::vector<std::byte> body(frame.bytes().begin() + 4, frame.bytes().end());
        QVERIFY(wire::Message::decode(body).has_value());

        auto withCount = [&body](std::uint32_t count) {
            auto lying = body;
            for (int i = 0; i < 4; ++i) {
                lying[static_cast<std::size_t>(4 + i)] = static_cast<std::byte>(count >> (24 - 8 * i));
            }
            return lying;
        };
        QCOMPARE(wire::Message::decode(withCount(1'000'000)).error(), AgentError::Malformed);
        QCOMPARE(wire::Message::decode(withCount(1'000'001)).error(), AgentError::TooLarge);
        QCOMPARE(wire::Message::decode(withCount(1)).error(), AgentError::Malformed); // bytes left over
        auto truncated = body;
        truncated.pop_back();
        QCOMPARE(wire::Message::decode(truncated).error(), AgentError::Malformed);
        auto otherVersion = body;
        otherVersion[3] = std::byte{2};
        QCOMPARE(wire::Message::decode(otherVersion).error(), AgentError::ProtocolVersion);
        QCOMPARE(wire::Message::decode(std::span(body).first(7)).error(), AgentError::Malformed);
    }
};

QTEST_APPLESS_MAIN(TestAgentWire)
#include "TestAgentWire.moc"
