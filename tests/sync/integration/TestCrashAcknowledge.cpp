// SPDX-License-Identifier: Apache-2.0
// Done when, fifth bullet: a client killed (kill -9) between push and acknowledgement, then restarted, ends with
// each record stored once. A forwarding proxy (cpp-httplib) sits between a real `coffer-cli sync` process and the
// server. Row "reply lost": the proxy forwards the push, the server stores it, and the proxy holds the reply; row
// "request lost": the proxy holds the push before forwarding it. The test kill -9s the CLI while the proxy holds,
// runs `coffer-cli sync` again, and checks with ServerClient that every change is in the log exactly once and
// with the vault that the outbox is empty.
#include "sync/ServerClient.h"
#include "sync/TeamState.h"
#include "sync/protocol/Canonical.h"
#include "tests/server/client/ServerProcess.h"
#include "tests/sync/integration/ForwardingProxy.h"
#include "tests/sync/integration/SyncFixture.h"

#include <QFile>
#include <QTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <set>

using namespace Qt::StringLiterals;
using namespace coffer;
using namespace coffer::tests;

Q_DECLARE_METATYPE(coffer::tests::ForwardingProxy::Hold)

class TestCrashAcknowledge : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void killedBetweenPushAndAcknowledge_data();
    void killedBetweenPushAndAcknowledge();
};

namespace {

/// Starts `coffer-cli ARGS…` in its own session (no terminal, so no prompt can block), stdin from /dev/null,
/// stdout and stderr to `logPath`, HOME and XDG folders under `home`. The child's pid, or -1.
pid_t spawnCli(const std::vector<std::string>& args, const QString& home, const QString& logPath) {
    // Everything is prepared before fork(): the test process has threads (the proxy, curl), so the child may only
    // make async-signal-safe calls before execve.
    std::vector<std::string> argv{COFFER_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    const std::string homeText = home.toStdString();
    std::vector<std::string> environment{"HOME=" + homeText, "XDG_DATA_HOME=" + homeText + "/data",
                                         "XDG_CONFIG_HOME=" + homeText + "/config"};
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        if (!text.starts_with("HOME=") && !text.starts_with("XDG_DATA_HOME=") &&
            !text.starts_with("XDG_CONFIG_HOME=")) {
            environment.emplace_back(text);
        }
    }
    std::vector<char*> rawArgs;
    for (auto& arg : argv) {
        rawArgs.push_back(arg.data());
    }
    rawArgs.push_back(nullptr);
    std::vector<char*> rawEnvironment;
    for (auto& entry : environment) {
        rawEnvironment.push_back(entry.data());
    }
    rawEnvironment.push_back(nullptr);
    const std::string log = logPath.toStdString();
    const pid_t pid = fork();
    if (pid != 0) {
        return pid;
    }
    setsid();
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0) {
        _exit(126);
    }
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    execve(rawArgs.front(), rawArgs.data(), rawEnvironment.data());
    _exit(127);
}

