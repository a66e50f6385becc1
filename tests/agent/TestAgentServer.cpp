// SPDX-License-Identifier: Apache-2.0
// The agent in process: a real AgentServer on a real socket, asked through the real client from another
// thread (the client blocks; the server runs on this thread's event loop). Socket safety, the peer's uid,
// stop, idle and lifetime timeouts, consent (allow, allow for minutes, deny, timeout), the audit, and
// precise errors for broken messages.
#include "agent/AgentClient.h"
#include "agent/AgentServer.h"
#include "agent/LocalSocket.h"
#include "agent/Wire.h"
#include "model/Store.h"
#include "model/Vault.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <csignal>
#include <cstring>
#include <future>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace coffer;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QByteArray kPassword = "agent test password";

std::span<const std::byte> bytesOf(const QByteArray& text) {
    return std::as_bytes(std::span(text.constData(), static_cast<std::size_t>(text.size())));
}

/// Answers consent questions as told, and remembers them.
class ScriptedConsent : public agent::ConsentProvider {
public:
    enum class Mode { Allow, AllowForMinutes, Deny, Never };
    Mode mode = Mode::Allow;
    QList<agent::ConsentRequest> asked;
    QList<quint64> withdrawn;
    QList<std::function<void(agent::ConsentDecision)>> unanswered;

    void withdraw(quint64 id) override { withdrawn << id; }

    void ask(const agent::ConsentRequest& request, std::function<void(agent::ConsentDecision)> done) override {
        asked << request;
        switch (mode) {
        case Mode::Allow:
            done({agent::ConsentAnswer::AllowOnce, 0});
            return;
        case Mode::AllowForMinutes:
            done({agent::ConsentAnswer::AllowForMinutes, 5});
            return;
        case Mode::Deny:
            done({agent::ConsentAnswer::Deny, 0});
            return;
        case Mode::Never:
            unanswered << done; // the server's timeout must deny, unless the test answers
            return;
        }
    }
};

/// Runs `call` on another thread and spins this thread's event loop (the server's) until it is done.
template <typename F> auto served(F call) {
    auto future = std::async(std::launch::async, call);
    while (future.wait_for(0ms) != std::future_status::ready) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    }
    return future.get();
}

} // namespace

