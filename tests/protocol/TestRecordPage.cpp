// SPDX-License-Identifier: Apache-2.0
// decodeRecordPage(): the pull reply decoded without a DOM. It must accept and refuse exactly what the DOM path
// (parseJson, exactly the three fields, recordFromJson, headFromJson, a boolean "more") does, so besides named
// hostile replies it is compared with that path on thousands of mutated replies. The table base64url decoder
// behind the records' fields is compared with libsodium's the same way.
#include "sync/protocol/Json.h"
#include "sync/protocol/JsonPage.h"

#include "crypto/Base64.h"
#include "tests/protocol/ProtocolTestSupport.h"

#include <QTest>

#include <random>

using namespace coffer::protocol;
using nlohmann::json;

namespace {

ChangeRecord record(std::uint64_t seq, bool signedRecord) {
    ChangeRecord out;
    out.team.bytes = coffer::test::filled<32>(0x11);
    out.environment = coffer::test::filled<16>(0x22);
    out.epoch = 1;
    out.seq = seq;
    out.id = coffer::test::filled<16>(static_cast<std::uint8_t>(seq));
    out.previous.bytes = coffer::test::filled<32>(static_cast<std::uint8_t>(0x30 + seq));
    out.author = coffer::test::ada().id;
    out.nonce = coffer::test::filled<24>(0x88);
    out.ciphertext.assign(17 + seq, std::byte{static_cast<unsigned char>(0x90 + seq)});
    if (signedRecord) {
        coffer::crypto::Signature signature;
        signature.bytes = coffer::test::filled<64>(0xaa);
        out.batchSignature = signature;
    }
    return out;
}

json validPage() {
    json records = json::array();
    for (std::uint64_t seq = 1; seq <= 3; ++seq)
        records.push_back(toJson(record(seq, seq == 3)));
    return json{{"records", records}, {"head", toJson(Head{3, {}})}, {"more", true}};
}

/// The reference: what ServerClient did with a DOM before decodeRecordPage().
Result<RecordPageReply> domDecode(std::string_view text) {
    auto parsed = parseJson(text);
    if (!parsed)
        return std::unexpected(parsed.error());
    const json& reply = *parsed;
    if (!reply.is_object() || reply.size() != 3 || !reply.contains("records") || !reply.contains("head") ||
        !reply.contains("more"))
        return fail(ErrorCode::Malformed, 0, "shape");
    if (!reply.at("records").is_array() || !reply.at("more").is_boolean())
        return fail(ErrorCode::Malformed, 0, "types");
    RecordPageReply page;
    for (const json& item : reply.at("records")) {
        auto one = recordFromJson(item);
        if (!one)
            return std::unexpected(one.error());
        page.records.push_back(std::move(*one));
    }
    auto head = headFromJson(reply.at("head"));
    if (!head)
        return std::unexpected(head.error());
    page.head = *head;
    page.more = reply.at("more").get<bool>();
    return page;
}

QString printable(const std::string& text) {
    QString out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        out += byte >= 0x20 && byte < 0x7f ? QString(QChar(static_cast<char16_t>(byte)))
                                           : QStringLiteral("\\x%1").arg(byte, 2, 16, QChar(u'0'));
    }
    return out;
}

void compareWithDom(const std::string& text) {
    const auto fast = decodeRecordPage(text);
    const auto dom = domDecode(text);
    QVERIFY2(fast.has_value() == dom.has_value(),
             qPrintable(QStringLiteral("%1 by the SAX decoder, %2 by the DOM path: %3")
                            .arg(fast ? QStringLiteral("accepted") : QString::fromStdString(fast.error().detail),
                                 dom ? QStringLiteral("accepted") : QString::fromStdString(describe(dom.error())),
                                 printable(text))));
    if (fast) {
        QVERIFY(fast->records == dom->records);
        QVERIFY(fast->head == dom->head);
        QCOMPARE(fast->more, dom->more);
    }
}

std::string withRecord(const std::function<void(json&)>& change, std::size_t index = 0) {
    json page = validPage();
    change(page["records"][index]);
    return page.dump();
}

} // namespace

