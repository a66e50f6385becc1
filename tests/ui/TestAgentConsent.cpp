// SPDX-License-Identifier: Apache-2.0
// The desktop app as the agent (issue 10), through the real socket and the real window: requests come from the
// agent library's client on another thread (as coffer-cli sends them), the window serves while unlocked and asks
// before a protected environment is read. The test answers the real dialog: Allow Once, Allow for N minutes,
// Deny, or no answer until the deadline; the request's result must match. Locking, quitting, the setting and
// `coffer-cli lock` stop serving at once: the next connection is refused.
#include "agent/AgentClient.h"
#include "agent/AgentServer.h"
#include "agent/LocalSocket.h"
#include "agent/VaultReads.h"
#include "agent/Wire.h"
#include "model/Store.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/Screenshot.h"
#include "tests/ui/WindowDriver.h"
#include "ui/AgentConsent.h"
#include "ui/AgentHost.h"
#include "ui/ConsentDialog.h"
#include "ui/MainWindow.h"
#include "ui/PathLabel.h"
#include "ui/Settings.h"
#include "ui/SettingsDialog.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QLocalSocket>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

#include <unistd.h>

using coffer::agent::AgentError;
using coffer::agent::client::Answer;
using coffer::agent::client::Target;
using coffer::agent::reads::Path;
using coffer::crypto::SecureBuffer;
using coffer::test::child;
using coffer::ui::ConsentDialog;
using coffer::ui::MainWindow;
using coffer::ui::Settings;
using namespace std::chrono_literals;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");
QTemporaryDir* configHome = nullptr;

/// A client request on its own thread, as coffer-cli would send it from another process: the window's event loop
/// keeps running (the server and the dialog live there) while the client blocks for the reply.
template <typename T> class Request {
public:
    explicit Request(std::function<T()> work)
        : m_thread([this, work = std::move(work)] {
            m_result.emplace(work());
            m_done = true;
        }) {}
    ~Request() { m_thread.join(); }
    Request(const Request&) = delete;
    Request& operator=(const Request&) = delete;

    [[nodiscard]] bool isDone() const { return m_done; }
    [[nodiscard]] T& result() { return *m_result; }

private:
    std::optional<T> m_result;
    std::atomic<bool> m_done = false;
    std::thread m_thread;
};

QString text(const SecureBuffer& buffer) {
    return QString::fromUtf8(reinterpret_cast<const char*>(buffer.bytes().data()),
                             static_cast<qsizetype>(buffer.bytes().size()));
}

// Why a request failed, for the failure message; empty when it did not.
template <typename T> QByteArray whyNot(const Answer<T>& answer) {
    return answer ? QByteArray()
                  : describe(answer.error().error).toUtf8() + ' ' + answer.error().vault.message.toUtf8();
}

// True when nothing accepts a connection at `path`.
bool refusesConnections(const QString& path) {
    QLocalSocket socket;
    socket.connectToServer(path);
    const bool connected = socket.waitForConnected(2000);
    socket.abort();
    return !connected;
}

} // namespace

