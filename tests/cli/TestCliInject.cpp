// SPDX-License-Identifier: Apache-2.0
// coffer-cli inject through the real binary: coffer:// references replaced, to stdout or safely to a file,
// and an unknown reference writing nothing. One vault for the whole class.
#include "CliHarness.h"

#include "model/Store.h"
#include "model/Vault.h"

#include <QFile>
#include <QFileInfo>
#include <QTest>

#include <sys/stat.h>

using coffer::tests::CliHarness;
using coffer::tests::CliResult;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kPassword = "db-pass/w0rd";

QByteArray readFile(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCliInject : public QObject {
    Q_OBJECT

private:
    CliHarness m_cli;

    CliResult inject(const QStringList& options) const { return m_cli.run(QStringList{u"inject"_s} + options); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_cli.isValid());
        QVERIFY(m_cli.initWith(u"web"_s, {u"dev"_s, u"prod"_s}));
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/dev/DB_PASS"_s}, kPassword), 0);
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/dev/DB_URL"_s}, "postgres://app:${DB_PASS}@db"), 0);
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/prod/DB_PASS"_s}, "prod-pass"), 0);
    }

    void toStandardOutput() {
        const QString input = m_cli.writeFile(u"config.yaml.tpl"_s, "db:\n"
                                                                    "  password: coffer://web/dev/DB_PASS\n"
                                                                    "  url: \"coffer://web/dev/DB_URL\"\n"
                                                                    "  again: coffer://web/dev/DB_PASS.\n"
                                                                    "  shell: ${HOME} $${x}\n");
        const auto result = inject({u"-i"_s, input});
        COFFER_EXPECT_EXIT(result, 0);
        // References inside the secret are resolved; the template's own ${...} text is left alone.
        QCOMPARE(result.out, "db:\n"
                             "  password: " +
                                 kPassword +
                                 "\n"
                                 "  url: \"postgres://app:" +
                                 kPassword +
                                 "@db\"\n"
                                 "  again: " +
                                 kPassword +
                                 ".\n"
                                 "  shell: ${HOME} $${x}\n");
    }

    void toAnOwnerOnlyFile() {
        const QString input = m_cli.writeFile(u"env.tpl"_s, "PASS=coffer://web/dev/DB_PASS\n");
        const QString output = m_cli.path(u"out.env"_s);
        // The template may also be the argument (--input is the long form of op inject's -i).
        const auto result = inject({input, u"-o"_s, output});
        COFFER_EXPECT_EXIT(result, 0);
        QVERIFY(!result.out.contains(kPassword));
        QCOMPARE(readFile(output), "PASS=" + kPassword + '\n');
        struct stat info {};
        QCOMPARE(::stat(QFile::encodeName(output).constData(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
    }

    void unknownReferenceWritesNothing() {
        const QString input = m_cli.writeFile(u"bad.tpl"_s, "A=coffer://web/dev/DB_PASS\nB=coffer://web/dev/NOPE\n");
        const QString output = m_cli.path(u"never.env"_s);
        const auto result = inject({u"--input"_s, input, u"-o"_s, output});
        COFFER_EXPECT_EXIT(result, 2);
        QVERIFY2(result.err.contains("web/dev/NOPE"), result.err.constData());
        QVERIFY(!QFile::exists(output));

        const auto toStdout = inject({u"--input"_s, input});
        COFFER_EXPECT_EXIT(toStdout, 2);
        QVERIFY(toStdout.out.isEmpty());
    }

    void malformedReferenceIsAUsageError() {
        const QString input = m_cli.writeFile(u"malformed.tpl"_s, "ok\nA=coffer://web/dev\n");
        const auto result = inject({u"--input"_s, input});
        COFFER_EXPECT_EXIT(result, 1);
        QVERIFY(result.err.contains("line 2"));
        QVERIFY(result.out.isEmpty());
    }

    void symlinkTargetIsRefused() {
        const QString input = m_cli.writeFile(u"link.tpl"_s, "PASS=coffer://web/dev/DB_PASS\n");
        const QString victim = m_cli.writeFile(u"victim.txt"_s, "keep");
        const QString link = m_cli.path(u"link.env"_s);
        QVERIFY(QFile::link(victim, link));
        const auto result = inject({u"--input"_s, input, u"-o"_s, link});
        COFFER_EXPECT_EXIT(result, 5);
        QCOMPARE(readFile(victim), "keep"_ba);
    }

    void protectedEnvironmentNeedsYes() {
        const QString input = m_cli.writeFile(u"prod.tpl"_s, "PASS=coffer://web/prod/DB_PASS\n");
        const auto refused = inject({u"--input"_s, input});
        COFFER_EXPECT_EXIT(refused, 5);
        QVERIFY(refused.err.contains("--yes"));
        QVERIFY(refused.out.isEmpty());
        const auto confirmed = inject({u"--input"_s, input, u"--yes"_s});
        COFFER_EXPECT_EXIT(confirmed, 0);
        QCOMPARE(confirmed.out, "PASS=prod-pass\n"_ba);
    }

    void auditedWithNamesNeverValues() {
        const QString input = m_cli.writeFile(u"audit.tpl"_s, "coffer://web/dev/DB_URL\n");
        COFFER_EXPECT_EXIT(inject({u"--input"_s, input}), 0);
        auto vault = coffer::model::Vault::unlock(
            m_cli.vaultPath(), std::as_bytes(std::span(CliHarness::kPassword.constData(),
                                                       static_cast<std::size_t>(CliHarness::kPassword.size()))));
        QVERIFY(vault.has_value());
        coffer::model::Store store(*vault, u"test"_s);
        const auto events = store.auditEvents();
        QVERIFY(events.has_value() && !events->empty());
        QCOMPARE(events->front().action, u"inject"_s);
        QVERIFY2(events->front().detail.contains(u"web/dev/DB_URL"_s), qPrintable(events->front().detail));
        for (const auto& event : *events) {
            QVERIFY(!event.detail.toUtf8().contains(kPassword));
        }
    }
};

QTEST_GUILESS_MAIN(TestCliInject)
#include "TestCliInject.moc"
