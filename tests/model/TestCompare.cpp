// SPDX-License-Identifier: Apache-2.0
// Comparing environments without values: keyed digests per environment and the matrix of names × environments.
#include "crypto/Hash.h"
#include "model/Compare.h"
#include "tests/model/StoreTestSupport.h"

using namespace coffer::model;
using namespace coffer::model::testing;

namespace {

// A row's cells as text, one letter per cell: "-" missing, else the group number ("0", "1", ...).
QString pattern(const CompareRow& row) {
    QString text;
    for (const CompareCell& cell : row.cells) {
        text += cell.present ? QString::number(cell.group) : QStringLiteral("-");
    }
    return text;
}

const CompareRow* findRow(const CompareMatrix& matrix, const QString& name) {
    for (const auto& row : matrix.rows) {
        if (row.name == name) {
            return &row;
        }
    }
    return nullptr;
}

SecretDigest digestOf(const QString& name, char fill) {
    SecretDigest digest{0, name, {}};
    digest.digest.bytes.fill(static_cast<std::byte>(fill));
    return digest;
}

} // namespace

class TestCompare : public QObject {
    Q_OBJECT

private:
    StoreFixture m_fixture;
    std::int64_t m_project = 0;
    std::int64_t m_dev = 0;
    std::int64_t m_staging = 0;
    std::int64_t m_prod = 0;

    Store& store() { return m_fixture.store(); }

    void prepare() {
        m_project = store().addProject(QStringLiteral("web")).value().id;
        m_dev = store().addEnvironment(m_project, QStringLiteral("dev")).value().id;
        m_staging = store().addEnvironment(m_project, QStringLiteral("staging")).value().id;
        m_prod = store().addEnvironment(m_project, QStringLiteral("prod")).value().id;
    }

    void set(std::int64_t environment, const char* name, const QByteArray& value) {
        QVERIFY(store().setSecret(environment, QString::fromLatin1(name), bytesOf(value)).has_value());
    }

    CompareMatrix compare() {
        auto matrix = compareEnvironments(store(), m_project);
        if (!matrix) {
            qWarning("%s", qPrintable(matrix.error().detail));
            return {};
        }
        return std::move(*matrix);
    }

private Q_SLOTS:
    STORE_FIXTURE_SLOTS("alice")

    void columnsFollowEnvironmentOrderAndRowsAreSortedNames() {
        set(m_prod, "ZED", "z");
        set(m_dev, "ALPHA", "a");
        set(m_staging, "MIDDLE", "m");
        const auto matrix = compare();
        QCOMPARE(matrix.environments.size(), std::size_t{3});
        QCOMPARE(matrix.environments[0].name, QStringLiteral("dev"));
        QCOMPARE(matrix.environments[2].name, QStringLiteral("prod"));
        QCOMPARE(matrix.rows.size(), std::size_t{3});
        QCOMPARE(matrix.rows[0].name, QStringLiteral("ALPHA"));
        QCOMPARE(matrix.rows[1].name, QStringLiteral("MIDDLE"));
        QCOMPARE(matrix.rows[2].name, QStringLiteral("ZED"));
        QCOMPARE(pattern(matrix.rows[0]), QStringLiteral("0--"));
        QCOMPARE(pattern(matrix.rows[2]), QStringLiteral("--0"));
    }

    void equalValuesShareAGroup() {
        set(m_dev, "API_URL", "https://api.example");
        set(m_staging, "API_URL", "https://api.example");
        set(m_prod, "API_URL", "https://api.example.com");
        const auto matrix = compare();
        const CompareRow* row = findRow(matrix, QStringLiteral("API_URL"));
        QVERIFY(row != nullptr);
        QCOMPARE(pattern(*row), QStringLiteral("001"));
        QCOMPARE(row->groupCount, 2);
        QCOMPARE(row->groupSize(0), 2);
        QCOMPARE(row->groupSize(1), 1);
        QVERIFY(!row->allEqual());
        // The secret ids point at each environment's own secret.
        QCOMPARE(row->cells[1].secretId, store().secret(m_staging, QStringLiteral("API_URL")).value().id);
    }

    void differentValuesGetTheirOwnGroups() {
        set(m_dev, "KEY", "one");
        set(m_staging, "KEY", "two");
        set(m_prod, "KEY", "one ");
        const auto matrix = compare();
        const CompareRow* row = findRow(matrix, QStringLiteral("KEY"));
        QVERIFY(row != nullptr);
        QCOMPARE(pattern(*row), QStringLiteral("012"));
        QCOMPARE(row->groupCount, 3);
    }

    void groupsAreNumberedInColumnOrder() {
        set(m_dev, "KEY", "a");
        set(m_staging, "KEY", "b");
        set(m_prod, "KEY", "a");
        const auto matrix = compare();
        QCOMPARE(pattern(matrix.rows.front()), QStringLiteral("010"));
    }

    void missingCellsHaveNoGroup() {
        set(m_dev, "ONLY_DEV", "x");
        set(m_dev, "NOT_STAGING", "same");
        set(m_prod, "NOT_STAGING", "same");
        const auto matrix = compare();
        const CompareRow* onlyDev = findRow(matrix, QStringLiteral("ONLY_DEV"));
        QVERIFY(onlyDev != nullptr);
        QCOMPARE(pattern(*onlyDev), QStringLiteral("0--"));
        QCOMPARE(onlyDev->presentCount(), 1);
        QCOMPARE(onlyDev->cells[1].secretId, std::int64_t{0});
        QCOMPARE(onlyDev->cells[1].group, -1);
        QCOMPARE(onlyDev->groupSize(-1), 0);
        const CompareRow* notStaging = findRow(matrix, QStringLiteral("NOT_STAGING"));
        QVERIFY(notStaging != nullptr);
        QCOMPARE(pattern(*notStaging), QStringLiteral("0-0"));
        // Equal where present, but not everywhere: not "all equal".
        QVERIFY(!notStaging->allEqual());
    }

