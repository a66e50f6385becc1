// SPDX-License-Identifier: Apache-2.0
// OutputMasker: values and their encodings become *****, also when split across pieces of output.
#include "cli/OutputMasker.h"

#include <QTest>
#include <QUrl>

using coffer::cli::OutputMasker;
using namespace Qt::StringLiterals;

namespace {

std::span<const std::byte> bytesOf(const QByteArray& data) {
    return std::as_bytes(std::span(data.constData(), static_cast<std::size_t>(data.size())));
}

/// Feeds `pieces` one by one, then finishes; returns everything shown.
QByteArray shown(const QList<QByteArray>& values, const QList<QByteArray>& pieces) {
    std::vector<std::span<const std::byte>> spans;
    for (const auto& value : values) {
        spans.push_back(bytesOf(value));
    }
    OutputMasker masker(spans);
    std::string out;
    for (const auto& piece : pieces) {
        out += masker.feed(bytesOf(piece));
    }
    out += masker.finish();
    return QByteArray::fromStdString(out);
}

} // namespace

class TestOutputMasker : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void plainValue() {
        QCOMPARE(shown({"hunter2"}, {"pw=hunter2\n"}), "pw=*****\n"_ba);
        QCOMPARE(shown({"hunter2"}, {"hunter2hunter2"}), "**********"_ba);
    }

    void encodedForms() {
        const QByteArray value = "p@ss w/rd+1?";
        const QByteArray base64 = value.toBase64();
        const QByteArray url = QUrl::toPercentEncoding(QString::fromLatin1(value));
        QCOMPARE(shown({value}, {"b=" + base64 + "\n"}), "b=*****\n"_ba);
        QCOMPARE(shown({value}, {"u=" + url + "\n"}), "u=*****\n"_ba);
        QCOMPARE(shown({value}, {"u=" + url.toLower() + "\n"}).count('*'), 5);
        QCOMPARE(shown({value}, {"b=" + value.toBase64(QByteArray::Base64UrlEncoding) + "\n"}).count('*'), 5);
    }

    void splitAcrossPieces() {
        QCOMPARE(shown({"hunter2"}, {"a=hun", "ter2;"}), "a=*****;"_ba);
        QCOMPARE(shown({"hunter2"}, {"h", "u", "n", "t", "e", "r", "2"}), "*****"_ba);
    }

    void heldBackOnlyWhileItMayBeASecret() {
        const QByteArray secret = "hunter2"_ba; // outlives the masker's span of it
        std::vector<std::span<const std::byte>> values{bytesOf(secret)};
        OutputMasker masker(values);
        // A prompt is shown at once; the end that could start a secret waits for the next piece.
        QCOMPARE(QByteArray::fromStdString(masker.feed(bytesOf("Password: "))), "Password: "_ba);
        QCOMPARE(QByteArray::fromStdString(masker.feed(bytesOf("xhunt"))), "x"_ba);
        QCOMPARE(QByteArray::fromStdString(masker.feed(bytesOf("ing"))), "hunting"_ba);
        QCOMPARE(QByteArray::fromStdString(masker.feed(bytesOf("hun"))), ""_ba);
        QCOMPARE(QByteArray::fromStdString(masker.finish()), "hun"_ba);
    }

    void longerValueWinsOverItsPrefix() {
        QCOMPARE(shown({"abcd", "abcdefgh"}, {"abcd", "efgh"}), "*****"_ba);
        QCOMPARE(shown({"abcd", "abcdefgh"}, {"abcdx"}), "*****x"_ba);
    }

    void shortValuesAreNotMasked() {
        QCOMPARE(shown({"abc", "yes"}, {"abc yes"}), "abc yes"_ba);
        const QByteArray shortValue = "abc"_ba;
        std::vector<std::span<const std::byte>> values{bytesOf(shortValue)};
        QCOMPARE(OutputMasker(values).patternCount(), 0u);
    }

    void binaryOutputPassesThrough() {
        const QByteArray binary("\0\xff\x01secretvalue\0", 15);
        QCOMPARE(shown({"secretvalue"}, {binary}), QByteArray("\0\xff\x01*****\0", 9));
    }
};

QTEST_GUILESS_MAIN(TestOutputMasker)
#include "TestOutputMasker.moc"
