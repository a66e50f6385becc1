// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the Store tests: a vault created (and its key derived, the slow part) once per test class,
// then a fresh copy of it opened for each test; byte helpers; readable assertions on model results.

#include "model/Store.h"
#include "model/Vault.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <span>

namespace coffer::model::testing {

[[nodiscard]] inline std::span<const std::byte> bytesOf(const QByteArray& data) {
    return std::as_bytes(std::span(data.constData(), static_cast<std::size_t>(data.size())));
}

[[nodiscard]] inline QByteArray toByteArray(const crypto::SecureBuffer& buffer) {
    return {reinterpret_cast<const char*>(buffer.data()), static_cast<qsizetype>(buffer.size())};
}

/// One template vault per test class; open() gives each test its own copy with a Store over it.
class StoreFixture {
public:
    /// Creates the template; false (with the reason in `error`) when that fails.
    [[nodiscard]] bool createTemplate(QString& error) {
        if (!m_dir.isValid()) {
            error = QStringLiteral("no temporary folder");
            return false;
        }
        m_template = m_dir.filePath(QStringLiteral("template.coffer"));
        auto created = Vault::create(m_template, bytesOf("correct horse"), KdfCost::minimum());
        if (!created) {
            error = created.error().message();
            return false;
        }
        created->lock();
        auto key = Vault::deriveKey(m_template, bytesOf("correct horse"));
        if (!key) {
            error = key.error().message();
            return false;
        }
        m_key.emplace(std::move(*key));
        return true;
    }

    /// Opens a fresh copy of the template with `author` as the Store's author.
    [[nodiscard]] bool open(const QString& author, QString& error) {
        const QString path = m_dir.filePath(QStringLiteral("copy%1.coffer").arg(++m_serial));
        if (!QFile::copy(m_template, path)) {
            error = QStringLiteral("cannot copy the template vault");
            return false;
        }
        auto vault = Vault::open(path, *m_key);
        if (!vault) {
            error = vault.error().message();
            return false;
        }
        m_vault.emplace(std::move(*vault));
        m_store.emplace(*m_vault, author);
        return true;
    }

    /// Closes the current copy and unlocks it again with the password (the full, slow path).
    [[nodiscard]] bool reopen(const QString& author, QString& error) {
        const QString path = m_vault->path();
        close();
        auto vault = Vault::unlock(path, bytesOf("correct horse"));
        if (!vault) {
            error = vault.error().message();
            return false;
        }
        m_vault.emplace(std::move(*vault));
        m_store.emplace(*m_vault, author);
        return true;
    }

    void close() {
        m_store.reset();
        m_vault.reset();
    }

    [[nodiscard]] Store& store() { return *m_store; }
    [[nodiscard]] Vault& vault() { return *m_vault; }

private:
    QTemporaryDir m_dir;
    QString m_template;
    int m_serial = 0;
    std::optional<crypto::VaultKey> m_key;
    std::optional<Vault> m_vault;
    std::optional<Store> m_store;
};

} // namespace coffer::model::testing

// Readable QCOMPARE failures for the model's enums.
namespace QTest {
template <> inline char* toString(const coffer::model::ErrorCode& code) {
    return qstrdup(QByteArray::number(static_cast<int>(code)).prepend("ErrorCode ").constData());
}
} // namespace QTest

// Unwraps a Result or fails the test with the error's detail.
#define REQUIRE_OK(var, expr)                                                                                          \
    auto var = (expr);                                                                                                 \
    QVERIFY2(var.has_value(), var ? "" : qPrintable(var.error().detail))

#define REQUIRE_ERROR(expr, expectedCode)                                                                              \
    do {                                                                                                               \
        const auto result_ = (expr);                                                                                   \
        QVERIFY2(!result_.has_value(), "expected an error, got success");                                              \
        QCOMPARE(result_.error().code, expectedCode);                                                                  \
    } while (false)

// The fixture's slots, the same in every Store test class.
#define STORE_FIXTURE_SLOTS(author)                                                                                    \
    void initTestCase() {                                                                                              \
        QString error;                                                                                                 \
        QVERIFY2(m_fixture.createTemplate(error), qPrintable(error));                                                  \
    }                                                                                                                  \
    void init() {                                                                                                      \
        QString error;                                                                                                 \
        QVERIFY2(m_fixture.open(QStringLiteral(author), error), qPrintable(error));                                    \
        prepare();                                                                                                     \
    }                                                                                                                  \
    void cleanup() {                                                                                                   \
        m_fixture.close();                                                                                             \
    }