QString readText(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

void TestCrashAcknowledge::killedBetweenPushAndAcknowledge_data() {
    QTest::addColumn<ForwardingProxy::Hold>("hold");
    QTest::newRow("reply lost (stored, never acknowledged)") << ForwardingProxy::Hold::AfterForward;
    QTest::newRow("request lost (never reached the server)") << ForwardingProxy::Hold::BeforeForward;
}

void TestCrashAcknowledge::killedBetweenPushAndAcknowledge() {
    QFETCH(ForwardingProxy::Hold, hold);
    SyncFixture fixture;
    SYNC_VERIFY(fixture.start());
    ForwardingProxy proxy(fixture.server().host(), fixture.server().port());
    auto proxyPort = proxy.start();
    SYNC_VERIFY(proxyPort);
    const QString proxyUrl = u"http://127.0.0.1:%1"_s.arg(*proxyPort);

    // Everyone talks to the server through the proxy (the team's URL is the proxy's).
    auto alice = fixture.makeMember(u"alice"_s);
    SYNC_VERIFY(alice);
    auto bob = fixture.makeMember(u"bob"_s);
    SYNC_VERIFY(bob);
    auto world = fixture.buildTeam(**alice, {Invitee{bob->get(), {{u"dev"_s, protocol::Access::Write}}}}, proxyUrl);
    SYNC_VERIFY(world);
    VaultMember& a = **alice;
    VaultMember& b = **bob;
    auto bobDev = b.environmentId(u"app"_s, u"dev"_s);
    SYNC_VERIFY(bobDev);
    const QStringList names = {u"CRASH_1"_s, u"CRASH_2"_s, u"CRASH_3"_s, u"CRASH_4"_s, u"CRASH_5"_s};
    for (const QString& name : names) {
        SYNC_VERIFY(b.set(*bobDev, name, (name + u"-by-bob"_s).toUtf8()));
    }
    auto pending = b.engine->pendingChanges();
    SYNC_VERIFY(pending);
    QCOMPARE(*pending, std::size_t{5});
    b.close(); // the CLI opens the vault file itself

    const QString passwordFile = fixture.tempPath(u"bob.password"_s);
    {
        QFile file(passwordFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write(b.password.data(), static_cast<qint64>(b.password.size()));
    }
    const std::vector<std::string> syncArgs = {"sync", "--vault", b.path.toStdString(), "--password-file",
                                               passwordFile.toStdString()};
    const QString home = fixture.tempPath(u"home"_s);

    // The push goes out; the proxy holds it (before or after the server stored it); the CLI is killed.
    const int forwardedBefore = proxy.forwardedPushes();
    proxy.holdNextPush(hold);
    const QString firstLog = fixture.tempPath(u"cli-first.log"_s);
    const pid_t cli = spawnCli(syncArgs, home, firstLog);
    QVERIFY(cli > 0);
    const bool held = proxy.waitUntilHolding(std::chrono::seconds(60));
    if (!held) {
        kill(cli, SIGKILL);
        waitpid(cli, nullptr, 0);
        QFAIL(qPrintable(u"the CLI never pushed: "_s + readText(firstLog)));
    }
    QCOMPARE(kill(cli, SIGKILL), 0);
    int status = 0;
    QCOMPARE(waitpid(cli, &status, 0), cli);
    QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    if (hold == ForwardingProxy::Hold::AfterForward) {
        QCOMPARE(proxy.heldStatus(), 200); // stored on the server, never acknowledged to the client
        QCOMPARE(proxy.forwardedPushes(), forwardedBefore + 1);
    } else {
        QCOMPARE(proxy.forwardedPushes(), forwardedBefore);
    }
    proxy.release();

    // Restarted: `coffer-cli sync` again, to the end.
    auto second = runCommand(COFFER_CLI_PATH, syncArgs, std::chrono::seconds(120));
    QVERIFY2(second.has_value(), second ? "" : second.error().c_str());
    QVERIFY2(second->exitCode == 0, (second->out + second->err).c_str());

    // The outbox is empty.
    SYNC_VERIFY(b.reopen());
    pending = b.engine->pendingChanges();
    SYNC_VERIFY(pending);
    QCOMPARE(*pending, std::size_t{0});
    QCOMPARE(b.scalar(u"SELECT count(*) FROM sync_outbox"_s), std::int64_t{0});

    // The server holds each change exactly once: decrypt the whole dev log with alice's keys and count.
    auto state = sync::TeamState::load(a.vault->database(), world->team);
    SYNC_VERIFY(state);
    auto transport = sync::makeCurlTransport(state->transportOptions());
    SYNC_VERIFY(transport);
    sync::ServerClient client(**transport, state->me().sign);
    const auto devId = world->shared.at(u"dev"_s).id;
    std::map<std::string, int> perName;
    std::set<protocol::RecordId> ids;
    std::size_t total = 0;
    std::uint64_t after = 0;
    while (true) {
        auto page = client.pull(world->team, devId, after);
        SYNC_VERIFY(page);
        for (const auto& record : page->records) {
            after = record.seq;
            ++total;
            QVERIFY2(ids.insert(record.id).second, "a record id is stored twice");
            const crypto::AeadKey* key = state->key(devId, record.epoch);
            QVERIFY(key != nullptr);
            auto change = protocol::openChange(record, *key);
            QVERIFY2(change.has_value(), change ? "" : protocol::describe(change.error()).c_str());
            ++perName[change->name];
        }
        if (!page->more || page->records.empty()) {
            break;
        }
    }
    for (const QString& name : names) {
        QCOMPARE(perName[name.toStdString()], 1);
    }
    QCOMPARE(total, std::size_t{3 + 5}); // scope + DB_URL + API_KEY, then bob's five

    // alice applies each once: one version per secret.
    auto aliceSync = a.engine->syncAll();
    SYNC_VERIFY(aliceSync);
    QVERIFY2(aliceSync->ok(), qPrintable(describe(*aliceSync)));
    const std::int64_t aliceDev = world->aliceEnvironments.at(u"dev"_s);
    for (const QString& name : names) {
        QCOMPARE(a.historyValues(aliceDev, name).size(), std::size_t{1});
        QCOMPARE(a.value(aliceDev, name), std::optional((name + u"-by-bob"_s).toUtf8()));
    }
    proxy.release();
    QVERIFY(fixture.stopServer().has_value());
}

QTEST_GUILESS_MAIN(TestCrashAcknowledge)
#include "TestCrashAcknowledge.moc"