class TestRecordPage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void decodesAValidPage() {
        const auto page = decodeRecordPage(validPage().dump());
        QVERIFY2(page, page ? "" : page.error().detail.c_str());
        QCOMPARE(page->records.size(), std::size_t{3});
        QCOMPARE(page->records[0], record(1, false));
        QCOMPARE(page->records[2], record(3, true));
        QCOMPARE(page->head.seq, std::uint64_t{3});
        QVERIFY(page->more);
        // Any key order, any whitespace, escapes inside strings: JSON, as the DOM path reads it.
        const std::string spaced = validPage().dump(2);
        QVERIFY(decodeRecordPage(spaced));
        compareWithDom(spaced);
        std::string escaped = validPage().dump();
        escaped.replace(escaped.find("\"more\""), 6, "\"m\\u006fre\"");
        QVERIFY(decodeRecordPage(escaped));
        compareWithDom(escaped);
        QVERIFY(decodeRecordPage(R"({"more":false,"head":{"hash":")" + std::string(64, '0') +
                                 R"(","seq":0},"records":[]})"));
    }

    void refusesHostilePages_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("named"); // what the problem must name
        QTest::addColumn<int>("code");
        const auto row = [](const char* name, const std::string& body, const char* named,
                            ErrorCode code = ErrorCode::Malformed) {
            QTest::newRow(name) << QByteArray::fromStdString(body) << QString::fromUtf8(named)
                                << static_cast<int>(code);
        };
        const std::string valid = validPage().dump();
        row("empty", "", "not JSON");
        row("truncated", valid.substr(0, valid.size() / 2), "not JSON");
        row("trailing text", valid + "x", "not JSON");
        row("two objects", valid + valid, "not JSON");
        row("NUL byte", valid.substr(0, 10) + std::string(1, '\0') + valid.substr(10), "NUL");
        row("an array", "[]", "not a JSON object");
        row("a number", "7", "not a JSON object");
        row("100k brackets", std::string(100'000, '['), "not JSON", ErrorCode::LimitExceeded);
        row("deep inside a record", withRecord([](json& r) {
                json deep = 1;
                for (int i = 0; i < 20; ++i)
                    deep = json::array({deep});
                r["evil"] = deep;
            }),
            "nested deeper", ErrorCode::LimitExceeded);
        row("repeated top-level key", R"({"more":true,"more":false,"head":{},"records":[]})", "repeated");
        row(
            "repeated record key",
            [&] {
                std::string text = valid;
                text.insert(text.find("\"epoch\":1"), "\"epoch\":2,");
                return text;
            }(),
            "repeated");
        row(
            "extra field",
            [] {
                json p = validPage();
                p["extra"] = 1;
                return p.dump();
            }(),
            "\"extra\"");
        row(
            "missing more",
            [] {
                json p = validPage();
                p.erase("more");
                return p.dump();
            }(),
            "\"more\"");
        row(
            "missing head",
            [] {
                json p = validPage();
                p.erase("head");
                return p.dump();
            }(),
            "\"head\"");
        row(
            "more is a string",
            [] {
                json p = validPage();
                p["more"] = "no";
                return p.dump();
            }(),
            "\"more\"");
        row(
            "records is an object",
            [] {
                json p = validPage();
                p["records"] = json::object();
                return p.dump();
            }(),
            "\"records\"");
        row(
            "records is null",
            [] {
                json p = validPage();
                p["records"] = nullptr;
                return p.dump();
            }(),
            "\"records\"");
        row(
            "head is an array",
            [] {
                json p = validPage();
                p["head"] = json::array();
                return p.dump();
            }(),
            "\"head\"");
        row(
            "head seq negative",
            [] {
                json p = validPage();
                p["head"]["seq"] = -1;
                return p.dump();
            }(),
            "\"head\"");
        row(
            "head seq a float",
            [] {
                json p = validPage();
                p["head"]["seq"] = 1.5;
                return p.dump();
            }(),
            "\"seq\"");
        row(
            "head hash short",
            [] {
                json p = validPage();
                p["head"]["hash"] = std::string(62, 'a');
                return p.dump();
            }(),
            "\"hash\"");
        row(
            "head with an extra field",
            [] {
                json p = validPage();
                p["head"]["x"] = 1;
                return p.dump();
            }(),
            "\"head\"");
        row(
            "a record is a number",
            [] {
                json p = validPage();
                p["records"][1] = 5;
                return p.dump();
            }(),
            "records[1]");
        row(
            "a record is an array",
            [] {
                json p = validPage();
                p["records"][1] = json::array();
                return p.dump();
            }(),
            "records[1]");
        row("record with an extra field", withRecord([](json& r) { r["evil"] = true; }, 1), "records[1]");
        row("record without ciphertext", withRecord([](json& r) { r.erase("ciphertext"); }), "ciphertext");
        row("record without version", withRecord([](json& r) { r.erase("version"); }), "version");
        row("record id in upper case", withRecord([](json& r) { r["id"] = std::string(32, 'A'); }), "\"id\"");
        row("record team an object", withRecord([](json& r) { r["team"] = json::object({{"a", 1}}); }), "\"team\"");
        row("epoch negative", withRecord([](json& r) { r["epoch"] = -1; }), "\"epoch\"");
        row("seq a string", withRecord([](json& r) { r["seq"] = "1"; }), "\"seq\"");
        row("nonce too long", withRecord([](json& r) { r["nonce"] = std::string(40, 'A'); }), "\"nonce\"");
        row("nonce padded", withRecord([](json& r) { r["nonce"] = std::string(30, 'A') + "=="; }), "\"nonce\"");
        row("ciphertext shorter than a tag", withRecord([](json& r) { r["ciphertext"] = "AAAA"; }), "AEAD tag");
        row("ciphertext over the limit", withRecord([](json& r) { r["ciphertext"] = std::string(400 * 1024, 'A'); }),
            "ciphertext", ErrorCode::LimitExceeded);
        row("signature of 63 bytes", withRecord([](json& r) { r["batchSignature"] = std::string(84, 'A'); }),
            "batchSignature");
        row("signature null", withRecord([](json& r) { r["batchSignature"] = nullptr; }), "batchSignature");
        row("record of version 2", withRecord([](json& r) { r["version"] = 2; }), "version 2",
            ErrorCode::UnknownVersion);
        // Another version may have other fields: the version is judged first, wherever it comes.
        row("version 2 with a new field first", withRecord([](json& r) {
                r["version"] = 2;
                r["aaa"] = 1;
            }),
            "version 2", ErrorCode::UnknownVersion);
        row("version a string", withRecord([](json& r) { r["version"] = "1"; }), "version");
        row("invalid UTF-8 in a key", R"({"rec)" + std::string("\xff") + R"(":[]})", "not JSON");
        row("bad escape", withRecord([](json& r) { r["id"] = "x"; }).replace(0, 1, "{\"\\x\":1,"), "not JSON");
    }

    void refusesHostilePages() {
        QFETCH(QByteArray, body);
        QFETCH(QString, named);
        QFETCH(int, code);
        const auto page = decodeRecordPage(body.toStdString());
        QVERIFY(!page);
        const QString detail = QString::fromStdString(page.error().detail);
        QVERIFY2(detail.contains(named), qPrintable(detail));
        QCOMPARE(static_cast<int>(page.error().code), code);
        QVERIFY(detail.size() < 400);
        QVERIFY(!domDecode(body.toStdString())); // the DOM path refused it too
    }

    void agreesWithTheDomPathOnMutations() {
        // Flips, deletions and insertions of JSON's own characters: most break the reply, some leave it valid
        // (a flip inside a hex or base64 string); each must get the same verdict and the same page from both.
        const std::string valid = validPage().dump();
        std::mt19937 random(20261130);
        constexpr std::string_view punctuation = "{}[]\":,\\ 0123456789abcdefAZ-_=+/eE.tfn\x01\xc3\xa9\xff";
        int accepted = 0;
        for (int i = 0; i < 4000; ++i) {
            std::string text = valid;
            const int edits = 1 + static_cast<int>(random() % 3);
            for (int k = 0; k < edits; ++k) {
                const std::size_t at = random() % text.size();
                switch (random() % 4) {
                case 0:
                    text[at] = static_cast<char>(random() % 256);
                    break;
                case 1:
                    text[at] = punctuation[random() % punctuation.size()];
                    break;
                case 2:
                    text.erase(at, 1 + random() % 3);
                    break;
                default:
                    text.insert(at, 1, punctuation[random() % punctuation.size()]);
                    break;
                }
                if (text.empty())
                    text = "{";
            }
            compareWithDom(text);
            if (QTest::currentTestFailed())
                return;
            accepted += decodeRecordPage(text) ? 1 : 0;
        }
        QVERIFY(accepted > 50); // the mutations also reach the decoding of valid replies
    }

    void base64urlAgreesWithLibsodium() {
        std::mt19937 random(6);
        constexpr std::string_view alphabet =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ \xff";
        for (int i = 0; i < 20000; ++i) {
            std::string text(random() % 13, 'A');
            for (char& c : text) {
                // Mostly the alphabet (so many are valid), sometimes anything.
                c = random() % 8 == 0 ? static_cast<char>(random() % 256)
                                      : alphabet[random() % (random() % 5 == 0 ? alphabet.size() : 64)];
            }
            const auto table = fromBase64url(text, 1000);
            const auto sodium = coffer::crypto::fromBase64url(text);
            QVERIFY2(table.has_value() == sodium.has_value(), text.c_str());
            if (table)
                QVERIFY(*table == *sodium);
        }
        // Round trips of every length, and the size limit.
        for (std::size_t size = 0; size < 70; ++size) {
            std::vector<std::byte> bytes(size);
            for (auto& b : bytes)
                b = static_cast<std::byte>(random());
            const auto decoded = fromBase64url(base64url(bytes), 70);
            QVERIFY(decoded && *decoded == bytes);
            if (size > 0) {
                const auto over = fromBase64url(base64url(bytes), size - 1);
                QVERIFY(!over && over.error().code == ErrorCode::LimitExceeded);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestRecordPage)
#include "TestRecordPage.moc"
