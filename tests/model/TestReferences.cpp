// SPDX-License-Identifier: Apache-2.0
// resolveReferences(): ${NAME}, ${ENV.NAME}, ${PROJECT/ENV/NAME}, $${ as a literal, and the errors that
// must never turn into an empty string (unknown, cycle, malformed).
#include "model/References.h"
#include "model/Store.h"
#include "model/Vault.h"

#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace coffer::model;
using namespace Qt::StringLiterals;

namespace {

std::span<const std::byte> bytesOf(const QByteArray& data) {
    return std::as_bytes(std::span(data.constData(), static_cast<std::size_t>(data.size())));
}

} // namespace

class TestReferences : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Vault> m_vault;
    std::optional<Store> m_store;
    std::int64_t m_webDev = 0;
    std::int64_t m_webProd = 0;
    std::int64_t m_apiDev = 0;

    void put(std::int64_t environment, const char* name, const QByteArray& value) {
        const auto stored = m_store->setSecret(environment, QString::fromLatin1(name), bytesOf(value));
        QVERIFY2(stored.has_value(), stored ? "" : qPrintable(stored.error().detail));
    }

    /// The resolved value, or the error's code and message.
    Result<QByteArray> resolve(std::int64_t environment, const QByteArray& value) {
        auto resolved = resolveReferences(*m_store, environment, bytesOf(value));
        if (!resolved) {
            return std::unexpected(resolved.error());
        }
        const auto view = resolved->view();
        return QByteArray(view.data(), static_cast<qsizetype>(view.size()));
    }

