// SPDX-License-Identifier: Apache-2.0
// ProjectTreeModel, SecretTableModel and HistoryModel over a real vault, each watched by QAbstractItemModelTester.
#include "model/Store.h"
#include "model/Vault.h"
#include "tests/ui/SampleVault.h"
#include "ui/HistoryModel.h"
#include "ui/ProjectTreeModel.h"
#include "ui/SecretTableModel.h"

#include <QAbstractItemModelTester>
#include <QIcon>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using coffer::model::Store;
using coffer::model::Vault;
using coffer::test::bytesOf;
using coffer::test::SampleCounts;
using coffer::ui::HistoryModel;
using coffer::ui::ProjectTreeModel;
using coffer::ui::SecretTableModel;

class TestItemModels : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Vault> m_vault;
    std::optional<Store> m_store;

    std::int64_t environmentId(const char* project, const char* environment) {
        auto p = m_store->project(QString::fromUtf8(project));
        if (!p) {
            return 0;
        }
        auto e = m_store->environment(p->id, QString::fromUtf8(environment));
        return e ? e->id : 0;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath(QStringLiteral("models.coffer"));
        QVERIFY(coffer::test::createSampleVault(path, "correct horse").has_value());
        auto vault = Vault::unlock(path, bytesOf("correct horse"));
        QVERIFY2(vault.has_value(), qPrintable(vault ? QString() : vault.error().message()));
        m_vault.emplace(std::move(*vault));
        m_store.emplace(*m_vault, QStringLiteral("tester"));
    }

    void cleanupTestCase() {
        m_store.reset();
        m_vault.reset();
    }

    void projectTreeShowsProjectsAndEnvironments() {
        ProjectTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);

        QVERIFY(model.reload(*m_store).has_value());
        QCOMPARE(model.rowCount(), SampleCounts::projects);
        QCOMPARE(model.columnCount(), 1);
        QCOMPARE(model.environmentCount(), SampleCounts::projects * SampleCounts::environmentsPerProject);

        const QModelIndex payments = model.index(0, 0);
        QCOMPARE(payments.data().toString(), QStringLiteral("payments-api"));
        QCOMPARE(payments.data(ProjectTreeModel::KindRole).toInt(), int(ProjectTreeModel::Kind::Project));
        QVERIFY(!model.isEnvironment(payments));
        QCOMPARE(model.rowCount(payments), SampleCounts::environmentsPerProject);
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("web-frontend"));

        const QModelIndex dev = model.index(0, 0, payments);
        QCOMPARE(dev.data().toString(), QStringLiteral("dev"));
        QCOMPARE(dev.parent(), payments);
        QVERIFY(model.isEnvironment(dev));
        QCOMPARE(dev.data(ProjectTreeModel::ProjectNameRole).toString(), QStringLiteral("payments-api"));
        QCOMPARE(dev.data(ProjectTreeModel::ProtectedRole).toBool(), false);
        QCOMPARE(model.rowCount(dev), 0);
        QVERIFY(model.flags(dev).testFlag(Qt::ItemNeverHasChildren));

        const QModelIndex prod = model.index(2, 0, payments);
        QCOMPARE(prod.data().toString(), QStringLiteral("prod"));
        QCOMPARE(prod.data(ProjectTreeModel::ProtectedRole).toBool(), true);
        QVERIFY(prod.data(Qt::ToolTipRole).toString().contains(QStringLiteral("protected")));
        QVERIFY(!prod.data(Qt::DecorationRole).value<QIcon>().isNull());
        QCOMPARE(model.environment(prod)->id, environmentId("payments-api", "prod"));
        QCOMPARE(model.project(prod)->name, QStringLiteral("payments-api"));

        QCOMPARE(model.firstEnvironment(), dev);
        QCOMPARE(model.findEnvironment(QStringLiteral("web-frontend"), QStringLiteral("staging")),
                 model.index(1, 0, model.index(1, 0)));
        QVERIFY(!model.findEnvironment(QStringLiteral("web-frontend"), QStringLiteral("qa")).isValid());
        QVERIFY(!model.index(0, 0, dev).isValid());
        QVERIFY(!model.index(5, 0).isValid());

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.firstEnvironment().isValid());
    }

    void projectTreeFollowsChanges() {
        ProjectTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.reload(*m_store).has_value());

        auto project = m_store->addProject(QStringLiteral("billing-worker"));
        QVERIFY(project.has_value());
        QVERIFY(m_store->addEnvironment(project->id, QStringLiteral("production")).has_value());
        QVERIFY(model.reload(*m_store).has_value());
        QCOMPARE(model.rowCount(), SampleCounts::projects + 1);
        const QModelIndex production =
            model.findEnvironment(QStringLiteral("billing-worker"), QStringLiteral("production"));
        QVERIFY(production.isValid());
        QCOMPARE(production.data(ProjectTreeModel::ProtectedRole).toBool(), true);

        QVERIFY(m_store->removeProject(project->id, true).has_value());
        QVERIFY(model.reload(*m_store).has_value());
        QCOMPARE(model.rowCount(), SampleCounts::projects);
    }

    void secretTableShowsSecretsMasked() {
        SecretTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(SecretTableModel::ColumnCount));

        const auto prod = environmentId("payments-api", "prod");
        QVERIFY(model.load(*m_store, prod).has_value());
        QCOMPARE(model.environmentId(), prod);
        QCOMPARE(model.rowCount(), SampleCounts::paymentsProdSecrets);

        const auto name = [&](int row) { return model.index(row, SecretTableModel::NameColumn).data().toString(); };
        QCOMPARE(name(0), QStringLiteral("DATABASE_URL"));
        QCOMPARE(name(3), QStringLiteral("STRIPE_SECRET_KEY"));

        const QString mask = model.index(0, SecretTableModel::ValueColumn).data().toString();
        QCOMPARE(mask, QStringLiteral("••••••••"));
        // The mask says nothing about the value: the same for a short and a long one.
        QCOMPARE(model.index(1, SecretTableModel::ValueColumn).data().toString(), mask);
        for (int row = 0; row < model.rowCount(); ++row) {
            for (int column = 0; column < model.columnCount(); ++column) {
                const QString text = model.index(row, column).data().toString();
                QVERIFY2(!text.contains(QStringLiteral("postgres://")), qPrintable(text));
                QVERIFY2(!text.contains(QStringLiteral("sk_live")), qPrintable(text));
            }
        }

        QCOMPARE(model.index(0, SecretTableModel::VersionColumn).data().toInt(), 3);
        QCOMPARE(model.index(0, SecretTableModel::VersionColumn).data(SecretTableModel::SortRole).toInt(), 3);
        QVERIFY(!model.index(0, SecretTableModel::UpdatedColumn).data().toString().isEmpty());
        QVERIFY(
            model.index(0, SecretTableModel::UpdatedColumn).data(SecretTableModel::SortRole).toDateTime().isValid());
        QCOMPARE(model.index(3, SecretTableModel::UpdatedByColumn).data().toString(), QStringLiteral("bob"));
        QCOMPARE(model.index(3, SecretTableModel::TagsColumn).data().toString(), QStringLiteral("stripe, pci"));
        QCOMPARE(model.index(3, SecretTableModel::NameColumn).data(SecretTableModel::NoteRole).toString(),
                 QStringLiteral("Live key: rotate in the Stripe dashboard"));
        QVERIFY(model.index(3, SecretTableModel::NameColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("Stripe dashboard")));
        QCOMPARE(model.index(3, 0).data(SecretTableModel::SecretIdRole).value<qint64>(), model.secret(3)->id);
        QCOMPARE(model.headerData(SecretTableModel::ValueColumn, Qt::Horizontal).toString(), QStringLiteral("Value"));
        QVERIFY(model.secret(model.rowCount()) == nullptr);
    }

    void secretTableSwitchesEnvironments() {
        SecretTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.load(*m_store, environmentId("payments-api", "dev")).has_value());
        QCOMPARE(model.rowCount(), SampleCounts::paymentsDevSecrets);
        QVERIFY(model.load(*m_store, environmentId("web-frontend", "dev")).has_value());
        QCOMPARE(model.rowCount(), 1);

        // A deleted secret leaves the table; a new one appears on the next load.
        auto session = m_store->secret(environmentId("web-frontend", "dev"), QStringLiteral("SESSION_SECRET"));
        QVERIFY(session.has_value());
        QVERIFY(m_store->deleteSecret(session->id).has_value());
        QVERIFY(model.load(*m_store, environmentId("web-frontend", "dev")).has_value());
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(m_store->restoreVersion(session->id, 1).has_value());
        QVERIFY(model.load(*m_store, environmentId("web-frontend", "dev")).has_value());
        QCOMPARE(model.rowCount(), 1);

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.environmentId(), 0);
    }

    void historyShowsVersionsNewestFirst() {
        HistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(HistoryModel::ColumnCount));

        // payments-api/prod/DATABASE_URL: created by alice, then rotated twice.
        auto secret = m_store->secret(environmentId("payments-api", "prod"), QStringLiteral("DATABASE_URL"));
        QVERIFY(secret.has_value());
        QVERIFY(model.load(*m_store, secret->id).has_value());
        QCOMPARE(model.secretId(), secret->id);
        QCOMPARE(model.rowCount(), 3);
        const auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
        QCOMPARE(cell(0, HistoryModel::VersionColumn), QStringLiteral("3"));
        QCOMPARE(cell(0, HistoryModel::KindColumn), QStringLiteral("Updated"));
        QCOMPARE(cell(2, HistoryModel::VersionColumn), QStringLiteral("1"));
        QCOMPARE(cell(2, HistoryModel::KindColumn), QStringLiteral("Created"));
        QCOMPARE(cell(2, HistoryModel::ByColumn), QStringLiteral("alice"));
        QVERIFY(!cell(0, HistoryModel::WhenColumn).isEmpty());
        QCOMPARE(model.index(1, HistoryModel::ByColumn).data(HistoryModel::VersionRole).toInt(), 2);
        QCOMPARE(model.rowOf(1), 2);
        QCOMPARE(model.rowOf(9), -1);
        QCOMPARE(model.headerData(HistoryModel::KindColumn, Qt::Horizontal).toString(), QStringLiteral("Change"));
        for (int row = 0; row < model.rowCount(); ++row) {
            for (int column = 0; column < model.columnCount(); ++column) {
                QVERIFY(!cell(row, column).contains(QStringLiteral("postgres://")));
            }
        }

        // Rename, delete and restore each add a row that says what happened.
        QVERIFY(m_store->renameSecret(secret->id, QStringLiteral("PRIMARY_DATABASE_URL")).has_value());
        QVERIFY(m_store->deleteSecret(secret->id).has_value());
        QVERIFY(m_store->restoreVersion(secret->id, 2).has_value());
        QVERIFY(model.load(*m_store, secret->id).has_value());
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(cell(0, HistoryModel::KindColumn), QStringLiteral("Restored v2"));
        QCOMPARE(cell(1, HistoryModel::KindColumn), QStringLiteral("Deleted"));
        QCOMPARE(cell(2, HistoryModel::KindColumn), QStringLiteral("Renamed from DATABASE_URL"));
        QCOMPARE(model.version(0)->name, QStringLiteral("DATABASE_URL"));
        QVERIFY(model.version(6) == nullptr);

        // An unknown secret leaves the model as it was.
        QVERIFY(!model.load(*m_store, 999'999).has_value());
        QCOMPARE(model.rowCount(), 6);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.secretId(), 0);
    }
};

QTEST_MAIN(TestItemModels)
#include "TestItemModels.moc"