class TestAgentConsent : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QTemporaryDir m_runtime;
    std::unique_ptr<MainWindow> m_window;

    [[nodiscard]] QString vaultPath() const { return m_dir.filePath(QStringLiteral("team.coffer")); }
    [[nodiscard]] QString socketPath() const { return m_runtime.filePath(QStringLiteral("coffer/agent.sock")); }
    [[nodiscard]] Target target() const {
        return {socketPath(), QFileInfo(vaultPath()).canonicalFilePath(), std::chrono::seconds(20)};
    }

    // The value as the window's own store reads it: what coffer-cli prints without the agent.
    [[nodiscard]] QString localValue(const Path& path) const {
        auto revealed = coffer::agent::reads::reveal(*m_window->session().store(), path, std::nullopt, false);
        return revealed ? text(revealed->value) : QString();
    }

    [[nodiscard]] std::unique_ptr<Request<Answer<SecureBuffer>>> get(const Path& path) const {
        return std::make_unique<Request<Answer<SecureBuffer>>>(
            [target = target(), path] { return coffer::agent::client::reveal(target, path, std::nullopt, false); });
    }

    // Waits for the consent dialog of the pending request, with its Allow buttons armed.
    [[nodiscard]] ConsentDialog* waitForDialog() const {
        auto& consent = m_window->agentHost().consent();
        if (!QTest::qWaitFor([&] { return consent.currentDialog() != nullptr; }, 10'000)) {
            return nullptr;
        }
        ConsentDialog* dialog = consent.currentDialog();
        auto* allow = dialog->findChild<QPushButton*>(QStringLiteral("consentAllowOnceButton"));
        return QTest::qWaitFor([&] { return allow->isEnabled(); }, 10'000) ? dialog : nullptr;
    }

    static void click(ConsentDialog& dialog, const char* button) {
        QTest::mouseClick(dialog.findChild<QPushButton*>(QString::fromLatin1(button)), Qt::LeftButton);
    }

public:
    // Before QApplication: settings go to a private folder, never the user's.
    static void initMain() {
        configHome = new QTemporaryDir;
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(configHome->path()));
        qunsetenv("DBUS_SESSION_BUS_ADDRESS"); // no keychain needed here
        QCoreApplication::setOrganizationName(QStringLiteral("CofferTest"));
        QCoreApplication::setApplicationName(QStringLiteral("TestAgentConsent"));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_runtime.isValid());
        QVERIFY(Settings::fileName().startsWith(configHome->path()));
        QVERIFY(coffer::test::createSampleVault(vaultPath(), kPassword.toStdString()).has_value());
    }

    // Each test: the window unlocked, answering at once (no arm delay), serving at the private socket.
    void init() {
        m_window = coffer::test::openUnlocked(vaultPath(), kPassword);
        QVERIFY(m_window != nullptr);
        QVERIFY(!m_window->agentHost().isServing()); // no socket path: a window serves nothing by itself
        m_window->agentHost().consent().setArmDelay(0ms);
        m_window->setAgentSocketPath(socketPath());
        QVERIFY(m_window->agentHost().isServing());
    }

    void cleanup() {
        m_window.reset();
        QSettings().clear();
    }

    // An environment that is not protected is served without a question, and the status bar says the window
    // serves coffer-cli.
    void servesWhileUnlocked() {
        QVERIFY(QFileInfo(socketPath()).exists());
        QCOMPARE(QFileInfo(socketPath()).permissions() &
                     (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther),
                 QFile::Permissions());
        QVERIFY(child<QLabel>(*m_window, "statusAgentLabel")->isVisible());
        const Path path{QStringLiteral("payments-api"), QStringLiteral("dev"), QStringLiteral("DATABASE_URL")};
        QSignalSpy shown(&m_window->agentHost().consent(), &coffer::ui::AgentConsent::dialogShown);
        auto request = get(path);
        QTRY_VERIFY_WITH_TIMEOUT(request->isDone(), 10'000);
        QVERIFY2(request->result().has_value(), whyNot(request->result()).constData());
        QCOMPARE(text(*request->result()), localValue(path));
        QCOMPARE(shown.count(), 0);
        // Every request served is an audit event, in the vault the window shows.
        auto events = m_window->session().store()->auditEvents(5);
        QVERIFY(events.has_value());
        QVERIFY(!events->empty());
        QCOMPARE(events->front().action, QStringLiteral("reveal"));
        QCOMPARE(events->front().secret, QStringLiteral("DATABASE_URL"));
        QVERIFY(events->front().detail.contains(QStringLiteral("through the agent")));
    }

    // A protected environment: the dialog says which command, which project and environment, which process;
    // Allow Once serves this request, and the next one asks again.
    void allowOnce() {
        const Path path{QStringLiteral("payments-api"), QStringLiteral("prod"), QStringLiteral("DATABASE_URL")};
        auto request = get(path);
        ConsentDialog* dialog = waitForDialog();
        QVERIFY(dialog != nullptr);
        QCOMPARE(QApplication::activeModalWidget(), dialog);
        QCOMPARE(dialog->findChild<QLabel*>(QStringLiteral("consentCommand"))->text(), QStringLiteral("get"));
        QCOMPARE(dialog->findChild<QLabel*>(QStringLiteral("consentProject"))->text(), QStringLiteral("payments-api"));
        QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("consentEnvironment"))->text().startsWith(u"prod"));
        // The requesting process is this test's client thread: our pid and our executable.
        QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("consentProcess"))
                    ->text()
                    .contains(QString::number(QCoreApplication::applicationPid())));
        QCOMPARE(dialog->findChild<coffer::ui::PathLabel*>(QStringLiteral("consentExecutable"))->path(),
                 QFileInfo(QCoreApplication::applicationFilePath()).canonicalFilePath());
        QVERIFY(!request->isDone()); // nothing leaves before the answer
        click(*dialog, "consentAllowOnceButton");
        QTRY_VERIFY_WITH_TIMEOUT(request->isDone(), 10'000);
        QVERIFY2(request->result().has_value(), whyNot(request->result()).constData());
        QCOMPARE(text(*request->result()), localValue(path));
        QTRY_VERIFY(m_window->agentHost().consent().currentDialog() == nullptr);

        auto again = get(path);
        dialog = waitForDialog();
        QVERIFY2(dialog != nullptr, "Allow Once must not cover the next request");
        click(*dialog, "consentDenyButton");
        QTRY_VERIFY_WITH_TIMEOUT(again->isDone(), 10'000);
        QVERIFY(!again->result().has_value());
    }

    // Allow for N minutes: this command on this environment is served without a question until then (or the lock);
    // another command on it still asks.
    void allowForMinutes() {
        const Path path{QStringLiteral("payments-api"), QStringLiteral("prod"), QStringLiteral("STRIPE_SECRET_KEY")};
        auto request = get(path);
        ConsentDialog* dialog = waitForDialog();
        QVERIFY(dialog != nullptr);
        dialog->findChild<QComboBox*>(QStringLiteral("consentMinutesCombo"))->setCurrentIndex(0); // 5 minutes
        click(*dialog, "consentAllowForButton");
        QTRY_VERIFY_WITH_TIMEOUT(request->isDone(), 10'000);
        QVERIFY(request->result().has_value());
        QCOMPARE(text(*request->result()), localValue(path));

        QSignalSpy shown(&m_window->agentHost().consent(), &coffer::ui::AgentConsent::dialogShown);
        const Path other{QStringLiteral("payments-api"), QStringLiteral("prod"), QStringLiteral("SENTRY_DSN")};
        auto next = get(other);
        QTRY_VERIFY_WITH_TIMEOUT(next->isDone(), 10'000);
        QVERIFY(next->result().has_value());
        QCOMPARE(text(*next->result()), localValue(other));
        QCOMPARE(shown.count(), 0);

        auto exported = std::make_unique<Request<Answer<coffer::agent::reads::Gathered>>>([target = target()] {
            return coffer::agent::client::exportValues(
                target, Path{QStringLiteral("payments-api"), QStringLiteral("prod"), {}}, QStringLiteral("stdout"));
        });
        dialog = waitForDialog();
        QVERIFY2(dialog != nullptr, "export is another command: it asks");
        QCOMPARE(dialog->findChild<QLabel*>(QStringLiteral("consentCommand"))->text(), QStringLiteral("export"));
        click(*dialog, "consentDenyButton");
        QTRY_VERIFY_WITH_TIMEOUT(exported->isDone(), 10'000);
        QVERIFY(!exported->result().has_value());
        QCOMPARE(exported->result().error().error, AgentError::ConsentDenied);

        // The lock ends the allowance: after the next unlock the same read asks again.
        m_window->findChild<QAction*>(QStringLiteral("lockAction"))->trigger();
        QVERIFY(!m_window->agentHost().isServing());
        child<QLineEdit>(*m_window, "unlockPasswordEdit")->setText(kPassword);
        QTest::mouseClick(child<QPushButton>(*m_window, "unlockButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->agentHost().isServing(), coffer::test::kKdfTimeoutMs);
        auto afterLock = get(path);
        dialog = waitForDialog();
        QVERIFY2(dialog != nullptr, "an allowance must not outlive the lock");
        click(*dialog, "consentDenyButton");
        QTRY_VERIFY_WITH_TIMEOUT(afterLock->isDone(), 10'000);
    }

    void deny() {
        const Path path{QStringLiteral("web-frontend"), QStringLiteral("prod"), QStringLiteral("SESSION_SECRET")};
        auto request = get(path);
        ConsentDialog* dialog = waitForDialog();
        QVERIFY(dialog != nullptr);
        QCOMPARE(dialog->findChild<QLabel*>(QStringLiteral("consentProject"))->text(), QStringLiteral("web-frontend"));
        click(*dialog, "consentDenyButton");
        QTRY_VERIFY_WITH_TIMEOUT(request->isDone(), 10'000);
        QVERIFY(!request->result().has_value());
        QCOMPARE(request->result().error().error, AgentError::ConsentDenied);
        QVERIFY(m_window->agentHost().isServing()); // a denial is not a lock
    }

    // A client that hangs up while its question is on screen, or waits in line behind another, withdraws it:
    // the line shrinks, the dialog on screen closes, and nothing is served or audited.
    void clientHangingUpWithdrawsItsQuestion() {
        const QString vault = QFileInfo(vaultPath()).canonicalFilePath();
        auto ask = [&](const QString& name) {
            auto fd = coffer::agent::sockets::connectTo(coffer::agent::local::encodedPath(socketPath()));
            if (!fd) {
                return -1;
            }
            coffer::agent::wire::Message request(QStringLiteral("get"));
            request.add("project", QStringLiteral("payments-api"));
            request.add("environment", QStringLiteral("prod"));
            request.add("name", name);
            request.add("vault", vault);
            if (!coffer::agent::wire::writeFrame(*fd, request, 5s)) {
                ::close(*fd);
                return -1;
            }
            return *fd;
        };
        auto& consent = m_window->agentHost().consent();
        const auto auditedBefore = m_window->session().store()->auditEvents(1000);
        QVERIFY(auditedBefore.has_value());
        const int first = ask(QStringLiteral("DATABASE_URL"));
        QVERIFY(first >= 0);
        ConsentDialog* dialog = waitForDialog();
        QVERIFY(dialog != nullptr);
        const int second = ask(QStringLiteral("STRIPE_SECRET_KEY"));
        QVERIFY(second >= 0);
        QTRY_COMPARE_WITH_TIMEOUT(consent.pendingCount(), 2, 10'000);
        ::close(second);
        QTRY_COMPARE_WITH_TIMEOUT(consent.pendingCount(), 1, 10'000);
        QCOMPARE(consent.currentDialog(), dialog);
        ::close(first);
        QTRY_COMPARE_WITH_TIMEOUT(consent.pendingCount(), 0, 10'000);
        QTRY_VERIFY(consent.currentDialog() == nullptr);
        const auto auditedAfter = m_window->session().store()->auditEvents(1000);
        QVERIFY(auditedAfter.has_value());
        QCOMPARE(auditedAfter->size(), auditedBefore->size());
        QVERIFY(m_window->agentHost().isServing());
    }

    // Nobody answers: the dialog denies at its deadline and goes away.
    void timeoutDenies() {
        m_window->setAgentSocketPath({});
        m_window->agentHost().consent().setTimeout(3s);
        m_window->setAgentSocketPath(socketPath());
        const Path path{QStringLiteral("payments-api"), QStringLiteral("prod"), QStringLiteral("JWT_SIGNING_KEY")};
        auto request = get(path);
        QVERIFY(waitForDialog() != nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(request->isDone(), 10'000);
        QVERIFY(!request->result().has_value());
        QCOMPARE(request->result().error().error, AgentError::ConsentDenied);
        QVERIFY(m_window->agentHost().consent().currentDialog() == nullptr);
    }

    // Locking stops serving before the lock returns: the very next connection is refused, and the socket file
    // is gone. A question on screen goes with it, and its request gets nothing.
    void lockStopsServingAtOnce() {
        QVERIFY(!refusesConnections(socketPath()));
        const Path path{QStringLiteral("payments-api"), QStringLiteral("prod"), QStringLiteral("DATABASE_URL")};
        auto waiting = get(path);
        QVERIFY(waitForDialog() != nullptr);
        m_window->findChild<QAction*>(QStringLiteral("lockAction"))->trigger();
        // No event loop in between: the lock itself closed the socket.
        QVERIFY(refusesConnections(socketPath()));
        QVERIFY(!QFileInfo::exists(socketPath()));
        QVERIFY(!m_window->agentHost().isServing());
        QCOMPARE(coffer::test::currentPage(*m_window), QStringLiteral("unlockPage"));
        QVERIFY(m_window->agentHost().consent().currentDialog() == nullptr);
        QVERIFY(!child<QLabel>(*m_window, "statusAgentLabel")->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(waiting->isDone(), 10'000);
        QVERIFY(!waiting->result().has_value());
        auto status = coffer::agent::client::status(target());
        QVERIFY(!status.has_value());
        QCOMPARE(status.error().error, AgentError::NotRunning);
    }

    // Quitting locks, and so stops serving.
    void quitStopsServing() {
        QVERIFY(m_window->close());
        QVERIFY(refusesConnections(socketPath()));
        QVERIFY(!m_window->agentHost().isServing());
    }

    // The setting "Serve coffer-cli while unlocked", through the Settings dialog: off stops at once, on serves.
    void settingTurnsItOff() {
        coffer::test::whenDialogOpens<coffer::ui::SettingsDialog>([](coffer::ui::SettingsDialog& dialog) {
            auto* check = dialog.findChild<QCheckBox*>(QStringLiteral("serveAgentCheck"));
            QVERIFY(check != nullptr);
            QVERIFY(check->isChecked());
            check->setChecked(false);
            dialog.findChild<QDialogButtonBox*>(QStringLiteral("settingsButtons"))
                ->button(QDialogButtonBox::Ok)
                ->click();
        });
        m_window->findChild<QAction*>(QStringLiteral("settingsAction"))->trigger();
        QVERIFY(!Settings::serveAgent());
        QVERIFY(!m_window->agentHost().isServing());
        QVERIFY(refusesConnections(socketPath()));
        Settings::setServeAgent(true);
        m_window->applySettings();
        QVERIFY(m_window->agentHost().isServing());
        QVERIFY(!refusesConnections(socketPath()));
    }

    // While the Settings dialog is open (it may re-encrypt the vault on a worker thread) nothing is served.
    void settingsDialogPausesServing() {
        bool servingMeanwhile = true;
        coffer::test::whenDialogOpens<coffer::ui::SettingsDialog>([&](coffer::ui::SettingsDialog& dialog) {
            servingMeanwhile = m_window->agentHost().isServing() || !refusesConnections(socketPath());
            dialog.reject();
        });
        m_window->findChild<QAction*>(QStringLiteral("settingsAction"))->trigger();
        QVERIFY(!servingMeanwhile);
        QVERIFY(m_window->agentHost().isServing());
    }

    // `coffer-cli lock` through the agent locks the window too.
    void clientLockLocksTheWindow() {
        Request<Answer<void>> request([target = target()] { return coffer::agent::client::lock(target); });
        QTRY_VERIFY_WITH_TIMEOUT(request.isDone(), 10'000);
        QVERIFY(request.result().has_value());
        QTRY_COMPARE(coffer::test::currentPage(*m_window), QStringLiteral("unlockPage"));
        QVERIFY(!m_window->session().isOpen());
        QVERIFY(refusesConnections(socketPath()));
    }

    // Another process serving the socket first: the window says so and serves nothing, and takes over after.
    void socketTakenByAnotherAgent() {
        m_window->setAgentSocketPath({});
        coffer::agent::AgentServer other(*m_window->session().vault(), nullptr);
        QVERIFY(other.start(socketPath()).has_value());
        QSignalSpy noticed(&m_window->agentHost(), &coffer::ui::AgentHost::noticed);
        m_window->setAgentSocketPath(socketPath());
        QVERIFY(!m_window->agentHost().isServing());
        QCOMPARE(noticed.count(), 1);
        QVERIFY(noticed.at(0).at(0).toString().contains(coffer::agent::describe(AgentError::AlreadyRunning)));
        other.stop();
    }

    // The screenshot for docs/desktop.md: the question for a real request over the real window.
    void screenshot() {
        const Path path{QStringLiteral("payments-api"), QStringLiteral("prod"), QStringLiteral("DATABASE_URL")};
        auto request = get(path);
        ConsentDialog* dialog = waitForDialog();
        QVERIFY(dialog != nullptr);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QVERIFY(coffer::test::saveScreenshot(*dialog, QStringLiteral("agent-consent-live")));
        click(*dialog, "consentDenyButton");
        QTRY_VERIFY_WITH_TIMEOUT(request->isDone(), 10'000);
    }
};

QTEST_MAIN(TestAgentConsent)
#include "TestAgentConsent.moc"
