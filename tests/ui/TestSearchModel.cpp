// SPDX-License-Identifier: Apache-2.0
// SearchResultModel over the sample vault, watched by QAbstractItemModelTester through loads, queries and clears.
#include "model/Store.h"
#include "model/Vault.h"
#include "tests/ui/SampleVault.h"
#include "ui/SearchResultModel.h"

#include <QAbstractItemModelTester>
#include <QIcon>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using coffer::model::Store;
using coffer::model::Vault;
using coffer::test::bytesOf;
using coffer::test::SampleCounts;
using coffer::ui::SearchResultModel;

class TestSearchModel : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Vault> m_vault;
    std::optional<Store> m_store;

    // "project/env/NAME" of each row.
    static QStringList rows(const SearchResultModel& model) {
        QStringList list;
        for (int row = 0; row < model.rowCount(); ++row) {
            list << QStringLiteral("%1/%2/%3")
                        .arg(model.index(row, SearchResultModel::ProjectColumn).data().toString(),
                             model.index(row, SearchResultModel::EnvironmentColumn).data().toString(),
                             model.index(row, SearchResultModel::NameColumn).data().toString());
        }
        return list;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath(QStringLiteral("search.coffer"));
        QVERIFY(coffer::test::createSampleVault(path, "correct horse").has_value());
        auto vault = Vault::unlock(path, bytesOf("correct horse"));
        QVERIFY(vault.has_value());
        m_vault.emplace(std::move(*vault));
        m_store.emplace(*m_vault, QStringLiteral("tester"));
    }

    void cleanupTestCase() {
        m_store.reset();
        m_vault.reset();
    }

    void listsMatchesAcrossProjects() {
        SearchResultModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int{SearchResultModel::ColumnCount});
        QVERIFY(model.load(*m_store).has_value());
        QCOMPARE(model.secretIndex().size(), SampleCounts::secrets);
        QCOMPARE(model.rowCount(), 0); // no query yet

        QSignalSpy resets(&model, &SearchResultModel::modelReset);
        model.setQuery(QStringLiteral("secret"));
        QCOMPARE(rows(model), (QStringList{
                                  QStringLiteral("payments-api/dev/STRIPE_SECRET_KEY"),
                                  QStringLiteral("payments-api/staging/STRIPE_SECRET_KEY"),
                                  QStringLiteral("payments-api/staging/STRIPE_WEBHOOK_SECRET"),
                                  QStringLiteral("payments-api/prod/STRIPE_SECRET_KEY"),
                                  QStringLiteral("payments-api/prod/STRIPE_WEBHOOK_SECRET"),
                                  QStringLiteral("web-frontend/dev/SESSION_SECRET"),
                                  QStringLiteral("web-frontend/staging/SESSION_SECRET"),
                                  QStringLiteral("web-frontend/prod/SESSION_SECRET"),
                              }));
        // One more word narrows the matches (searching only the previous ones) to the same answer as from scratch.
        model.setQuery(QStringLiteral("secret pci"));
        QCOMPARE(rows(model), (QStringList{QStringLiteral("payments-api/prod/STRIPE_SECRET_KEY"),
                                           QStringLiteral("payments-api/prod/STRIPE_WEBHOOK_SECRET")}));
        model.setQuery(QStringLiteral("secret pci "));
        QCOMPARE(resets.count(), 2); // a trailing space changes no word: no reset
        model.setQuery(QStringLiteral("secret"));
        QCOMPARE(model.rowCount(), 8);
        model.setQuery(QStringLiteral("SEARCH indexing"));
        QCOMPARE(rows(model), (QStringList{QStringLiteral("web-frontend/staging/ALGOLIA_ADMIN_KEY"),
                                           QStringLiteral("web-frontend/prod/ALGOLIA_ADMIN_KEY")}));
        model.setQuery(QStringLiteral("no-such-thing"));
        QCOMPARE(model.rowCount(), 0);
        model.setQuery(QString());
        QCOMPARE(model.rowCount(), 0);
    }

    void showsScopeTagsAndNote() {
        SearchResultModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.load(*m_store).has_value());
        model.setQuery(QStringLiteral("rotate database"));
        QCOMPARE(model.rowCount(), 1);
        const auto* secret = model.secret(0);
        QVERIFY(secret != nullptr);
        QCOMPARE(secret->secret.name, QStringLiteral("DATABASE_URL"));
        QCOMPARE(secret->secret.version, 3);
        QCOMPARE(model.index(0, SearchResultModel::TagsColumn).data().toString(), QStringLiteral("database, pci"));
        QCOMPARE(model.index(0, SearchResultModel::NoteColumn).data().toString(),
                 QStringLiteral("Primary RDS cluster; rotate every 90 days"));
        QCOMPARE(model.index(0, 0).data(SearchResultModel::SecretIdRole).toLongLong(), secret->secret.id);
        QCOMPARE(model.rowOf(secret->secret.id), 0);
        QCOMPARE(model.rowOf(-1), -1);
        QVERIFY(model.secret(1) == nullptr);
        // prod is protected: the lock, as in the tree.
        QVERIFY(!model.index(0, SearchResultModel::EnvironmentColumn).data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(model.index(0, SearchResultModel::EnvironmentColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("protected")));
        QCOMPARE(model.headerData(SearchResultModel::ProjectColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Project"));
        QCOMPARE(model.headerData(SearchResultModel::EnvironmentColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Environment"));
        // Values never reach the model.
        for (int column = 0; column < model.columnCount(); ++column) {
            QVERIFY(!model.index(0, column).data().toString().contains(QStringLiteral("rotated2")));
        }
    }

    void loadKeepsTheQueryAndClearForgetsAll() {
        SearchResultModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.load(*m_store).has_value());
        model.setQuery(QStringLiteral("session"));
        QCOMPARE(model.rowCount(), 4); // SESSION_SECRET three times, and a note: "Signs customer session tokens"
        auto project = m_store->project(QStringLiteral("web-frontend"));
        auto env = m_store->environment(project->id, QStringLiteral("dev"));
        auto added = m_store->setSecret(env->id, QStringLiteral("SESSION_SALT"), bytesOf("salt"));
        QVERIFY(added.has_value());
        QCOMPARE(model.rowCount(), 4); // in memory until loaded again
        QVERIFY(model.load(*m_store).has_value());
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.rowOf(added->id), 1); // after payments-api's note; before web-frontend/dev/SESSION_SECRET
        QVERIFY(m_store->deleteSecret(added->id).has_value());
        QVERIFY(model.load(*m_store).has_value());
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.rowOf(added->id), -1);

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.query().isEmpty());
        QVERIFY(model.secretIndex().isEmpty());
    }
};

QTEST_MAIN(TestSearchModel)
#include "TestSearchModel.moc"
