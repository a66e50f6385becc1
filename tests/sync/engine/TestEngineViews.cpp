// SPDX-License-Identifier: Apache-2.0
// The bulk helpers the engine added to crypto and protocol: decrypting into caller memory, opening a change
// as a view, and sealing a batch from views give exactly what the one-at-a-time functions give, and refuse
// the same things.
#include "crypto/Aead.h"
#include "crypto/Random.h"
#include "crypto/Sign.h"
#include "sync/protocol/Canonical.h"

#include <QTest>

using namespace coffer;

namespace {

std::span<const std::byte> bytesOf(std::string_view text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

} // namespace

class TestEngineViews : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void decryptIntoMatchesDecrypt() {
        const auto key = crypto::AeadKey::keygen();
        const auto nonce = crypto::randomArray<crypto::aead::kNonceBytes>();
        const auto sealed = crypto::aead::encrypt(key, nonce, bytesOf("secret value"), bytesOf("ad"));
        crypto::SecureBuffer out(sealed.size() - crypto::aead::kTagBytes);
        QVERIFY(crypto::aead::decryptInto(out.bytes(), key, nonce, sealed, bytesOf("ad")));
        QCOMPARE(out.view(), std::string_view("secret value"));
        // Another associated data, a wrong size, a changed byte: refused, the output wiped.
        QVERIFY(!crypto::aead::decryptInto(out.bytes(), key, nonce, sealed, bytesOf("other")));
        QCOMPARE(out.view(), std::string_view(std::string(out.size(), '\0')));
        crypto::SecureBuffer small(3);
        QVERIFY(!crypto::aead::decryptInto(small.bytes(), key, nonce, sealed, bytesOf("ad")));
        auto changed = sealed;
        changed[0] ^= std::byte{1};
        QVERIFY(!crypto::aead::decryptInto(out.bytes(), key, nonce, changed, bytesOf("ad")));
    }

    void batchFromViewsOpensLikeChanges() {
        const auto key = crypto::AeadKey::keygen();
        const auto author = crypto::SigningKeyPair::keygen();
        const std::string large(5000, 'x');
        std::vector<protocol::ChangeView> views(3);
        views[0] = {protocol::ChangeOp::Set, "A", bytesOf("one"), "note", {}};
        views[1] = {protocol::ChangeOp::Delete, "B", {}, "", crypto::randomArray<16>()};
        views[2] = {protocol::ChangeOp::Set, "C", bytesOf(large), "", {}};
        std::vector<protocol::ChangeRecord> records(views.size());
        for (auto& record : records) {
            record.team = protocol::TeamId{crypto::randomArray<32>()};
            record.environment = {};
            record.epoch = 1;
            record.id = crypto::randomArray<16>();
        }
        for (auto& record : records)
            record.team = records.front().team;
        const protocol::Head head{7, protocol::Hash{crypto::randomArray<32>()}};
        protocol::sealAndSignBatch(records, views, head, key, author.secretKey);
        QCOMPARE(records.front().seq, std::uint64_t{8});
        QVERIFY(records.back().batchSignature.has_value());
        for (std::size_t i = 0; i < records.size(); ++i) {
            auto change = protocol::openChange(records[i], key);
            QVERIFY(change.has_value());
            QCOMPARE(change->op, views[i].op);
            QCOMPARE(change->name, views[i].name);
            QVERIFY(change->value.equals(views[i].value));
            QCOMPARE(change->note, views[i].note);
            QVERIFY(change->baseRecord == views[i].baseRecord);

            crypto::SecureBuffer plaintext(records[i].ciphertext.size() - crypto::aead::kTagBytes);
            auto view = protocol::openChangeInto(records[i], key, plaintext.bytes());
            QVERIFY(view.has_value());
            QCOMPARE(view->name, views[i].name);
            QVERIFY(std::ranges::equal(view->value, views[i].value));
        }
        // A changed ciphertext: the same uninformative BadSignature as openChange, at the record's seq.
        records[1].ciphertext[2] ^= std::byte{1};
        crypto::SecureBuffer plaintext(records[1].ciphertext.size() - crypto::aead::kTagBytes);
        auto refused = protocol::openChangeInto(records[1], key, plaintext.bytes());
        QVERIFY(!refused.has_value());
        QCOMPARE(refused.error().code, protocol::ErrorCode::BadSignature);
        QCOMPARE(refused.error().position, records[1].seq);
    }
};

QTEST_GUILESS_MAIN(TestEngineViews)
#include "TestEngineViews.moc"