    void allEqualRow() {
        for (const auto environment : {m_dev, m_staging, m_prod}) {
            set(environment, "LOG_LEVEL", "info");
        }
        const auto matrix = compare();
        const CompareRow* row = findRow(matrix, QStringLiteral("LOG_LEVEL"));
        QVERIFY(row != nullptr);
        QCOMPARE(pattern(*row), QStringLiteral("000"));
        QVERIFY(row->allEqual());
    }

    void edgeValuesCompareByBytes() {
        set(m_dev, "EMPTY", "");
        set(m_staging, "EMPTY", "");
        set(m_prod, "EMPTY", QByteArray("\0", 1));
        set(m_dev, "BINARY", QByteArray("a\0b", 3));
        set(m_staging, "BINARY", QByteArray("a\0c", 3));
        const auto matrix = compare();
        QCOMPARE(pattern(*findRow(matrix, QStringLiteral("EMPTY"))), QStringLiteral("001"));
        QCOMPARE(pattern(*findRow(matrix, QStringLiteral("BINARY"))), QStringLiteral("01-"));
    }

    void deletedSecretsAreMissingAndChangesShow() {
        set(m_dev, "TOKEN", "t");
        set(m_staging, "TOKEN", "t");
        QCOMPARE(pattern(compare().rows.front()), QStringLiteral("00-"));
        const auto staging = store().secret(m_staging, QStringLiteral("TOKEN")).value();
        QVERIFY(store().deleteSecret(staging.id).has_value());
        QCOMPARE(pattern(compare().rows.front()), QStringLiteral("0--"));
        QVERIFY(store().restoreVersion(staging.id, 1).has_value());
        set(m_dev, "TOKEN", "rotated");
        QCOMPARE(pattern(compare().rows.front()), QStringLiteral("01-"));
    }

    // References are compared as written, not resolved: ${HOST} equals ${HOST} in another environment even when
    // each HOST differs, and a literal never equals a reference, even one that resolves to the same text.
    void referencesCompareAsWritten() {
        set(m_dev, "HOST", "dev.example");
        set(m_staging, "HOST", "staging.example");
        set(m_dev, "URL", "https://${HOST}/");
        set(m_staging, "URL", "https://${HOST}/");
        set(m_prod, "URL", "https://staging.example/");
        const auto matrix = compare();
        QCOMPARE(pattern(*findRow(matrix, QStringLiteral("HOST"))), QStringLiteral("01-"));
        QCOMPARE(pattern(*findRow(matrix, QStringLiteral("URL"))), QStringLiteral("001"));
    }

    void digestsAreKeyedAndStable() {
        set(m_dev, "A", "secret value");
        set(m_dev, "B", "secret value");
        REQUIRE_OK(first, store().valueDigests(m_dev));
        REQUIRE_OK(second, store().valueDigests(m_dev));
        QCOMPARE(first->size(), std::size_t{2});
        QCOMPARE(first->at(0).name, QStringLiteral("A"));
        QCOMPARE(first->at(0).digest, first->at(1).digest);
        QCOMPARE(first->at(0).digest, second->at(0).digest);
        // Keyed: not the plain BLAKE2b of the value, which anyone could compute from a guess.
        QVERIFY(first->at(0).digest != coffer::crypto::blake2b(coffer::crypto::asBytes("secret value")));
    }

    void emptyAndUnknownScopes() {
        REQUIRE_OK(empty, store().valueDigests(m_dev));
        QVERIFY(empty->empty());
        REQUIRE_ERROR(store().valueDigests(999'999), ErrorCode::NotFound);
        REQUIRE_ERROR(projectDigests(store(), 999'999), ErrorCode::NotFound);
        const auto matrix = compare();
        QCOMPARE(matrix.environments.size(), std::size_t{3});
        QVERIFY(matrix.rows.empty());
    }

    // The pure part, from hand-made digests: no vault involved.
    void buildMatrixFromDigests() {
        Environment a{1, 1, QStringLiteral("a"), 0, false, {}};
        Environment b{2, 1, QStringLiteral("b"), 1, true, {}};
        const std::vector<EnvironmentDigests> input{
            {a, {digestOf(QStringLiteral("X"), 'x'), digestOf(QStringLiteral("Y"), 'y')}},
            {b, {digestOf(QStringLiteral("X"), 'x'), digestOf(QStringLiteral("Z"), 'z')}},
        };
        const auto matrix = buildMatrix(input);
        QCOMPARE(matrix.environments.size(), std::size_t{2});
        QVERIFY(matrix.environments[1].isProtected);
        QCOMPARE(matrix.rows.size(), std::size_t{3});
        QCOMPARE(pattern(matrix.rows[0]), QStringLiteral("00"));
        QVERIFY(matrix.rows[0].allEqual());
        QCOMPARE(pattern(matrix.rows[1]), QStringLiteral("0-"));
        QCOMPARE(pattern(matrix.rows[2]), QStringLiteral("-0"));
        QVERIFY(buildMatrix({}).rows.empty());
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "TestCompare.moc"
