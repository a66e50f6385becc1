// SPDX-License-Identifier: Apache-2.0
// coffer-cli project and env: add, ls, rename, rm (and what rm refuses).
#include "CliHarness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using coffer::tests::CliHarness;

class TestCliScopes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void projectAddListRenameRemove() {
        CliHarness cli;
        QVERIFY(cli.initVault());
        COFFER_EXPECT_EXIT(cli.run({u"project"_s, u"add"_s, u"web"_s}), 0);
        COFFER_EXPECT_EXIT(cli.run({u"project"_s, u"add"_s, u"api"_s}), 0);
        COFFER_EXPECT_EXIT(cli.run({u"project"_s, u"add"_s, u"web"_s}), 5); // taken

        const auto listed = cli.run({u"project"_s, u"ls"_s});
        COFFER_EXPECT_EXIT(listed, 0);
        QCOMPARE(listed.out, QByteArray("web\napi\n"));
        QCOMPARE(cli.run({u"ls"_s}).out, listed.out);

        COFFER_EXPECT_EXIT(cli.run({u"project"_s, u"rename"_s, u"web"_s, u"site"_s}), 0);
        COFFER_EXPECT_EXIT(cli.run({u"project"_s, u"rm"_s, u"api"_s}), 0);
        const auto json = cli.run({u"project"_s, u"ls"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(json, 0);
        const QJsonArray projects = QJsonDocument::fromJson(json.out).object().value(u"projects"_s).toArray();
        QCOMPARE(projects.size(), 1);
        QCOMPARE(projects.at(0).toObject().value(u"name"_s).toString(), u"site"_s);

        COFFER_EXPECT_EXIT(cli.run({u"project"_s, u"rm"_s, u"api"_s}), 2);
    }

    void invalidNamesAreUsageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("project with a space") << QStringList{u"project"_s, u"add"_s, u"my project"_s};
        QTest::newRow("project with a slash") << QStringList{u"project"_s, u"add"_s, u"a/b"_s};
        QTest::newRow("environment address without env") << QStringList{u"env"_s, u"add"_s, u"web"_s};
        QTest::newRow("secret address with two parts") << QStringList{u"get"_s, u"web/dev"_s};
        QTest::newRow("secret name starting with a digit") << QStringList{u"set"_s, u"web/dev/1ABC"_s};
    }

    void invalidNamesAreUsageErrors() {
        QFETCH(QStringList, args);
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s}));
        const auto result = cli.run(args);
        COFFER_EXPECT_EXIT(result, 1);
        QVERIFY2(result.err.startsWith("coffer-cli: "), result.err.constData());
    }

    void environmentsAreProtectedByNameUnlessOverridden() {
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s, u"prod"_s}));
        COFFER_EXPECT_EXIT(cli.run({u"env"_s, u"add"_s, u"web/staging"_s, u"--protected"_s}), 0);
        COFFER_EXPECT_EXIT(cli.run({u"env"_s, u"add"_s, u"web/live"_s, u"--unprotected"_s}), 0);
        COFFER_EXPECT_EXIT(cli.run({u"env"_s, u"add"_s, u"web/qa"_s, u"--protected"_s, u"--unprotected"_s}), 1);

        const auto json = cli.run({u"env"_s, u"ls"_s, u"web"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(json, 0);
        const QJsonArray environments = QJsonDocument::fromJson(json.out).object().value(u"environments"_s).toArray();
        QStringList seen;
        for (const auto& value : environments) {
            const QJsonObject environment = value.toObject();
            seen << environment.value(u"name"_s).toString() +
                        (environment.value(u"protected"_s).toBool() ? u"!"_s : QString());
        }
        QCOMPARE(seen, (QStringList{u"dev"_s, u"prod!"_s, u"staging!"_s, u"live"_s}));

        const auto text = cli.run({u"ls"_s, u"web"_s});
        COFFER_EXPECT_EXIT(text, 0);
        const QList<QByteArray> lines = text.out.split('\n');
        QVERIFY2(lines.size() == 5 && lines.at(0) == "dev" && lines.at(1).simplified() == "prod protected" &&
                     lines.at(3) == "live" && lines.at(4).isEmpty(),
                 text.out.constData());
    }

    void environmentRename() {
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s}));
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/TOKEN"_s}, "abc"), 0);
        COFFER_EXPECT_EXIT(cli.run({u"env"_s, u"rename"_s, u"web/dev"_s, u"development"_s}), 0);
        const auto value = cli.run({u"get"_s, u"web/development/TOKEN"_s});
        COFFER_EXPECT_EXIT(value, 0);
        QCOMPARE(value.out, QByteArray("abc"));
        COFFER_EXPECT_EXIT(cli.run({u"get"_s, u"web/dev/TOKEN"_s}), 2);
    }

    void nonEmptyProjectIsRefusedWithoutForce() {
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s, u"prod"_s}));
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/TOKEN"_s}, "abc"), 0);

        const auto refused = cli.run({u"project"_s, u"rm"_s, u"web"_s});
        COFFER_EXPECT_EXIT(refused, 5);
        QVERIFY2(refused.err.contains("2 environments"), refused.err.constData());
        QVERIFY2(refused.err.contains("dev: 1 secret"), refused.err.constData());
        QVERIFY2(refused.err.contains("--force"), refused.err.constData());
        QCOMPARE(cli.run({u"ls"_s}).out, QByteArray("web\n"));

        COFFER_EXPECT_EXIT(cli.run({u"project"_s, u"rm"_s, u"web"_s, u"--force"_s}), 0);
        QCOMPARE(cli.run({u"ls"_s}).out, QByteArray());
    }

    void nonEmptyEnvironmentIsRefusedWithoutForce() {
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s, u"prod"_s}));
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/TOKEN"_s}, "abc"), 0);
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/OTHER"_s}, "xyz"), 0);

        const auto refused = cli.run({u"env"_s, u"rm"_s, u"web/dev"_s});
        COFFER_EXPECT_EXIT(refused, 5);
        QVERIFY2(refused.err.contains("2 secrets (OTHER, TOKEN)"), refused.err.constData());
        COFFER_EXPECT_EXIT(cli.run({u"get"_s, u"web/dev/TOKEN"_s}), 0);

        COFFER_EXPECT_EXIT(cli.run({u"env"_s, u"rm"_s, u"web/prod"_s}), 0); // empty: no --force needed
        COFFER_EXPECT_EXIT(cli.run({u"env"_s, u"rm"_s, u"web/dev"_s, u"--force"_s}), 0);
        QCOMPARE(cli.run({u"ls"_s, u"web"_s}).out, QByteArray());
        COFFER_EXPECT_EXIT(cli.run({u"get"_s, u"web/dev/TOKEN"_s}), 2);
    }
};

QTEST_GUILESS_MAIN(TestCliScopes)
#include "TestCliScopes.moc"
