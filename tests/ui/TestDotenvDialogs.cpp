// SPDX-License-Identifier: Apache-2.0
// Import .env, Export .env and Copy as .env in the real window on the sample vault: previews by name only, all or
// nothing, owner-only files that read back exactly, merge, git refusals and .gitignore, protected environments.
#include "model/Dotenv.h"
#include "model/DotenvImport.h"
#include "model/GitCheck.h"
#include "model/Store.h"
#include "tests/ui/DotenvTestSupport.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/Screenshot.h"
#include "tests/ui/WindowDriver.h"
#include "ui/ClipboardGuard.h"
#include "ui/Confirm.h"
#include "ui/DotenvChangeModel.h"
#include "ui/ExportDialog.h"
#include "ui/ImportDialog.h"
#include "ui/MainWindow.h"
#include "ui/MessageBanner.h"
#include "ui/SecretTableModel.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using coffer::test::child;
using coffer::test::git;
using coffer::test::leakedValue;
using coffer::test::previewOf;
using coffer::test::readBack;
using coffer::test::readText;
using coffer::test::Values;
using coffer::test::whenDialogOpens;
using coffer::test::writeText;
using coffer::ui::DotenvChangeModel;
using coffer::ui::ExportDialog;
using coffer::ui::ImportDialog;
using coffer::ui::MainWindow;
using coffer::ui::MessageBanner;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

} // namespace

