// SPDX-License-Identifier: Apache-2.0
// The headless agent's consent on its terminal: the question names command, pid and environment; y allows
// once, m allows for minutes, anything else denies; no terminal, or a terminal that hung up, denies at once.
// A socket pair stands in for the terminal: the test reads the question and types the answer.
#include "cli/TerminalConsent.h"

#include <QTest>

#include <optional>

#include <sys/socket.h>
#include <unistd.h>

using namespace coffer;
using namespace Qt::StringLiterals;

class TestTerminalConsent : public QObject {
    Q_OBJECT

private:
    static agent::ConsentRequest request() { return {u"get"_s, u"web"_s, u"prod"_s, 4242, u"/usr/bin/coffer-cli"_s}; }

private Q_SLOTS:
    void answers_data() {
        QTest::addColumn<QByteArray>("typed");
        QTest::addColumn<int>("answer");
        QTest::addColumn<int>("minutes");
        QTest::newRow("y") << QByteArray("y\n") << int(agent::ConsentAnswer::AllowOnce) << 0;
        QTest::newRow("m") << QByteArray("m\n") << int(agent::ConsentAnswer::AllowForMinutes) << 15;
        QTest::newRow("n") << QByteArray("n\n") << int(agent::ConsentAnswer::Deny) << 0;
        QTest::newRow("empty line") << QByteArray("\n") << int(agent::ConsentAnswer::Deny) << 0;
    }

    void answers() {
        QFETCH(QByteArray, typed);
        QFETCH(int, answer);
        QFETCH(int, minutes);
        int pair[2];
        QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0);
        cli::TerminalConsent consent(pair[0]);
        std::optional<agent::ConsentDecision> decision;
        consent.ask(request(), [&](agent::ConsentDecision d) { decision = d; });
        char question[512] = {};
        const ssize_t got = ::read(pair[1], question, sizeof question - 1);
        QVERIFY(got > 0);
        const QByteArray text(question, got);
        QVERIFY2(text.contains("coffer-cli get") && text.contains("4242") && text.contains("web/prod"), text);
        QVERIFY(!decision.has_value()); // nothing decided before the answer
        QCOMPARE(::write(pair[1], typed.constData(), static_cast<std::size_t>(typed.size())), typed.size());
        QTRY_VERIFY(decision.has_value());
        QCOMPARE(int(decision->answer), answer);
        QCOMPARE(decision->minutes, minutes);
        ::close(pair[1]);
    }

    void noTerminalDeniesAtOnce() {
        cli::TerminalConsent consent(-1);
        std::optional<agent::ConsentDecision> decision;
        consent.ask(request(), [&](agent::ConsentDecision d) { decision = d; });
        QVERIFY(decision.has_value());
        QCOMPARE(decision->answer, agent::ConsentAnswer::Deny);
    }

    void hangUpDenies() {
        int pair[2];
        QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0);
        cli::TerminalConsent consent(pair[0]);
        std::optional<agent::ConsentDecision> decision;
        consent.ask(request(), [&](agent::ConsentDecision d) { decision = d; });
        ::close(pair[1]);
        QTRY_VERIFY(decision.has_value());
        QCOMPARE(decision->answer, agent::ConsentAnswer::Deny);
        // Later questions are denied at once: nobody is there any more.
        std::optional<agent::ConsentDecision> next;
        consent.ask(request(), [&](agent::ConsentDecision d) { next = d; });
        QVERIFY(next.has_value());
        QCOMPARE(next->answer, agent::ConsentAnswer::Deny);
    }
};

QTEST_GUILESS_MAIN(TestTerminalConsent)
#include "TestTerminalConsent.moc"
