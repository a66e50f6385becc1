// SPDX-License-Identifier: Apache-2.0
// The real coffer-cli, in its own process without a terminal and without a password, against the real window as
// its agent: the value it prints comes from the window (its own unlock could only fail: no terminal, no
// --password-file). The consent dialog names coffer-cli, its pid and its program; Allow Once prints the value, Deny
// fails with the agent's reason; after a lock coffer-cli finds no agent.
#include "agent/VaultReads.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/WindowDriver.h"
#include "ui/AgentConsent.h"
#include "ui/AgentHost.h"
#include "ui/ConsentDialog.h"
#include "ui/MainWindow.h"
#include "ui/PathLabel.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <memory>

#include <unistd.h>

using coffer::test::child;
using coffer::ui::ConsentDialog;
using coffer::ui::MainWindow;
using namespace std::chrono_literals;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");
QTemporaryDir* configHome = nullptr;

} // namespace

class TestAgentConsentCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QTemporaryDir m_runtime;
    std::unique_ptr<MainWindow> m_window;

    [[nodiscard]] QString vaultPath() const { return m_dir.filePath(QStringLiteral("team.coffer")); }
    [[nodiscard]] QString socketPath() const { return m_runtime.filePath(QStringLiteral("coffer/agent.sock")); }

    // coffer-cli ARGS on the vault, in a new session (no controlling terminal), with the test's socket.
    [[nodiscard]] std::unique_ptr<QProcess> startCli(const QStringList& arguments) const {
        auto process = std::make_unique<QProcess>();
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("COFFER_AGENT_SOCKET"), socketPath());
        environment.remove(QStringLiteral("COFFER_VAULT"));
        process->setProcessEnvironment(environment);
        process->setChildProcessModifier([] { ::setsid(); });
        process->setStandardInputFile(QProcess::nullDevice());
        process->start(QStringLiteral(COFFER_CLI_PATH),
                       QStringList{QStringLiteral("--vault"), vaultPath()} + arguments);
        return process;
    }

    [[nodiscard]] static bool finish(QProcess& process) {
        return QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 30'000) &&
               process.exitStatus() == QProcess::NormalExit;
    }

    [[nodiscard]] ConsentDialog* waitForDialog() const {
        auto& consent = m_window->agentHost().consent();
        if (!QTest::qWaitFor([&] { return consent.currentDialog() != nullptr; }, 20'000)) {
            return nullptr;
        }
        return consent.currentDialog();
    }

    [[nodiscard]] QString localValue(const coffer::agent::reads::Path& path) const {
        auto revealed = coffer::agent::reads::reveal(*m_window->session().store(), path, std::nullopt, false);
        if (!revealed) {
            return {};
        }
        const auto bytes = revealed->value.bytes();
        return QString::fromUtf8(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
    }

public:
    static void initMain() {
        configHome = new QTemporaryDir;
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(configHome->path()));
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        QCoreApplication::setOrganizationName(QStringLiteral("CofferTest"));
        QCoreApplication::setApplicationName(QStringLiteral("TestAgentConsentCli"));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_runtime.isValid());
        QVERIFY(coffer::test::createSampleVault(vaultPath(), kPassword.toStdString()).has_value());
    }

    void init() {
        m_window = coffer::test::openUnlocked(vaultPath(), kPassword);
        QVERIFY(m_window != nullptr);
        m_window->agentHost().consent().setArmDelay(0ms);
        m_window->setAgentSocketPath(socketPath());
        QVERIFY(m_window->agentHost().isServing());
    }

    void cleanup() {
        m_window.reset();
        QSettings().clear();
    }

    void allowOncePrintsTheValue() {
        auto cli = startCli({QStringLiteral("get"), QStringLiteral("payments-api/prod/DATABASE_URL")});
        ConsentDialog* dialog = waitForDialog();
        QVERIFY2(dialog != nullptr, cli->readAllStandardError().constData());
        QCOMPARE(dialog->findChild<QLabel*>(QStringLiteral("consentCommand"))->text(), QStringLiteral("get"));
        const QString process = dialog->findChild<QLabel*>(QStringLiteral("consentProcess"))->text();
        QVERIFY2(process.contains(QStringLiteral("coffer-cli")), qPrintable(process));
        QVERIFY2(process.contains(QString::number(cli->processId())), qPrintable(process));
        QCOMPARE(dialog->findChild<coffer::ui::PathLabel*>(QStringLiteral("consentExecutable"))->path(),
                 QFileInfo(QStringLiteral(COFFER_CLI_PATH)).canonicalFilePath());
        QTRY_VERIFY(dialog->findChild<QPushButton*>(QStringLiteral("consentAllowOnceButton"))->isEnabled());
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("consentAllowOnceButton")), Qt::LeftButton);
        QVERIFY(finish(*cli));
        const QByteArray errors = cli->readAllStandardError();
        QVERIFY2(cli->exitCode() == 0, errors.constData());
        const QString printed = QString::fromUtf8(cli->readAllStandardOutput());
        const QString expected =
            localValue({QStringLiteral("payments-api"), QStringLiteral("prod"), QStringLiteral("DATABASE_URL")});
        QVERIFY(!expected.isEmpty());
        QCOMPARE(printed.trimmed(), expected);
    }

    void denyFails() {
        auto cli = startCli({QStringLiteral("get"), QStringLiteral("payments-api/prod/STRIPE_SECRET_KEY")});
        ConsentDialog* dialog = waitForDialog();
        QVERIFY2(dialog != nullptr, cli->readAllStandardError().constData());
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("consentDenyButton")), Qt::LeftButton);
        QVERIFY(finish(*cli));
        QCOMPARE(cli->exitCode(), 5);
        QVERIFY(cli->readAllStandardOutput().isEmpty());
        const QByteArray errors = cli->readAllStandardError();
        QVERIFY2(errors.contains("not approved"), errors.constData());
    }

    // After the lock there is no agent: coffer-cli falls back to its own unlock, which, without a terminal or a
    // password file, stops at once asking for --password-file. Nothing is printed.
    void afterLockNoAgent() {
        child<QAction>(*m_window, "lockAction")->trigger();
        auto cli = startCli({QStringLiteral("get"), QStringLiteral("payments-api/dev/DATABASE_URL")});
        QVERIFY(finish(*cli));
        QCOMPARE(cli->exitCode(), 5);
        QVERIFY(cli->readAllStandardOutput().isEmpty());
        QVERIFY(m_window->agentHost().consent().currentDialog() == nullptr);
    }
};

QTEST_MAIN(TestAgentConsentCli)
#include "TestAgentConsentCli.moc"