class TestDotenvDialogs : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_count = 0;
    std::unique_ptr<MainWindow> m_window;

    void open(const char* project, const char* environment) {
        const QString path = m_dir.filePath(QStringLiteral("vault%1.coffer").arg(++m_count));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        m_window = coffer::test::openUnlocked(path, kPassword);
        QVERIFY(m_window != nullptr);
        QVERIFY(
            m_window->vaultPage().selectEnvironment(QString::fromLatin1(project), QString::fromLatin1(environment)));
    }

    /// A fresh folder for files of one test.
    QString folder() {
        const QString path = m_dir.filePath(QStringLiteral("files%1").arg(++m_count));
        QDir().mkpath(path);
        return path;
    }

    [[nodiscard]] QAction* action(const char* name) const { return child<QAction>(*m_window, name); }
    [[nodiscard]] coffer::model::Store& store() const { return *m_window->session().store(); }
    [[nodiscard]] std::int64_t environmentId() const { return m_window->vaultPage().currentEnvironment()->id; }

    /// The current values of the selected environment.
    [[nodiscard]] Values values() const {
        Values result;
        const auto secrets = store().secrets(environmentId());
        if (!secrets) {
            result[QStringLiteral("<error>")] = secrets.error().message().toUtf8();
            return result;
        }
        for (const auto& secret : *secrets) {
            const auto value = store().value(secret.id);
            result[secret.name] = value ? QByteArray(value->view().data(), static_cast<qsizetype>(value->size()))
                                        : value.error().message().toUtf8();
        }
        return result;
    }

    [[nodiscard]] int versionOf(const QString& name) const {
        const auto secret = store().secret(environmentId(), name);
        return secret ? secret->version : -1;
    }

    [[nodiscard]] std::vector<coffer::model::AuditEvent> events(const QString& action) const {
        std::vector<coffer::model::AuditEvent> found;
        const auto all = store().auditEvents();
        for (const auto& event : *all) {
            if (event.action == action) {
                found.push_back(event);
            }
        }
        return found;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void cleanup() {
        m_window.reset();
        static_cast<void>(coffer::ui::confirm::setHandler({}));
        QApplication::clipboard()->clear();
    }

    void actionsSitInTheirMenusWithTheirShortcuts() {
        open("payments-api", "dev");
        QCOMPARE(action("importDotenvAction")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_I));
        QCOMPARE(action("exportDotenvAction")->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
        QCOMPARE(action("copyAsDotenvAction")->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
        const QList<QAction*> file = m_window->fileMenu()->actions();
        QVERIFY(file.contains(action("importDotenvAction")));
        QVERIFY(file.indexOf(action("exportDotenvAction")) < file.indexOf(action("quitAction")));
        QMenu* edit = nullptr;
        for (QAction* menu : m_window->menuBar()->actions()) {
            if (menu->text() == QStringLiteral("&Edit")) {
                edit = menu->menu();
            }
        }
        QVERIFY(edit != nullptr);
        QCOMPARE(edit->actions().constLast(), action("copyAsDotenvAction"));
        QVERIFY(action("importDotenvAction")->isEnabled());
        QVERIFY(action("exportDotenvAction")->isEnabled());
        // Locked: nothing applies.
        action("lockAction")->trigger();
        QVERIFY(!action("importDotenvAction")->isEnabled());
        QVERIFY(!action("copyAsDotenvAction")->isEnabled());
    }

    void importPreviewsByNameAndWritesAllOfIt() {
        open("payments-api", "dev");
        const QString file = folder() + QStringLiteral("/payments-api.local.env");
        QVERIFY(writeText(file, "# local overrides\n"
                                "DATABASE_URL=postgres://payments:devpass@localhost:5432/payments\n"
                                "REDIS_URL=\"redis://cache-imported-marker:6380/1\"\n"
                                "export NEW_API_TOKEN=tok-imported-marker-1\n"
                                "FEATURE_FLAG_KEY='flag-imported-marker-2'\n"));
        const QStringList fileValues{QStringLiteral("imported-marker"), QStringLiteral("devpass"),
                                     QStringLiteral("localhost:5432")};
        QString summary;
        QString leak;
        std::map<QString, QString> preview;
        whenDialogOpens<ImportDialog>([&](ImportDialog& dialog) {
            QVERIFY(!child<QPushButton>(dialog, "importButton")->isEnabled()); // no file yet
            dialog.setPath(file);
            preview = previewOf(dialog, "importPreviewTable");
            summary = child<QLabel>(dialog, "importSummaryLabel")->text();
            leak = leakedValue(dialog, fileValues);
            QCOMPARE(child<QComboBox>(dialog, "importFormatBox")->currentIndex(), 0); // dotenv from the extension
            QVERIFY(child<MessageBanner>(dialog, "importBanner")->isHidden());
            QVERIFY(coffer::test::saveScreenshot(dialog, QStringLiteral("import-preview")));
            QTest::mouseClick(child<QPushButton>(dialog, "importButton"), Qt::LeftButton);
        });
        action("importDotenvAction")->trigger();

        const std::map<QString, QString> expected{{QStringLiteral("DATABASE_URL"), QStringLiteral("Unchanged")},
                                                  {QStringLiteral("REDIS_URL"), QStringLiteral("Changed")},
                                                  {QStringLiteral("NEW_API_TOKEN"), QStringLiteral("Added")},
                                                  {QStringLiteral("FEATURE_FLAG_KEY"), QStringLiteral("Added")}};
        QCOMPARE(preview, expected);
        QVERIFY2(summary.startsWith(QStringLiteral("2 added \u00b7 1 changed \u00b7 1 unchanged")),
                 qPrintable(summary));
        QVERIFY2(leak.isEmpty(), qPrintable(leak));

        const Values now = values();
        QCOMPARE(now.size(), std::size_t{5});
        QCOMPARE(now.at(QStringLiteral("NEW_API_TOKEN")), QByteArray("tok-imported-marker-1"));
        QCOMPARE(now.at(QStringLiteral("FEATURE_FLAG_KEY")), QByteArray("flag-imported-marker-2"));
        QCOMPARE(now.at(QStringLiteral("REDIS_URL")), QByteArray("redis://cache-imported-marker:6380/1"));
        QCOMPARE(versionOf(QStringLiteral("REDIS_URL")), 2);
        QCOMPARE(versionOf(QStringLiteral("DATABASE_URL")), 1); // unchanged: no new version
        // The page shows the new secrets, and the log says where they came from.
        QCOMPARE(m_window->vaultPage().secretModel()->rowCount(), 5);
        const auto imports = events(QStringLiteral("import"));
        QCOMPARE(imports.size(), std::size_t{1});
        QCOMPARE(imports.front().environment, QStringLiteral("dev"));
        QVERIFY2(imports.front().detail.contains(file) && imports.front().detail.contains(QStringLiteral("2 added")),
                 qPrintable(imports.front().detail));
        QVERIFY(!imports.front().detail.contains(QStringLiteral("marker")));
        QVERIFY(child<QLabel>(*m_window, "statusCountsLabel")->text().contains(QStringLiteral("18 secrets")));
    }

    void importWithAnErrorImportsNothing_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("line");
        QTest::newRow("unterminated quote")
            << QByteArray("GOOD_ONE=fine-marker\nBROKEN=\"never-closed-marker\n") << QStringLiteral("Line 2");
        QTest::newRow("invalid secret name")
            << QByteArray("GOOD_ONE=fine-marker\n# note\n1BAD=value-marker\n") << QStringLiteral("Line 3");
        QTest::newRow("not an assignment")
            << QByteArray("GOOD_ONE=fine-marker\nthis is prose-marker\n") << QStringLiteral("Line 2");
    }

    void importWithAnErrorImportsNothing() {
        QFETCH(QByteArray, text);
        QFETCH(QString, line);
        open("payments-api", "dev");
        const QString file = folder() + QStringLiteral("/broken.env");
        QVERIFY(writeText(file, text));
        const Values before = values();
        QString error;
        QString leak;
        bool importEnabled = true;
        whenDialogOpens<ImportDialog>([&](ImportDialog& dialog) {
            dialog.setPath(file);
            auto* banner = child<MessageBanner>(dialog, "importBanner");
            error = banner->isHidden() ? QString() : banner->text();
            leak = leakedValue(dialog, {QStringLiteral("marker")});
            importEnabled = child<QPushButton>(dialog, "importButton")->isEnabled();
            QCOMPARE(dialog.plan(), nullptr);
            dialog.reject();
        });
        action("importDotenvAction")->trigger();
        QVERIFY2(error.startsWith(line), qPrintable(error));
        QVERIFY2(leak.isEmpty(), qPrintable(leak));
        QVERIFY(!importEnabled);
        QCOMPARE(values(), before);
        QVERIFY(events(QStringLiteral("import")).empty());
    }

    void importIntoAProtectedEnvironmentAsksFirst() {
        open("payments-api", "prod");
        const QString file = folder() + QStringLiteral("/prod.env");
        QVERIFY(writeText(file, "PROD_ONLY=from-file\n"));
        QString question;
        static_cast<void>(coffer::ui::confirm::setHandler([&](QWidget*, const QString&, const QString& text) {
            question = text;
            return false;
        }));
        bool stillOpen = false;
        whenDialogOpens<ImportDialog>([&](ImportDialog& dialog) {
            dialog.setPath(file);
            QTest::mouseClick(child<QPushButton>(dialog, "importButton"), Qt::LeftButton);
            stillOpen = dialog.isVisible(); // declined: the dialog waits
            dialog.reject();
        });
        action("importDotenvAction")->trigger();
        QVERIFY2(question.contains(QStringLiteral("protected")), qPrintable(question));
        QVERIFY(stillOpen);
        QVERIFY(!values().contains(QStringLiteral("PROD_ONLY")));

        static_cast<void>(
            coffer::ui::confirm::setHandler([](QWidget*, const QString&, const QString&) { return true; }));
        whenDialogOpens<ImportDialog>([&](ImportDialog& dialog) {
            dialog.setPath(file);
            QTest::mouseClick(child<QPushButton>(dialog, "importButton"), Qt::LeftButton);
        });
        action("importDotenvAction")->trigger();
        QCOMPARE(values().at(QStringLiteral("PROD_ONLY")), QByteArray("from-file"));
    }

    void exportWritesAnOwnerOnlyFileThatReadsBackExactly() {
        open("payments-api", "dev");
        // A reference is resolved, a multiline value and quotes survive.
        QVERIFY(store().setSecret(environmentId(), QStringLiteral("PRIMARY_DSN"),
                                  coffer::test::bytesOf("${DATABASE_URL}?sslmode=disable")));
        QVERIFY(store().setSecret(environmentId(), QStringLiteral("TLS_KEY"),
                                  coffer::test::bytesOf("-----BEGIN KEY-----\nMI'I\"B\n-----END KEY-----")));
        Values expected = values();
        expected[QStringLiteral("PRIMARY_DSN")] =
            expected.at(QStringLiteral("DATABASE_URL")) + QByteArray("?sslmode=disable");
        const QString path = folder() + QStringLiteral("/.env");
        QString summary;
        QString leak;
        whenDialogOpens<ExportDialog>([&](ExportDialog& dialog) {
            QVERIFY(!child<QPushButton>(dialog, "exportButton")->isEnabled()); // no file yet
            dialog.setTargetPath(path);
            QVERIFY(child<MessageBanner>(dialog, "exportGitBanner")->isHidden()); // not in a git work tree
            summary = child<QLabel>(dialog, "exportSummaryLabel")->text();
            leak = leakedValue(dialog, {QStringLiteral("devpass"), QStringLiteral("BEGIN KEY")});
            QTest::mouseClick(child<QPushButton>(dialog, "exportButton"), Qt::LeftButton);
        });
        action("exportDotenvAction")->trigger();
        QVERIFY2(summary.contains(QStringLiteral("new file with 5 secrets")), qPrintable(summary));
        QVERIFY2(leak.isEmpty(), qPrintable(leak));
        QVERIFY(QFileInfo::exists(path));
        QCOMPARE(QFileInfo(path).permissions() &
                     ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
                 QFile::Permissions());
        QCOMPARE(readBack(path), expected);
        const auto exports = events(QStringLiteral("export"));
        QCOMPARE(exports.size(), std::size_t{1});
        QCOMPARE(exports.front().project, QStringLiteral("payments-api"));
        QCOMPARE(exports.front().environment, QStringLiteral("dev"));
        QCOMPARE(exports.front().detail, path + QStringLiteral(", 5 secrets"));
    }

    void exportInOtherFormatsAndRefusesWhatDockerCannotCarry() {
        open("payments-api", "dev");
        const QString dir = folder();
        // The extension chooses JSON.
        whenDialogOpens<ExportDialog>([&](ExportDialog& dialog) {
            dialog.setTargetPath(dir + QStringLiteral("/secrets.json"));
            QCOMPARE(child<QComboBox>(dialog, "exportFormatBox")->currentData().toInt(),
                     int(coffer::model::dotenv::Dialect::Json));
            QVERIFY(!child<QCheckBox>(dialog, "exportMergeCheck")->isEnabled());
            QTest::mouseClick(child<QPushButton>(dialog, "exportButton"), Qt::LeftButton);
        });
        action("exportDotenvAction")->trigger();
        QCOMPARE(readBack(dir + QStringLiteral("/secrets.json"), coffer::model::dotenv::Dialect::Json), values());

        QVERIFY(store().setSecret(environmentId(), QStringLiteral("MULTI_LINE_CERT"), coffer::test::bytesOf("a\nb")));
        QString error;
        bool exportEnabled = true;
        whenDialogOpens<ExportDialog>([&](ExportDialog& dialog) {
            dialog.setTargetPath(dir + QStringLiteral("/docker.env"));
            dialog.setDialect(coffer::model::dotenv::Dialect::Docker);
            error = child<MessageBanner>(dialog, "exportBanner")->text();
            exportEnabled = child<QPushButton>(dialog, "exportButton")->isEnabled();
            dialog.reject();
        });
        action("exportDotenvAction")->trigger();
        QVERIFY2(error.contains(QStringLiteral("MULTI_LINE_CERT")) && error.contains(QStringLiteral("docker")),
                 qPrintable(error));
        QVERIFY(!exportEnabled);
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/docker.env")));
    }

    void mergeKeepsForeignLinesAndComments() {
        open("payments-api", "dev");
        const QString path = folder() + QStringLiteral("/.env");
        QVERIFY(writeText(path, "# my local settings: keep me\n"
                                "DEBUG=1\n"
                                "\n"
                                "REDIS_URL=redis://old:6379/9 # the old cache\n"));
        std::map<QString, QString> preview;
        whenDialogOpens<ExportDialog>([&](ExportDialog& dialog) {
            dialog.setTargetPath(path);
            dialog.setMerge(true);
            preview = previewOf(dialog, "exportPreviewTable");
            QTest::mouseClick(child<QPushButton>(dialog, "exportButton"), Qt::LeftButton);
        });
        action("exportDotenvAction")->trigger();
        const std::map<QString, QString> expected{{QStringLiteral("DATABASE_URL"), QStringLiteral("Added")},
                                                  {QStringLiteral("REDIS_URL"), QStringLiteral("Changed")},
                                                  {QStringLiteral("STRIPE_SECRET_KEY"), QStringLiteral("Added")},
                                                  {QStringLiteral("DEBUG"), QStringLiteral("Kept (not from Coffer)")}};
        QCOMPARE(preview, expected);
        const QByteArray text = readText(path);
        QVERIFY2(text.startsWith("# my local settings: keep me\nDEBUG=1\n\n"), text.constData());
        QVERIFY2(text.contains("# the old cache"), text.constData());
        Values expectedValues = values();
        expectedValues[QStringLiteral("DEBUG")] = "1";
        QCOMPARE(readBack(path), expectedValues);
        QCOMPARE(QFileInfo(path).permissions() & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions());
    }

    void aTargetGitTracksIsRefused() {
        open("payments-api", "dev");
        const QString repo = folder();
        QCOMPARE(git(repo, {QStringLiteral("init"), QStringLiteral("-q")}), 0);
        const QString path = repo + QStringLiteral("/.env");
        QVERIFY(writeText(path, "PLACEHOLDER=committed\n"));
        QCOMPARE(git(repo, {QStringLiteral("add"), QStringLiteral(".env")}), 0);
        QString gitMessage;
        bool exportEnabled = true;
        whenDialogOpens<ExportDialog>([&](ExportDialog& dialog) {
            dialog.setTargetPath(path);
            auto* banner = child<MessageBanner>(dialog, "exportGitBanner");
            QVERIFY(!banner->isHidden());
            QCOMPARE(banner->kind(), MessageBanner::Kind::Error);
            gitMessage = banner->text();
            QVERIFY(child<QPushButton>(dialog, "gitignoreButton")->isHidden());
            exportEnabled = child<QPushButton>(dialog, "exportButton")->isEnabled();
            // Even a click that gets through changes nothing.
            QMetaObject::invokeMethod(child<QDialogButtonBox>(dialog, "exportButtons"), "accepted");
            QVERIFY(dialog.isVisible());
            dialog.reject();
        });
        action("exportDotenvAction")->trigger();
        QVERIFY2(gitMessage.contains(QStringLiteral("git tracks")) && gitMessage.contains(QStringLiteral("git rm")),
                 qPrintable(gitMessage));
        QVERIFY(!exportEnabled);
        QCOMPARE(readText(path), QByteArray("PLACEHOLDER=committed\n"));
        QVERIFY(events(QStringLiteral("export")).empty());
    }

    void anUnignoredTargetWarnsAndCanBeAddedToGitignore() {
        open("payments-api", "dev");
        const QString repo = folder() + QStringLiteral("/payments-api");
        QDir().mkpath(repo + QStringLiteral("/service"));
        QCOMPARE(git(repo, {QStringLiteral("init"), QStringLiteral("-q")}), 0);
        QVERIFY(writeText(repo + QStringLiteral("/.gitignore"), "node_modules/")); // no line feed at the end
        const QString path = repo + QStringLiteral("/service/.env");
        // An existing file, so that the preview shows every kind of change.
        QVERIFY(writeText(path, "REDIS_URL=redis://old:6379/9\nLEGACY_TOKEN=gone-soon\n"));
        QCOMPARE(git(repo, {QStringLiteral("check-ignore"), QStringLiteral("-q"), QStringLiteral("service/.env")}), 1);
        QString warning;
        QString after;
        std::map<QString, QString> preview;
        MessageBanner::Kind afterKind = MessageBanner::Kind::Error;
        whenDialogOpens<ExportDialog>([&](ExportDialog& dialog) {
            dialog.setTargetPath(path);
            auto* banner = child<MessageBanner>(dialog, "exportGitBanner");
            auto* button = child<QPushButton>(dialog, "gitignoreButton");
            QCOMPARE(banner->kind(), MessageBanner::Kind::Warning);
            QVERIFY(!button->isHidden());
            warning = banner->text();
            preview = previewOf(dialog, "exportPreviewTable");
            QVERIFY(child<QPushButton>(dialog, "exportButton")->isEnabled()); // a warning, not a refusal
            QVERIFY(coffer::test::saveScreenshot(dialog, QStringLiteral("export-dialog")));
            QPalette light = dialog.palette();
            dialog.setPalette(coffer::test::darkPalette());
            QVERIFY(coffer::test::saveScreenshot(dialog, QStringLiteral("export-dialog-dark")));
            dialog.setPalette(light);
            QTest::mouseClick(button, Qt::LeftButton);
            after = banner->text();
            afterKind = banner->kind();
            QVERIFY(button->isHidden());
            dialog.reject();
        });
        action("exportDotenvAction")->trigger();
        QVERIFY2(warning.contains(QStringLiteral("not ignored")), qPrintable(warning));
        const std::map<QString, QString> expected{{QStringLiteral("DATABASE_URL"), QStringLiteral("Added")},
                                                  {QStringLiteral("REDIS_URL"), QStringLiteral("Changed")},
                                                  {QStringLiteral("STRIPE_SECRET_KEY"), QStringLiteral("Added")},
                                                  {QStringLiteral("LEGACY_TOKEN"), QStringLiteral("Removed")}};
        QCOMPARE(preview, expected);
        QCOMPARE(afterKind, MessageBanner::Kind::Information);
        QVERIFY2(after.contains(QStringLiteral("git ignores")), qPrintable(after));
        QCOMPARE(git(repo, {QStringLiteral("check-ignore"), QStringLiteral("-q"), QStringLiteral("service/.env")}), 0);
        QCOMPARE(readText(repo + QStringLiteral("/.gitignore")), QByteArray("node_modules/\n/service/.env\n"));
        QCOMPARE(coffer::model::gitStatus(path).state, coffer::model::GitState::Ignored);
    }

    void aProtectedEnvironmentAsksBeforeExporting() {
        open("payments-api", "prod");
        const QString path = folder() + QStringLiteral("/prod.env");
        QString question;
        static_cast<void>(coffer::ui::confirm::setHandler([&](QWidget*, const QString&, const QString& text) {
            question = text;
            return false;
        }));
        bool stillOpen = false;
        whenDialogOpens<ExportDialog>([&](ExportDialog& dialog) {
            QVERIFY(child<QLabel>(dialog, "exportScopeLabel")->text().contains(QStringLiteral("protected")));
            dialog.setTargetPath(path);
            QTest::mouseClick(child<QPushButton>(dialog, "exportButton"), Qt::LeftButton);
            stillOpen = dialog.isVisible();
            dialog.reject();
        });
        action("exportDotenvAction")->trigger();
        QVERIFY2(question.contains(QStringLiteral("protected")) && question.contains(path), qPrintable(question));
        QVERIFY(stillOpen);
        QVERIFY(!QFileInfo::exists(path)); // cancelled: nothing written
        QVERIFY(events(QStringLiteral("export")).empty());

        static_cast<void>(
            coffer::ui::confirm::setHandler([](QWidget*, const QString&, const QString&) { return true; }));
        whenDialogOpens<ExportDialog>([&](ExportDialog& dialog) {
            dialog.setTargetPath(path);
            QTest::mouseClick(child<QPushButton>(dialog, "exportButton"), Qt::LeftButton);
        });
        action("exportDotenvAction")->trigger();
        QCOMPARE(readBack(path), values());
        QCOMPARE(events(QStringLiteral("export")).size(), std::size_t{1});
    }

    void copyAsDotenvGoesThroughTheClipboardGuard() {
        open("payments-api", "dev");
        QVERIFY(
            store().setSecret(environmentId(), QStringLiteral("REDIS_COPY"), coffer::test::bytesOf("${REDIS_URL}")));
        Values expected = values();
        expected[QStringLiteral("REDIS_COPY")] = expected.at(QStringLiteral("REDIS_URL"));
        QVERIFY(!m_window->clipboard().isArmed());
        action("copyAsDotenvAction")->trigger();
        const QByteArray text = QApplication::clipboard()->text().toUtf8();
        const auto entries =
            coffer::model::dotenv::read(coffer::model::dotenv::Dialect::Dotenv,
                                        std::as_bytes(std::span(text.constData(), std::size_t(text.size()))));
        QVERIFY(entries.has_value());
        Values copied;
        for (const auto& entry : *entries) {
            copied[entry.name] = QByteArray(entry.value.view().data(), static_cast<qsizetype>(entry.value.size()));
        }
        QCOMPARE(copied, expected);
        QVERIFY(m_window->clipboard().isArmed());
        auto* countdown = child<QLabel>(*m_window, "statusClipboardLabel");
        QVERIFY(!countdown->isHidden());
        QVERIFY2(countdown->text().contains(QStringLiteral("Clipboard clears in")), qPrintable(countdown->text()));
        const auto copies = events(QStringLiteral("copy"));
        QCOMPARE(copies.size(), std::size_t{1});
        QCOMPARE(copies.front().environment, QStringLiteral("dev"));
        QCOMPARE(copies.front().detail, QStringLiteral("environment as .env, 4 secrets"));
        // Locking clears it.
        action("lockAction")->trigger();
        QVERIFY(!m_window->clipboard().isArmed());
        QVERIFY(QApplication::clipboard()->text().isEmpty());
    }

    void copyAsDotenvOfAProtectedEnvironmentAsksFirst() {
        open("payments-api", "prod");
        QApplication::clipboard()->setText(QStringLiteral("something of the user's"));
        QString question;
        static_cast<void>(coffer::ui::confirm::setHandler([&](QWidget*, const QString&, const QString& text) {
            question = text;
            return false;
        }));
        action("copyAsDotenvAction")->trigger();
        QVERIFY2(question.contains(QStringLiteral("protected")), qPrintable(question));
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("something of the user's"));
        QVERIFY(!m_window->clipboard().isArmed());
        QVERIFY(events(QStringLiteral("copy")).empty());

        static_cast<void>(
            coffer::ui::confirm::setHandler([](QWidget*, const QString&, const QString&) { return true; }));
        action("copyAsDotenvAction")->trigger();
        QVERIFY(QApplication::clipboard()->text().contains(QStringLiteral("STRIPE_SECRET_KEY=")));
        QVERIFY(m_window->clipboard().isArmed());
    }
};

QTEST_MAIN(TestDotenvDialogs)
#include "TestDotenvDialogs.moc"