class TestAgentServer : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<model::Vault> m_vault;
    QString m_canonical;
    ScriptedConsent m_consent;

    [[nodiscard]] QString socketPath() const { return m_dir.filePath(u"run/agent.sock"_s); }
    [[nodiscard]] agent::client::Target target() const { return {socketPath(), m_canonical, 30s}; }

    [[nodiscard]] qsizetype auditCount(const QString& action) {
        model::Store store(*m_vault, u"test"_s);
        const auto events = store.auditEvents();
        return events ? std::count_if(events->begin(), events->end(),
                                      [&](const model::AuditEvent& e) { return e.action == action; })
                      : -1;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath(u"test.coffer"_s);
        auto vault = model::Vault::create(path, bytesOf(kPassword), model::KdfCost::minimum());
        QVERIFY(vault.has_value());
        m_vault.emplace(std::move(*vault));
        m_canonical = QFileInfo(path).canonicalFilePath();
        model::Store store(*m_vault, u"test"_s);
        const auto project = store.addProject(u"web"_s);
        QVERIFY(project.has_value());
        const auto dev = store.addEnvironment(project->id, u"dev"_s, false);
        const auto prod = store.addEnvironment(project->id, u"prod"_s, true);
        QVERIFY(dev && prod);
        QVERIFY(store.setSecret(dev->id, u"API_KEY"_s, bytesOf("dev-key"), {}).has_value());
        QVERIFY(store.setSecret(prod->id, u"API_KEY"_s, bytesOf("prod-key"), {}).has_value());
    }

    void init() { m_consent = ScriptedConsent{}; }

    /// Sends a protected get on a connection of its own and returns it (the reply is read by the caller).
    [[nodiscard]] int sendProtectedGet() const {
        const auto fd = agent::sockets::connectTo(agent::local::encodedPath(socketPath()));
        if (!fd) {
            return -1;
        }
        agent::wire::Message request(u"get"_s);
        request.add("project", u"web"_s);
        request.add("environment", u"prod"_s);
        request.add("name", u"API_KEY"_s);
        request.add("vault", m_canonical);
        if (!agent::wire::writeFrame(*fd, request, 5s)) {
            ::close(*fd);
            return -1;
        }
        return *fd;
    }

    void servesReadsAndAuditsEach() {
        agent::AgentServer server(*m_vault, &m_consent);
        QVERIFY(server.start(socketPath()).has_value());
        QSignalSpy servedSpy(&server, &agent::AgentServer::requestServed);
        const qsizetype before = auditCount(u"reveal"_s);
        const auto value = served([&] {
            return agent::client::reveal(target(), {u"web"_s, u"dev"_s, u"API_KEY"_s}, {}, false);
        });
        QVERIFY(value.has_value());
        QCOMPARE(QByteArray(value->view().data(), static_cast<qsizetype>(value->size())), QByteArray("dev-key"));
        QCOMPARE(auditCount(u"reveal"_s), before + 1);
        QCOMPARE(servedSpy.size(), 1);
        QCOMPARE(servedSpy.at(0).at(0).toString(), u"get"_s);
        QVERIFY(m_consent.asked.isEmpty()); // dev is not protected
        const auto listed = served([&] { return agent::client::projects(target(), true); });
        QVERIFY(listed.has_value());
        QCOMPARE(listed->size(), std::size_t(1));
        QCOMPARE(listed->at(0).environments, qint64(2));
        // A vault error comes back with the model's code and sentence.
        const auto missing = served([&] {
            return agent::client::reveal(target(), {u"web"_s, u"dev"_s, u"NOPE"_s}, {}, false);
        });
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error().error, agent::AgentError::VaultError);
        QCOMPARE(missing.error().vault.code, model::ErrorCode::NotFound);
    }

    void anotherVaultIsNotServed() {
        agent::AgentServer server(*m_vault, &m_consent);
        QVERIFY(server.start(socketPath()).has_value());
        auto other = target();
        other.vaultPath = m_dir.filePath(u"other.coffer"_s);
        const auto value = served([&] {
            return agent::client::reveal(other, {u"web"_s, u"dev"_s, u"API_KEY"_s}, {}, false);
        });
        QVERIFY(!value.has_value());
        QCOMPARE(value.error().error, agent::AgentError::OtherVault);
    }

    void consent_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("allow once") << int(ScriptedConsent::Mode::Allow) << true;
        QTest::newRow("allow for minutes") << int(ScriptedConsent::Mode::AllowForMinutes) << true;
        QTest::newRow("deny") << int(ScriptedConsent::Mode::Deny) << false;
        QTest::newRow("no answer: timeout") << int(ScriptedConsent::Mode::Never) << false;
    }

    void consent() {
        QFETCH(int, mode);
        QFETCH(bool, allowed);
        m_consent.mode = static_cast<ScriptedConsent::Mode>(mode);
        agent::AgentServer server(*m_vault, &m_consent);
        server.setConsentTimeout(300ms);
        QVERIFY(server.start(socketPath()).has_value());
        const qsizetype before = auditCount(u"reveal"_s);
        const auto value = served([&] {
            return agent::client::reveal(target(), {u"web"_s, u"prod"_s, u"API_KEY"_s}, {}, false);
        });
        QCOMPARE(m_consent.asked.size(), 1);
        QCOMPARE(m_consent.asked.at(0).command, u"get"_s);
        QCOMPARE(m_consent.asked.at(0).project, u"web"_s);
        QCOMPARE(m_consent.asked.at(0).environment, u"prod"_s);
        QCOMPARE(m_consent.asked.at(0).pid, qint64(::getpid()));
        QCOMPARE(value.has_value(), allowed);
        // Only a question left unanswered past the timeout is taken back from the provider (its dialog closes).
        QCOMPARE(m_consent.withdrawn, m_consent.mode == ScriptedConsent::Mode::Never
                                          ? QList<quint64>{m_consent.asked.at(0).id}
                                          : QList<quint64>{});
        if (!allowed) {
            QCOMPARE(value.error().error, agent::AgentError::ConsentDenied);
            QCOMPARE(auditCount(u"reveal"_s), before); // nothing shown, nothing recorded
            return;
        }
        QCOMPARE(QByteArray(value->view().data(), static_cast<qsizetype>(value->size())), QByteArray("prod-key"));
        QCOMPARE(auditCount(u"reveal"_s), before + 1);
        // Allow for minutes: the same command on the same environment is not asked again; allow once is.
        const auto again = served([&] {
            return agent::client::reveal(target(), {u"web"_s, u"prod"_s, u"API_KEY"_s}, {}, false);
        });
        QVERIFY(again.has_value());
        QCOMPARE(m_consent.asked.size(), m_consent.mode == ScriptedConsent::Mode::AllowForMinutes ? 1 : 2);
    }

    /// A client that hangs up while its question waits withdraws it (so no dialog asks about a read nobody
    /// waits for), and nothing is audited.
    void hangUpWithdrawsTheQuestion() {
        m_consent.mode = ScriptedConsent::Mode::Never;
        agent::AgentServer server(*m_vault, &m_consent);
        QVERIFY(server.start(socketPath()).has_value());
        const qsizetype before = auditCount(u"reveal"_s);
        const int fd = sendProtectedGet();
        QVERIFY(fd >= 0);
        QTRY_COMPARE_WITH_TIMEOUT(m_consent.asked.size(), 1, 10'000);
        QVERIFY(m_consent.asked.at(0).id != 0);
        QVERIFY(m_consent.withdrawn.isEmpty()); // still waiting: nothing withdrawn yet
        ::close(fd);
        QTRY_COMPARE_WITH_TIMEOUT(m_consent.withdrawn.size(), 1, 10'000);
        QCOMPARE(m_consent.withdrawn.at(0), m_consent.asked.at(0).id);
        QCOMPARE(auditCount(u"reveal"_s), before);
        QVERIFY(server.isServing());
    }

    /// Two requests ask the same question at once; "allow for 5 minutes" on the first answers the second too:
    /// its question is withdrawn and both are served (and audited).
    void allowForMinutesAnswersTheSameQuestionWaiting() {
        m_consent.mode = ScriptedConsent::Mode::Never;
        agent::AgentServer server(*m_vault, &m_consent);
        QVERIFY(server.start(socketPath()).has_value());
        const qsizetype before = auditCount(u"reveal"_s);
        const int first = sendProtectedGet();
        const int second = sendProtectedGet();
        QVERIFY(first >= 0 && second >= 0);
        QTRY_COMPARE_WITH_TIMEOUT(m_consent.asked.size(), 2, 10'000);
        m_consent.unanswered.first()({agent::ConsentAnswer::AllowForMinutes, 5});
        for (const int fd : {first, second}) {
            const auto reply = served([fd] { return agent::wire::readFrame(fd, agent::wire::kMaxResponseBytes, 10s); });
            ::close(fd);
            QVERIFY(reply.has_value());
            QCOMPARE(reply->textOr("status"), u"ok"_s);
        }
        QCOMPARE(m_consent.withdrawn, QList<quint64>{m_consent.asked.at(1).id});
        QCOMPARE(auditCount(u"reveal"_s), before + 2);
    }

    void withoutConsentProviderProtectedIsRefused() {
        agent::AgentServer server(*m_vault, nullptr);
        QVERIFY(server.start(socketPath()).has_value());
        const auto value = served([&] {
            return agent::client::exportValues(target(), {u"web"_s, u"prod"_s, {}}, u"stdout"_s);
        });
        QVERIFY(!value.has_value());
        QCOMPARE(value.error().error, agent::AgentError::ConsentDenied);
    }

    void stopStopsAtOnce() {
        agent::AgentServer server(*m_vault, &m_consent);
        QVERIFY(server.start(socketPath()).has_value());
        QSignalSpy stopped(&server, &agent::AgentServer::stopped);
        // A request waiting for consent is dropped by stop(), not answered.
        m_consent.mode = ScriptedConsent::Mode::Never;
        auto waiting = std::async(std::launch::async, [&] {
            return agent::client::reveal(target(), {u"web"_s, u"prod"_s, u"API_KEY"_s}, {}, false);
        });
        QTRY_COMPARE(m_consent.asked.size(), 1);
        server.stop();
        QCOMPARE(stopped.size(), 1);
        QVERIFY(!server.isServing());
        QVERIFY(!QFile::exists(socketPath()));
        const auto dropped = waiting.get();
        QVERIFY(!dropped.has_value());
        QVERIFY(dropped.error().error != agent::AgentError::VaultError);
        const auto after = agent::client::status(target());
        QVERIFY(!after.has_value());
        QCOMPARE(after.error().error, agent::AgentError::NotRunning);
    }

    void lockRequestStops() {
        agent::AgentServer server(*m_vault, &m_consent);
        QVERIFY(server.start(socketPath()).has_value());
        QSignalSpy stopped(&server, &agent::AgentServer::stopped);
        QVERIFY(served([&] { return agent::client::lock(target()); }).has_value());
        QCOMPARE(stopped.size(), 1);
        QVERIFY(!server.isServing());
    }

    void idleTimeoutStops() {
        agent::AgentServer server(*m_vault, &m_consent);
        server.setIdleTimeout(200ms);
        QVERIFY(server.start(socketPath()).has_value());
        QSignalSpy stopped(&server, &agent::AgentServer::stopped);
        QVERIFY(stopped.wait(10'000));
        QVERIFY(!server.isServing());
    }

    void maximumLifetimeStops() {
        agent::AgentServer server(*m_vault, &m_consent);
        server.setIdleTimeout(0ms);
        server.setMaxLifetime(200ms);
        QVERIFY(server.start(socketPath()).has_value());
        QSignalSpy stopped(&server, &agent::AgentServer::stopped);
        QVERIFY(stopped.wait(10'000));
        QVERIFY(!server.isServing());
    }

    void wrongModeFolderIsRefused() {
        const QString folder = m_dir.filePath(u"open"_s);
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(::chmod(QFile::encodeName(folder).constData(), 0755) == 0);
        agent::AgentServer server(*m_vault, &m_consent);
        const auto started = server.start(folder + u"/agent.sock"_s);
        QVERIFY(!started.has_value());
        QCOMPARE(started.error(), agent::AgentError::UnsafeFolder);
        QCOMPARE(agent::sockets::connectTo(agent::local::encodedPath(folder + u"/agent.sock"_s)).error(),
                 agent::AgentError::UnsafeFolder);
    }

    void wrongModeSocketIsRefused() {
        agent::AgentServer server(*m_vault, &m_consent);
        QVERIFY(server.start(socketPath()).has_value());
        QVERIFY(::chmod(QFile::encodeName(socketPath()).constData(), 0666) == 0);
        const auto value = agent::client::status(target());
        QVERIFY(!value.has_value());
        QCOMPARE(value.error().error, agent::AgentError::UnsafeSocket);
        server.stop();
        // A second agent does not take over (or delete) a socket with the wrong mode either.
        QVERIFY(::close(::open(QFile::encodeName(socketPath()).constData(), O_CREAT | O_WRONLY, 0600)) == 0);
        agent::AgentServer second(*m_vault, &m_consent);
        QCOMPARE(second.start(socketPath()).error(), agent::AgentError::UnsafeSocket);
        QVERIFY(QFile::remove(socketPath()));
    }

    void secondAgentOnTheSameSocketIsRefused() {
        agent::AgentServer first(*m_vault, &m_consent);
        QVERIFY(first.start(socketPath()).has_value());
        agent::AgentServer second(*m_vault, &m_consent);
        const auto started = served([&] { return second.start(socketPath()); });
        QCOMPARE(started.error(), agent::AgentError::AlreadyRunning);
        QVERIFY(first.isServing());
    }

    /// The kernel's SO_PEERCRED, not the file modes: a process of another uid that reaches the socket
    /// (modes opened on purpose here) is refused before anything is read.
    void anotherUidIsRefused() {
        if (::getuid() != 0) {
            QFAIL("needs root to run a client as another user (tests run as root here)");
        }
        agent::AgentServer server(*m_vault, &m_consent);
        QVERIFY(server.start(socketPath()).has_value());
        const QByteArray folder = QFile::encodeName(QFileInfo(socketPath()).path());
        const QByteArray path = QFile::encodeName(socketPath());
        // Opened for the child, closed again whatever happens.
        auto restore = qScopeGuard([&] {
            ::chmod(folder.constData(), 0700);
            ::chmod(QFile::encodeName(m_dir.path()).constData(), 0700);
        });
        QVERIFY(::chmod(QFile::encodeName(m_dir.path()).constData(), 0755) == 0);
        QVERIFY(::chmod(folder.constData(), 0755) == 0);
        QVERIFY(::chmod(path.constData(), 0666) == 0);
        // The request frame is built before the fork: the child only makes system calls.
        const auto frame = agent::wire::Message(u"get"_s).encode();
        // The child's verdict comes through a pipe (its exit status may be reaped by the event loop's
        // child watcher before we see it).
        int verdict[2];
        QVERIFY(::pipe2(verdict, O_CLOEXEC | O_NONBLOCK) == 0);
        const pid_t child = ::fork();
        if (child == 0) {
            ::alarm(20); // never outlive the test
            const auto exitWith = [&](char code) {
                (void)!::write(verdict[1], &code, 1);
                ::_exit(0);
            };
            if (::setgid(65534) != 0 || ::setuid(65534) != 0) {
                exitWith('s');
            }
            const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
            sockaddr_un address{};
            address.sun_family = AF_UNIX;
            std::memcpy(address.sun_path, path.constData(), static_cast<std::size_t>(path.size()));
            if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
                exitWith('c');
            }
            (void)!::write(fd, frame.data(), frame.size());
            char reply[4096];
            std::size_t got = 0;
            for (ssize_t n = 0; (n = ::read(fd, reply + got, sizeof reply - got)) > 0;) {
                got += static_cast<std::size_t>(n);
            }
            const std::string_view text(reply, got);
            exitWith(text.find("peer-refused") != std::string_view::npos && text.find("value") == std::string_view::npos
                         ? 'r'
                         : 'x');
        }
        ::close(verdict[1]);
        char code = 0;
        bool received = false; // QTRY evaluates its condition once more after it held: read only once
        const auto verdictArrived = [&] { return received || (received = ::read(verdict[0], &code, 1) == 1); };
        QTRY_VERIFY_WITH_TIMEOUT(verdictArrived(), 30'000);
        ::close(verdict[0]);
        ::waitpid(child, nullptr, WNOHANG);
        QVERIFY(::chmod(folder.constData(), 0700) == 0);
        QVERIFY(::chmod(QFile::encodeName(m_dir.path()).constData(), 0700) == 0);
        QCOMPARE(code, 'r');         // s: setuid failed, c: connect failed, x: anything but the refusal
        QVERIFY(server.isServing()); // the refusal does not disturb the agent
    }

    void brokenMessagesGetPreciseErrors_data() {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("error");
        const QByteArray otherVersion = QByteArray::fromHex("0000000800000002"
                                                            "00000000");
        QTest::newRow("other version") << otherVersion << u"protocol-version"_s;
        QTest::newRow("too large") << QByteArray::fromHex("7fffffff") << u"too-large"_s;
        QTest::newRow("truncated field") << QByteArray::fromHex("0000000b"
                                                                "00000001"
                                                                "00000001"
                                                                "0002"
                                                                "6f")
                                         << u"malformed"_s;
        QTest::newRow("no operation") << QByteArray::fromHex("00000008"
                                                             "00000001"
                                                             "00000000")
                                      << u"malformed"_s;
    }

    void brokenMessagesGetPreciseErrors() {
        QFETCH(QByteArray, frame);
        QFETCH(QString, error);
        agent::AgentServer server(*m_vault, &m_consent);
        QVERIFY(server.start(socketPath()).has_value());
        const auto reply = served([&]() -> std::optional<agent::wire::Message> {
            const auto fd = agent::sockets::connectTo(agent::local::encodedPath(socketPath()));
            if (!fd) {
                return std::nullopt;
            }
            (void)!::write(*fd, frame.constData(), static_cast<std::size_t>(frame.size()));
            auto answer = agent::wire::readFrame(*fd, agent::wire::kMaxResponseBytes, 10s);
            ::close(*fd);
            return answer ? std::optional(std::move(*answer)) : std::nullopt;
        });
        QVERIFY(reply.has_value());
        QCOMPARE(reply->textOr("status"), u"error"_s);
        QCOMPARE(reply->textOr("error"), error);
        QVERIFY(server.isServing());
    }
};

QTEST_GUILESS_MAIN(TestAgentServer)
#include "TestAgentServer.moc"
