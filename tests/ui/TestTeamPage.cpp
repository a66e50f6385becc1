// SPDX-License-Identifier: Apache-2.0
// Team › Team… in the real main window, against a real coffer-server and real vaults (TeamService, SyncEngine):
// - a vault without a team shows the create and join forms (codes in password fields, emptied after use); a bad
//   invite code is refused with a message; creating a team shows it with its owner (screenshot "team-setup");
// - alice's team: bob active, carol and erin pending, dave removed, each with the right badge, the team and
//   environment fingerprints (screenshot "team-page"); Confirm shows carol's fingerprint in large groups and asks
//   "Does carol read you exactly these digits?" (screenshot "team-confirm"), then carol is active; erin is added
//   with Skip verification after its warning and shows as unverified; Invite shows a code once and Copy puts it on
//   the clipboard; Remove asks, then shows the exposure report, and bob is removed; Access… opens the matrix;
//   the status bar shows the sync state;
// - a vault in two teams: the selector switches between them; Role changes bob's role (never the only owner's);
//   an environment stopped by an integrity error says so, and Clear Stop shows the failed check, then clears it
//   (screenshot "team-page-stopped");
// - a member with read access only: New Secret in that environment is refused in its dialog with the read-only
//   message, and nothing is written.
#include "model/Database.h"
#include "tests/ui/Screenshot.h"
#include "tests/ui/TeamFixture.h"
#include "tests/ui/WindowDriver.h"
#include "ui/AccessMatrixDialog.h"
#include "ui/AccessMatrixModel.h"
#include "ui/ClipboardGuard.h"
#include "ui/Confirm.h"
#include "ui/ConfirmMemberDialog.h"
#include "ui/ExposureReportDialog.h"
#include "ui/InviteDialog.h"
#include "ui/MainWindow.h"
#include "ui/MemberTableModel.h"
#include "ui/SyncStatusWidget.h"
#include "ui/TeamPage.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableWidget>
#include <QTest>

using coffer::protocol::Access;
using coffer::protocol::Role;
using coffer::sync::MemberInfo;
using coffer::test::child;
using coffer::ui::MemberTableModel;
using coffer::ui::TeamPage;

namespace {

constexpr int kNetworkTimeoutMs = 30'000;

// Opens the Team window through its menu action and waits for the page to read the team.
TeamPage* openTeamPage(coffer::ui::MainWindow& window) {
    auto* action = child<QAction>(window, "teamAction");
    if (action == nullptr || !action->isEnabled()) {
        return nullptr;
    }
    action->trigger();
    auto* page = child<TeamPage>(window, "teamPage");
    if (page == nullptr || !QTest::qWaitFor([&] { return !page->isBusy() && page->view() != TeamPage::View::Loading; },
                                            kNetworkTimeoutMs)) {
        return nullptr;
    }
    return page;
}

QWidget* teamWindow(coffer::ui::MainWindow& window) {
    return child<QWidget>(window, "teamWindow");
}

MemberInfo::Status statusOf(const TeamPage& page, const QString& name) {
    const MemberTableModel* model = page.memberModel();
    const int row = model->rowOf(name);
    return row < 0 ? MemberInfo::Status::Removed : model->member(row)->status;
}

bool waitIdle(const TeamPage& page) {
    return QTest::qWaitFor([&] { return !page.isBusy(); }, kNetworkTimeoutMs);
}

} // namespace

