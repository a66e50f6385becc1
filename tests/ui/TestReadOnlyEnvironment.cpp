// SPDX-License-Identifier: Apache-2.0
// A shared environment this member may only read (the team granted read access): the window shows it with a
// Read-only badge and greys out every action that would change its secrets, while reading, copying values and
// exporting stay; the other environments are unaffected. The access is the row sync/ keeps from the grants
// (sync_environments.access), written here directly.
#include "model/Database.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/Screenshot.h"
#include "tests/ui/WindowDriver.h"
#include "ui/MainWindow.h"
#include "ui/VaultPage.h"

#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using coffer::test::child;
using coffer::ui::MainWindow;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

} // namespace

class TestReadOnlyEnvironment : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_window;

    [[nodiscard]] QAction* action(const char* name) const { return child<QAction>(*m_window, name); }

    [[nodiscard]] bool select(const QString& environment, const QString& secret) const {
        return m_window->vaultPage().selectEnvironment(QStringLiteral("payments-api"), environment) &&
               m_window->vaultPage().selectSecret(secret);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("team.coffer"));
        QVERIFY(coffer::test::createSampleVault(m_path, kPassword.toStdString()).has_value());
        auto vault = coffer::model::Vault::unlock(m_path, coffer::test::bytesOf(kPassword.toStdString()));
        QVERIFY(vault.has_value());
        coffer::model::Store store(*vault, QStringLiteral("test"));
        const auto project = store.project(QStringLiteral("payments-api"));
        QVERIFY(project.has_value());
        const auto prod = store.environment(project->id, QStringLiteral("prod"));
        QVERIFY(prod.has_value());
        QVERIFY(!prod->readOnly);
        // A team on a server nobody listens on (the app's sync then reports offline) and prod shared read-only.
        QVERIFY(vault->database()
                    .exec("INSERT INTO sync_teams (team, name, server_url, joined_at) "
                          "VALUES (x'01', 'payments team', 'http://127.0.0.1:9', 0)")
                    .has_value());
        QVERIFY(vault->database()
                    .exec(QStringLiteral("INSERT INTO sync_environments (environment_id, team, environment, head_hash, "
                                         "access) VALUES (%1, x'01', x'02', x'', 'read')")
                              .arg(prod->id)
                              .toStdString())
                    .has_value());
        QVERIFY(store.environment(project->id, QStringLiteral("prod"))->readOnly);
        vault->lock();
        m_window = coffer::test::openUnlocked(m_path, kPassword);
        QVERIFY(m_window != nullptr);
        m_window->resize(1100, 700);
    }

    void cleanupTestCase() { m_window.reset(); }

    void readOnlyEnvironmentOffersNoChange() {
        QVERIFY(select(QStringLiteral("prod"), QStringLiteral("DATABASE_URL")));
        QVERIFY(child<QLabel>(*m_window, "readOnlyBadge")->isVisibleTo(m_window.get()));
        for (const char* name : {"newSecretAction", "editSecretAction", "renameSecretAction", "deleteSecretAction",
                                 "duplicateSecretAction", "moveSecretsToAction", "importDotenvAction"}) {
            QVERIFY2(!action(name)->isEnabled(), name);
        }
        for (const char* name : {"copyValueAction", "exportDotenvAction"}) {
            QVERIFY2(action(name)->isEnabled(), name);
        }
        // History is shown, but no older version can be restored.
        auto* history = child<QTableView>(*m_window, "historyTable");
        QVERIFY(history->model()->rowCount() >= 2);
        history->selectRow(1);
        QVERIFY(!child<QPushButton>(*m_window, "restoreButton")->isEnabled());
        QVERIFY(coffer::test::saveScreenshot(*m_window, QStringLiteral("read-only-environment")));
    }

    void otherEnvironmentsStayWritable() {
        QVERIFY(select(QStringLiteral("dev"), QStringLiteral("DATABASE_URL")));
        QVERIFY(!child<QLabel>(*m_window, "readOnlyBadge")->isVisibleTo(m_window.get()));
        for (const char* name : {"newSecretAction", "editSecretAction", "renameSecretAction", "deleteSecretAction",
                                 "duplicateSecretAction", "moveSecretsToAction", "importDotenvAction"}) {
            QVERIFY2(action(name)->isEnabled(), name);
        }
    }
};

QTEST_MAIN(TestReadOnlyEnvironment)
#include "TestReadOnlyEnvironment.moc"