private Q_SLOTS:
    // One vault for the class: the key derivation is the slow part. Each test uses its own names.
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        auto vault = Vault::create(m_dir.filePath(u"refs.coffer"_s), bytesOf("pw"), KdfCost::minimum());
        QVERIFY(vault.has_value());
        m_vault.emplace(std::move(*vault));
        m_store.emplace(*m_vault, u"alice"_s);
        const auto web = m_store->addProject(u"web"_s).value().id;
        const auto api = m_store->addProject(u"api"_s).value().id;
        m_webDev = m_store->addEnvironment(web, u"dev"_s).value().id;
        m_webProd = m_store->addEnvironment(web, u"prod"_s).value().id;
        m_apiDev = m_store->addEnvironment(api, u"dev"_s).value().id;
        put(m_webDev, "HOST", "db.local");
        put(m_webProd, "HOST", "db.prod");
        put(m_apiDev, "TOKEN", "tok-123");
    }

    void cleanupTestCase() {
        m_store.reset();
        m_vault.reset();
    }

    void plainValueIsUnchanged() {
        QCOMPARE(resolve(m_webDev, "no references $HOME {x} $ {y}").value(), "no references $HOME {x} $ {y}"_ba);
        QCOMPARE(resolve(m_webDev, QByteArray("bin\0ary", 7)).value(), QByteArray("bin\0ary", 7));
        QCOMPARE(resolve(m_webDev, "caf\xc3\xa9 ${HOST}").value(), "caf\xc3\xa9 db.local"_ba);
    }

    // The overload that takes the value over (export, run, reveal) hands a value with nothing to resolve back
    // as it is, and resolves the rest exactly as the one that copies.
    void ownedValueResolvesTheSame() {
        for (const QByteArray& value :
             {"plain"_ba, ""_ba, "$HOME {x} $ {y}"_ba, "${HOST}"_ba, "$${HOST}"_ba, "a$${b}${prod.HOST}"_ba,
              "${MISSING}"_ba, "${HOST"_ba, QByteArray("\xff${MISSING}", 11), QByteArray("bin\0ary", 7)}) {
            const auto copied = resolve(m_webDev, value);
            auto owned = resolveReferences(*m_store, m_webDev, coffer::crypto::SecureBuffer::copyOf(bytesOf(value)));
            QCOMPARE(owned.has_value(), copied.has_value());
            if (copied) {
                const auto view = owned->view();
                QCOMPARE(QByteArray(view.data(), static_cast<qsizetype>(view.size())), *copied);
            } else {
                QCOMPARE(owned.error().code, copied.error().code);
                QCOMPARE(owned.error().message(), copied.error().message());
            }
        }
    }

    void sameEnvironment() {
        QCOMPARE(resolve(m_webDev, "postgres://${HOST}:5432").value(), "postgres://db.local:5432"_ba);
    }

    void otherEnvironmentOfTheProject() {
        QCOMPARE(resolve(m_webDev, "${prod.HOST}|${dev.HOST}").value(), "db.prod|db.local"_ba);
    }

    void otherProject() { QCOMPARE(resolve(m_webDev, "t=${api/dev/TOKEN}").value(), "t=tok-123"_ba); }

    void nestedReferencesResolveInTheirOwnEnvironment() {
        // api/dev/URL says ${HOST}, which is api/dev's HOST, not web/dev's.
        put(m_apiDev, "HOST", "api.local");
        put(m_apiDev, "URL", "https://${HOST}/?t=${TOKEN}");
        put(m_webDev, "API", "${api/dev/URL}");
        QCOMPARE(resolve(m_webDev, "${API}").value(), "https://api.local/?t=tok-123"_ba);
    }

    void doubleDollarIsALiteral() {
        QCOMPARE(resolve(m_webDev, "$${HOST} and ${HOST}").value(), "${HOST} and db.local"_ba);
        // In a referenced value too: its escape is applied once, never re-read as a reference.
        put(m_webDev, "LITERAL", "$${NOPE}");
        QCOMPARE(resolve(m_webDev, "${LITERAL}").value(), "${NOPE}"_ba);
    }

    void unknownReferenceNamesIt() {
        for (const QByteArray& value : {"${MISSING}"_ba, "${prod.MISSING}"_ba, "${nope/dev/X}"_ba, "${web/qa/X}"_ba}) {
            const auto resolved = resolve(m_webDev, value);
            QVERIFY2(!resolved, value.constData());
            QCOMPARE(resolved.error().code, ErrorCode::NotFound);
            const QString named = QString::fromLatin1(value.mid(2, value.size() - 3));
            QVERIFY2(resolved.error().message().contains(named), qPrintable(resolved.error().message()));
        }
    }

    void unknownNestedReferenceNamesWhereItIs() {
        put(m_webDev, "OUTER", "x${INNER_MISSING}");
        const auto resolved = resolve(m_webDev, "${OUTER}");
        QVERIFY(!resolved);
        QCOMPARE(resolved.error().code, ErrorCode::NotFound);
        QVERIFY(resolved.error().detail.contains(u"INNER_MISSING"_s));
        QVERIFY(resolved.error().detail.contains(u"web/dev/OUTER"_s));
    }

    void cycleNamesThePath() {
        put(m_webDev, "A", "a${B}");
        put(m_webDev, "B", "b${A}");
        const auto resolved = resolve(m_webDev, "${A}");
        QVERIFY(!resolved);
        QCOMPARE(resolved.error().code, ErrorCode::ReferenceCycle);
        QCOMPARE(resolved.error().detail, u"web/dev/A -> web/dev/B -> web/dev/A"_s);
        QVERIFY(resolved.error().message().contains(u"web/dev/A -> web/dev/B -> web/dev/A"_s));
    }

    void cycleAcrossProjects() {
        put(m_webDev, "X", "${api/dev/Y}");
        put(m_apiDev, "Y", "${web/dev/X}");
        const auto resolved = resolve(m_apiDev, "${Y}");
        QVERIFY(!resolved);
        QCOMPARE(resolved.error().code, ErrorCode::ReferenceCycle);
        QCOMPARE(resolved.error().detail, u"api/dev/Y -> web/dev/X -> api/dev/Y"_s);
    }

    void selfReference() {
        put(m_webDev, "SELF", "me${SELF}");
        const auto resolved = resolve(m_webDev, "${SELF}");
        QVERIFY(!resolved);
        QCOMPARE(resolved.error().code, ErrorCode::ReferenceCycle);
        QCOMPARE(resolved.error().detail, u"web/dev/SELF -> web/dev/SELF"_s);
    }

    void aReferenceUsedTwiceIsNoCycle() {
        put(m_webDev, "TWICE", "${HOST}/${HOST}");
        QCOMPARE(resolve(m_webDev, "${TWICE}").value(), "db.local/db.local"_ba);
    }

    void malformedReferences() {
        for (const QByteArray& value : {"${HOST"_ba, "tail ${"_ba, "${}"_ba, "${a b}"_ba, "${web/dev}"_ba,
                                        "${a/b/c/d}"_ba, "${1ABC}"_ba, "${.HOST}"_ba}) {
            const auto resolved = resolve(m_webDev, value);
            QVERIFY2(!resolved, value.constData());
            QCOMPARE(resolved.error().code, ErrorCode::InvalidName);
        }
        const auto unterminated = resolve(m_webDev, "${HOST");
        QVERIFY(unterminated.error().detail.contains(u"closing"_s));
    }

    void malformedReferenceNeverEchoesWhatMayBeASecret() {
        const auto resolved = resolve(m_webDev, "${not a name, maybe a secret}");
        QVERIFY(!resolved);
        QCOMPARE(resolved.error().code, ErrorCode::InvalidName);
        QVERIFY2(!resolved.error().message().contains(u"maybe a secret"_s), qPrintable(resolved.error().message()));
    }

    void aValueThatIsNotTextIsTakenAsStored() {
        // Random bytes may hold "${" by chance; a key file is data, not a template.
        const QByteArray binary("\xff\xfe${MISSING}$${\x00", 16);
        QCOMPARE(resolve(m_webDev, binary).value(), binary);
        // The same bytes as valid UTF-8 are text, and the reference counts.
        QVERIFY(!resolve(m_webDev, "\xc3\xa9${MISSING}"));
    }

    void cycleErrorHasItsOwnMessage() {
        const QString cycle = Error{ErrorCode::ReferenceCycle, {}}.message();
        for (int i = 0; i < static_cast<int>(ErrorCode::ReferenceCycle); ++i) {
            const Error other{static_cast<ErrorCode>(i), {}};
            QVERIFY(other.message() != cycle);
        }
    }
};

QTEST_GUILESS_MAIN(TestReferences)
#include "TestReferences.moc"