class TestTeamPage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { coffer::ui::confirm::setHandler({}); }

    void createAndJoinForms() {
        coffer::test::TeamFixture fixture;
        const auto started = fixture.start();
        QVERIFY2(started.has_value(), started ? "" : started.error().c_str());
        const QString path = fixture.person(QStringLiteral("erin"), true).path;
        fixture.closeAll();
        auto window = coffer::test::openUnlocked(path, coffer::test::kTeamPassword);
        QVERIFY(window != nullptr);
        TeamPage* page = openTeamPage(*window);
        QVERIFY(page != nullptr);
        QCOMPARE(page->view(), TeamPage::View::Setup);
        auto* code = child<QLineEdit>(*page, "teamCodeEdit");
        auto* invite = child<QLineEdit>(*page, "teamInviteCodeEdit");
        QCOMPARE(code->echoMode(), QLineEdit::Password);
        QCOMPARE(invite->echoMode(), QLineEdit::Password);
        QVERIFY(!child<QPushButton>(*page, "teamCreateButton")->isEnabled());
        for (const char* name : {"teamCreateDisplayNameEdit", "teamJoinDisplayNameEdit"}) {
            child<QLineEdit>(*page, name)->setText(QStringLiteral("erin"));
        }
        QVERIFY(coffer::test::saveScreenshot(*teamWindow(*window), QStringLiteral("team-setup")));

        // A code that is not an invite: refused with a message, the field emptied.
        child<QLineEdit>(*page, "teamJoinDisplayNameEdit")->setText(QStringLiteral("erin"));
        invite->setText(QStringLiteral("coffer-invite-1:not-a-code"));
        QTest::mouseClick(child<QPushButton>(*page, "teamJoinButton"), Qt::LeftButton);
        QVERIFY(waitIdle(*page));
        QVERIFY(invite->text().isEmpty());
        QVERIFY2(!page->message().isEmpty(), "no error shown");
        QCOMPARE(page->view(), TeamPage::View::Setup);

        // Create.
        auto teamCode = fixture.teamCode();
        QVERIFY(teamCode.has_value());
        child<QLineEdit>(*page, "teamServerUrlEdit")->setText(fixture.url());
        child<QLineEdit>(*page, "teamNameEdit")->setText(QStringLiteral("platform"));
        child<QLineEdit>(*page, "teamCreateDisplayNameEdit")->setText(QStringLiteral("erin"));
        code->setText(QString::fromUtf8(teamCode->view()));
        QVERIFY(child<QPushButton>(*page, "teamCreateButton")->isEnabled());
        QTest::mouseClick(child<QPushButton>(*page, "teamCreateButton"), Qt::LeftButton);
        QVERIFY(code->text().isEmpty());
        QVERIFY(QTest::qWaitFor([&] { return page->view() == TeamPage::View::Team && !page->isBusy(); },
                                kNetworkTimeoutMs));
        QVERIFY2(page->team().has_value(), qPrintable(page->message()));
        QCOMPARE(page->team()->name, QStringLiteral("platform"));
        QCOMPARE(child<QLabel>(*page, "teamTitle")->text(), QStringLiteral("platform"));
        QCOMPARE(page->memberModel()->rowCount(), 1);
        const MemberInfo* me = page->memberModel()->member(0);
        QVERIFY(me->isMe);
        QCOMPARE(me->role, std::optional(coffer::protocol::Role::Owner));
        QCOMPARE(me->status, MemberInfo::Status::Active);
    }

    void membersConfirmInviteRemove() {
        coffer::test::TeamFixture fixture;
        const auto started = fixture.start();
        QVERIFY2(started.has_value(), started ? "" : started.error().c_str());
        auto& alice = fixture.person(QStringLiteral("alice"), true);
        auto& bob = fixture.person(QStringLiteral("bob"));
        auto& carol = fixture.person(QStringLiteral("carol"));
        auto& dave = fixture.person(QStringLiteral("dave"));
        auto& erin = fixture.person(QStringLiteral("erin"));
        auto code = fixture.teamCode();
        QVERIFY(code.has_value());
        auto team = alice.team->createTeam(fixture.url(), QStringLiteral("payments"), QStringLiteral("alice"), *code);
        QVERIFY2(team.has_value(), team ? "" : qPrintable(team.error().message));
        QVERIFY(alice.team->shareProject(team->team, alice.projectId(QStringLiteral("payments-api"))).has_value());
        auto bobId = fixture.invite(alice, team->team, bob);
        QVERIFY2(bobId.has_value(), bobId ? "" : bobId.error().c_str());
        const std::int64_t dev = alice.environmentId(QStringLiteral("payments-api"), QStringLiteral("dev"));
        const std::int64_t prod = alice.environmentId(QStringLiteral("payments-api"), QStringLiteral("prod"));
        QVERIFY(alice.team->applyAccess(team->team, {{*bobId, dev, Access::Write}, {*bobId, prod, Access::Read}})
                    .has_value());
        auto daveId = fixture.invite(alice, team->team, dave);
        QVERIFY(daveId.has_value());
        QVERIFY(alice.team->removeMember(team->team, *daveId).has_value());
        QVERIFY(fixture.invite(alice, team->team, carol, false).has_value());
        QVERIFY(fixture.invite(alice, team->team, erin, false).has_value());
        auto carolJoined = carol.team->members(team->team);
        QVERIFY(carolJoined.has_value());
        QString carolFingerprint;
        for (const auto& member : *carolJoined) {
            if (member.isMe) {
                carolFingerprint = member.fingerprint;
            }
        }
        QVERIFY(!carolFingerprint.isEmpty());
        const QString path = alice.path;
        fixture.closeAll();

        auto window = coffer::test::openUnlocked(path, coffer::test::kTeamPassword);
        QVERIFY(window != nullptr);
        TeamPage* page = openTeamPage(*window);
        QVERIFY(page != nullptr);
        QCOMPARE(page->view(), TeamPage::View::Team);
        QVERIFY2(page->message().isEmpty(), qPrintable(page->message()));
        QCOMPARE(page->memberModel()->rowCount(), 5);
        QCOMPARE(statusOf(*page, QStringLiteral("bob")), MemberInfo::Status::Active);
        QCOMPARE(statusOf(*page, QStringLiteral("carol")), MemberInfo::Status::Pending);
        QCOMPARE(statusOf(*page, QStringLiteral("dave")), MemberInfo::Status::Removed);
        const MemberTableModel* model = page->memberModel();
        QCOMPARE(model->index(model->rowOf(QStringLiteral("carol")), MemberTableModel::StatusColumn).data().toString(),
                 QStringLiteral("Pending confirmation"));
        QCOMPARE(model->index(model->rowOf(QStringLiteral("alice")), MemberTableModel::RoleColumn).data().toString(),
                 QStringLiteral("Owner"));
        const QRegularExpression groups(QStringLiteral("^\\d{5}( \\d{5}){5}$"));
        QVERIFY2(groups.match(child<QLabel>(*page, "teamFingerprint")->text()).hasMatch(),
                 qPrintable(child<QLabel>(*page, "teamFingerprint")->text()));
        auto* environments = child<QTableWidget>(*page, "teamEnvironmentTable");
        QCOMPARE(environments->rowCount(), 3);
        QCOMPARE(environments->item(0, 0)->text(), QStringLiteral("payments-api/dev"));
        QVERIFY2(groups.match(environments->item(0, 1)->text()).hasMatch(),
                 qPrintable(environments->item(0, 1)->text()));
        QVERIFY(coffer::test::saveScreenshot(*teamWindow(*window), QStringLiteral("team-page")));

        // Confirm carol after comparing digits.
        QVERIFY(page->selectMember(QStringLiteral("carol")));
        QVERIFY(child<QPushButton>(*page, "teamConfirmButton")->isEnabled());
        QVERIFY(!child<QPushButton>(*page, "teamRemoveButton")->isEnabled() ||
                statusOf(*page, QStringLiteral("carol")) == MemberInfo::Status::Pending);
        bool asked = false;
        coffer::test::whenDialogOpens<coffer::ui::ConfirmMemberDialog>([&](coffer::ui::ConfirmMemberDialog& dialog) {
            asked = true;
            QCOMPARE(child<QLabel>(dialog, "confirmQuestion")->text(),
                     QStringLiteral("Does carol read you exactly these digits?"));
            QCOMPARE(child<QLabel>(dialog, "confirmFingerprint")->text().simplified(), carolFingerprint);
            QVERIFY(coffer::test::saveScreenshot(dialog, QStringLiteral("team-confirm")));
            QTest::mouseClick(child<QPushButton>(dialog, "confirmMatchButton"), Qt::LeftButton);
        });
        QTest::mouseClick(child<QPushButton>(*page, "teamConfirmButton"), Qt::LeftButton);
        QVERIFY(asked);
        QVERIFY(QTest::qWaitFor([&] { return statusOf(*page, QStringLiteral("carol")) == MemberInfo::Status::Active; },
                                kNetworkTimeoutMs));
        QVERIFY2(waitIdle(*page) && page->message().contains(QStringLiteral("carol was confirmed")),
                 qPrintable(page->message()));

        // erin without verification: the warning first, then added and marked unverified.
        QVERIFY(page->selectMember(QStringLiteral("erin")));
        QString warning;
        coffer::ui::confirm::setHandler([&](QWidget*, const QString&, const QString& text) {
            warning = text;
            return true;
        });
        coffer::test::whenDialogOpens<coffer::ui::ConfirmMemberDialog>([](coffer::ui::ConfirmMemberDialog& dialog) {
            QTest::mouseClick(child<QPushButton>(dialog, "confirmSkipButton"), Qt::LeftButton);
        });
        QTest::mouseClick(child<QPushButton>(*page, "teamConfirmButton"), Qt::LeftButton);
        QVERIFY(warning.contains(QStringLiteral("unverified")));
        QVERIFY(QTest::qWaitFor([&] { return statusOf(*page, QStringLiteral("erin")) == MemberInfo::Status::Active; },
                                kNetworkTimeoutMs));
        QVERIFY(waitIdle(*page));
        const int erinRow = page->memberModel()->rowOf(QStringLiteral("erin"));
        QVERIFY(!page->memberModel()->member(erinRow)->verified);
        QVERIFY(page->memberModel()->index(erinRow, 0).data().toString().contains(QStringLiteral("unverified")));

        // Invite: the code once, Copy to the clipboard.
        QString shown;
        coffer::test::whenDialogOpens<coffer::ui::InviteDialog>([&](coffer::ui::InviteDialog& dialog) {
            shown = child<QLineEdit>(dialog, "inviteCodeEdit")->text();
            QTest::mouseClick(child<QPushButton>(dialog, "inviteCopyButton"), Qt::LeftButton);
            dialog.reject();
        });
        QTest::mouseClick(child<QPushButton>(*page, "teamInviteButton"), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !shown.isEmpty(); }, kNetworkTimeoutMs));
        QVERIFY(shown.startsWith(QStringLiteral("coffer-invite-1:")));
        QCOMPARE(QApplication::clipboard()->text(), shown);
        window->clipboard().clear();

        // Remove bob: asked, then the exposure report lists what he could read.
        QVERIFY(waitIdle(*page));
        QVERIFY(page->selectMember(QStringLiteral("bob")));
        QString question;
        coffer::ui::confirm::setHandler([&](QWidget*, const QString&, const QString& text) {
            question = text;
            return true;
        });
        QString report;
        coffer::test::whenDialogOpens<coffer::ui::ExposureReportDialog>([&](coffer::ui::ExposureReportDialog& dialog) {
            report = dialog.text();
            dialog.reject();
        });
        QTest::mouseClick(child<QPushButton>(*page, "teamRemoveButton"), Qt::LeftButton);
        QVERIFY(question.contains(QStringLiteral("Remove bob")));
        QVERIFY(QTest::qWaitFor([&] { return !report.isEmpty(); }, kNetworkTimeoutMs));
        QVERIFY(report.contains(QStringLiteral("What bob could read")));
        QVERIFY(report.contains(QStringLiteral("DATABASE_URL")));
        QVERIFY(QTest::qWaitFor([&] { return statusOf(*page, QStringLiteral("bob")) == MemberInfo::Status::Removed; },
                                kNetworkTimeoutMs));

        // Access…: the matrix of the members who remain.
        QVERIFY(waitIdle(*page));
        QTest::mouseClick(child<QPushButton>(*page, "teamAccessButton"), Qt::LeftButton);
        auto* access = page->findChild<coffer::ui::AccessMatrixDialog*>();
        QVERIFY(access != nullptr);
        QVERIFY(QTest::qWaitFor([&] { return access->model()->columnCount() == 3; }, kNetworkTimeoutMs));
        access->close();

        // The status bar follows the window's own sync.
        auto* status = child<coffer::ui::SyncStatusWidget>(*window, "syncStatus");
        QVERIFY(status != nullptr);
        QVERIFY(
            QTest::qWaitFor([&] { return status->isVisible() && status->text().startsWith(QStringLiteral("Synced")); },
                            kNetworkTimeoutMs));
    }

    // Two teams in one vault: the selector shows both and switches; Role makes bob an admin and back (the only owner
    // cannot step down); an environment stopped by an integrity error says so, and Clear Stop shows the failed check
    // before it clears it.
    void teamsRolesAndIntegrityStops() {
        coffer::test::TeamFixture fixture;
        const auto started = fixture.start();
        QVERIFY2(started.has_value(), started ? "" : started.error().c_str());
        auto& alice = fixture.person(QStringLiteral("alice"), true);
        auto& bob = fixture.person(QStringLiteral("bob"));
        auto code = fixture.teamCode();
        QVERIFY(code.has_value());
        auto payments =
            alice.team->createTeam(fixture.url(), QStringLiteral("payments"), QStringLiteral("alice"), *code);
        QVERIFY2(payments.has_value(), payments ? "" : qPrintable(payments.error().message));
        QVERIFY(alice.team->shareProject(payments->team, alice.projectId(QStringLiteral("payments-api"))).has_value());
        QVERIFY(fixture.invite(alice, payments->team, bob).has_value());
        auto second = fixture.teamCode();
        QVERIFY(second.has_value());
        // A team id is the hash of its genesis event, which holds the owner and the time in seconds: one owner's
        // two teams made within the same second would be one (reported as a gap of TeamService::createTeam).
        const qint64 firstSecond = QDateTime::currentSecsSinceEpoch();
        QVERIFY(QTest::qWaitFor([&] { return QDateTime::currentSecsSinceEpoch() > firstSecond; }, 3000));
        auto platform =
            alice.team->createTeam(fixture.url(), QStringLiteral("platform"), QStringLiteral("alice"), *second);
        QVERIFY2(platform.has_value(), platform ? "" : qPrintable(platform.error().message));
        const QString stop = QStringLiteral("Sync of payments-api/dev stopped: BrokenChain at 3: the previous hash is "
                                            "not the head");
        QVERIFY(alice.vault->database()
                    .exec(QStringLiteral("UPDATE sync_environments SET status = '%1' WHERE environment_id = %2")
                              .arg(stop)
                              .arg(alice.environmentId(QStringLiteral("payments-api"), QStringLiteral("dev")))
                              .toStdString())
                    .has_value());
        const QString path = alice.path;
        fixture.closeAll();

        auto window = coffer::test::openUnlocked(path, coffer::test::kTeamPassword);
        QVERIFY(window != nullptr);
        TeamPage* page = openTeamPage(*window);
        QVERIFY(page != nullptr);
        QCOMPARE(page->view(), TeamPage::View::Team);
        QCOMPARE(page->teams().size(), std::size_t{2});
        auto* selector = child<QComboBox>(*page, "teamSelector");
        QVERIFY(selector->isVisible());
        QCOMPARE(selector->count(), 2);
        QVERIFY(page->selectTeam(QStringLiteral("platform")));
        QVERIFY(QTest::qWaitFor(
            [&] { return !page->isBusy() && page->team() && page->team()->name == QStringLiteral("platform"); },
            kNetworkTimeoutMs));
        QCOMPARE(child<QLabel>(*page, "teamTitle")->text(), QStringLiteral("platform"));
        QCOMPARE(selector->currentText(), QStringLiteral("platform"));
        QCOMPARE(page->memberModel()->rowCount(), 1);
        QVERIFY(page->selectTeam(QStringLiteral("payments")));
        QVERIFY(QTest::qWaitFor(
            [&] { return !page->isBusy() && page->team() && page->team()->name == QStringLiteral("payments"); },
            kNetworkTimeoutMs));
        // Add Team… shows the forms with a way back.
        QTest::mouseClick(child<QPushButton>(*page, "teamAddButton"), Qt::LeftButton);
        QCOMPARE(page->view(), TeamPage::View::Setup);
        QTest::mouseClick(child<QPushButton>(*page, "teamSetupBackButton"), Qt::LeftButton);
        QCOMPARE(page->view(), TeamPage::View::Team);

        QVERIFY2(page->message().isEmpty(), qPrintable(page->message()));
        QVERIFY(coffer::test::saveScreenshot(*teamWindow(*window), QStringLiteral("team-page-stopped")));

        // Roles.
        QVERIFY(page->selectMember(QStringLiteral("bob")));
        QVERIFY(child<QPushButton>(*page, "teamRoleButton")->isEnabled());
        child<QAction>(*page, "teamRoleAdminAction")->trigger();
        const auto roleOf = [&](const QString& name) {
            const int row = page->memberModel()->rowOf(name);
            return row < 0 ? std::nullopt : page->memberModel()->member(row)->role;
        };
        QVERIFY(QTest::qWaitFor([&] { return !page->isBusy() && roleOf(QStringLiteral("bob")) == Role::Admin; },
                                kNetworkTimeoutMs));
        QVERIFY2(page->message().contains(QStringLiteral("bob is now")), qPrintable(page->message()));
        QVERIFY(page->selectMember(QStringLiteral("alice")));
        child<QAction>(*page, "teamRoleMemberAction")->trigger();
        QVERIFY(waitIdle(*page));
        QVERIFY2(page->message().contains(QStringLiteral("only owner")), qPrintable(page->message()));
        QCOMPARE(roleOf(QStringLiteral("alice")), std::optional(Role::Owner));

        // The integrity stop.
        const int dev = 0; // payments-api/dev is the first shared environment
        QCOMPARE(page->environmentStatuses().value(dev), stop);
        auto* environments = child<QTableWidget>(*page, "teamEnvironmentTable");
        QCOMPARE(environments->item(dev, 2)->text(), QStringLiteral("Stopped: integrity error"));
        QCOMPARE(environments->item(dev, 2)->toolTip(), stop);
        QVERIFY(page->selectEnvironment(QStringLiteral("payments-api/prod")));
        QVERIFY(!child<QPushButton>(*page, "teamClearStopButton")->isEnabled());
        QVERIFY(page->selectEnvironment(QStringLiteral("payments-api/dev")));
        QVERIFY(child<QPushButton>(*page, "teamClearStopButton")->isEnabled());
        QString shown;
        coffer::ui::confirm::setHandler([&](QWidget*, const QString&, const QString& text) {
            shown = text;
            return true;
        });
        QTest::mouseClick(child<QPushButton>(*page, "teamClearStopButton"), Qt::LeftButton);
        QVERIFY(shown.contains(stop));
        QVERIFY(QTest::qWaitFor([&] { return !page->isBusy() && page->environmentStatuses().value(dev).isEmpty(); },
                                kNetworkTimeoutMs));
        QCOMPARE(environments->item(dev, 2)->text(), QStringLiteral("OK"));
    }

    // bob may only read prod: the window marks it Read-only and offers no New Secret there, and nothing is
    // written.
    void readOnlyEnvironmentRefusesEdits() {
        coffer::test::TeamFixture fixture;
        const auto started = fixture.start();
        QVERIFY2(started.has_value(), started ? "" : started.error().c_str());
        auto& alice = fixture.person(QStringLiteral("alice"), true);
        auto& bob = fixture.person(QStringLiteral("bob"));
        auto code = fixture.teamCode();
        QVERIFY(code.has_value());
        auto team = alice.team->createTeam(fixture.url(), QStringLiteral("payments"), QStringLiteral("alice"), *code);
        QVERIFY2(team.has_value(), team ? "" : qPrintable(team.error().message));
        QVERIFY(alice.team->shareProject(team->team, alice.projectId(QStringLiteral("payments-api"))).has_value());
        auto bobId = fixture.invite(alice, team->team, bob);
        QVERIFY(bobId.has_value());
        const std::int64_t prod = alice.environmentId(QStringLiteral("payments-api"), QStringLiteral("prod"));
        QVERIFY(alice.team->applyAccess(team->team, {{*bobId, prod, Access::Read}}).has_value());
        auto synced = bob.engine->syncAll();
        QVERIFY2(synced.has_value() && synced->ok(), "bob's sync failed");
        const std::int64_t bobProd = bob.environmentId(QStringLiteral("payments-api"), QStringLiteral("prod"));
        QVERIFY(bobProd != 0);
        const auto before = bob.store->secrets(bobProd);
        QVERIFY(before.has_value());
        const std::size_t count = before->size();
        const QString path = bob.path;
        fixture.closeAll();

        auto window = coffer::test::openUnlocked(path, coffer::test::kTeamPassword);
        QVERIFY(window != nullptr);
        QVERIFY(window->vaultPage().selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("prod")));
        // The grant bob's sync read is what the window shows: prod read-only, New Secret greyed out (a disabled
        // action does nothing when triggered); the Store's own refusal is TestEngineSync's.
        QVERIFY(child<QLabel>(*window, "readOnlyBadge")->isVisibleTo(window.get()));
        QVERIFY(!child<QAction>(*window, "newSecretAction")->isEnabled());
        child<QAction>(*window, "newSecretAction")->trigger();
        auto after = window->session().store()->secrets(window->vaultPage().currentEnvironment()->id);
        QVERIFY(after.has_value());
        QCOMPARE(after->size(), count);
    }
};

QTEST_MAIN(TestTeamPage)
#include "TestTeamPage.moc"
