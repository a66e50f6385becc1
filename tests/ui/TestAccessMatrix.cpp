// SPDX-License-Identifier: Apache-2.0
// The access matrix: AccessMatrixModel under QAbstractItemModelTester (toggles, write implies read, who cannot be
// edited, the pending changes and their description), and the dialog over a real coffer-server: alice's team with
// payments-api shared, bob and carol confirmed, dave pending; clicks on the Read and Write toggles collect changes,
// Apply asks once and emits one batch, TeamService::applyAccess applies it and the matrix read back shows it;
// a revocation warns that keys rotate. Screenshot "access-matrix".
#include "tests/ui/Screenshot.h"
#include "tests/ui/TeamFixture.h"
#include "ui/AccessMatrixDialog.h"
#include "ui/AccessMatrixModel.h"
#include "ui/Confirm.h"
#include "ui/MessageBanner.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using coffer::protocol::Access;
using coffer::sync::AccessChange;
using coffer::sync::MemberInfo;
using coffer::ui::AccessMatrixDialog;
using coffer::ui::AccessMatrixModel;

namespace {

coffer::protocol::MemberId idOf(int n) {
    coffer::protocol::MemberId id{};
    id.bytes[0] = static_cast<std::byte>(n);
    return id;
}

MemberInfo member(int n, const char* name, MemberInfo::Status status, bool isMe = false) {
    MemberInfo info;
    info.id = idOf(n);
    info.name = QString::fromLatin1(name);
    info.fingerprint = QStringLiteral("12345 67890 12345 67890 12345 6789%1").arg(n);
    info.role = isMe ? coffer::protocol::Role::Owner : coffer::protocol::Role::Member;
    info.status = status;
    info.verified = true;
    info.isMe = isMe;
    return info;
}

// alice (me, owner), bob (active), carol (pending), erin (keys changed) × app/dev, app/prod.
coffer::sync::AccessMatrix sampleMatrix() {
    coffer::sync::AccessMatrix matrix;
    matrix.members = {member(1, "alice", MemberInfo::Status::Active, true),
                      member(2, "bob", MemberInfo::Status::Active), member(3, "carol", MemberInfo::Status::Pending),
                      member(4, "erin", MemberInfo::Status::KeysChanged)};
    matrix.environments = {{10, {}, QStringLiteral("app"), QStringLiteral("dev"), false},
                           {11, {}, QStringLiteral("app"), QStringLiteral("prod"), true}};
    matrix.access = {{Access::Write, Access::Write}, {Access::Write, Access::Read}, {{}, {}}, {Access::Read, {}}};
    return matrix;
}

// Clicks the Read (0) or Write (1) half of a cell.
void clickToggle(QTableView& table, int row, int column, int half) {
    const QRect cell = table.visualRect(table.model()->index(row, column));
    const QPoint point(cell.left() + cell.width() / 4 + half * cell.width() / 2, cell.center().y());
    QTest::mouseClick(table.viewport(), Qt::LeftButton, {}, point);
}

} // namespace

class TestAccessMatrix : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { coffer::ui::confirm::setHandler({}); }

    void modelFollowsTheRules() {
        AccessMatrixModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMatrix(sampleMatrix());
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), 2);
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("app/dev"));
        QCOMPARE(model.headerData(0, Qt::Vertical).toString(), QStringLiteral("alice (you)"));
        QCOMPARE(model.index(1, 1).data().toString(), QStringLiteral("Read"));
        QCOMPARE(model.index(2, 0).data().toString(), QStringLiteral("None"));

        // Only active members other than me can be edited.
        QVERIFY(!model.isEditable(0));
        QVERIFY(model.isEditable(1));
        QVERIFY(!model.isEditable(2));
        QVERIFY(!model.isEditable(3));
        QVERIFY(!(model.flags(model.index(2, 0)) & Qt::ItemIsEnabled));
        QVERIFY(!model.setData(model.index(2, 0), true, AccessMatrixModel::ReadRole));
        QVERIFY(!model.setData(model.index(0, 0), false, AccessMatrixModel::ReadRole));
        QVERIFY(model.changes().empty());

        // Write implies read; read off takes write too; write off keeps read.
        const QModelIndex prod = model.index(1, 1);
        QVERIFY(model.setData(prod, true, AccessMatrixModel::WriteRole));
        QCOMPARE(model.access(1, 1), std::optional(Access::Write));
        QVERIFY(prod.data(AccessMatrixModel::ReadRole).toBool());
        QCOMPARE(prod.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QVERIFY(model.setData(prod, false, AccessMatrixModel::ReadRole));
        QCOMPARE(model.access(1, 1), std::nullopt);
        QVERIFY(!prod.data(AccessMatrixModel::WriteRole).toBool());
        QVERIFY(model.setData(prod, Qt::Checked, Qt::CheckStateRole));
        QVERIFY(model.setData(prod, false, AccessMatrixModel::WriteRole));
        QCOMPARE(model.access(1, 1), std::optional(Access::Read)); // back where it was: no change
        QVERIFY(model.changes().empty());
        QVERIFY(!prod.data(AccessMatrixModel::ChangedRole).toBool());

        // A revocation and an upgrade: two changes, described, the revocation flagged.
        QSignalSpy changed(&model, &AccessMatrixModel::changesChanged);
        QVERIFY(model.setData(model.index(1, 0), 0, AccessMatrixModel::AccessRole));
        QVERIFY(model.setData(model.index(1, 1), 2, AccessMatrixModel::AccessRole));
        QCOMPARE(changed.count(), 2);
        QVERIFY(!model.setData(model.index(1, 1), 3, AccessMatrixModel::AccessRole));
        const std::vector<AccessChange> changes = model.changes();
        QCOMPARE(changes.size(), std::size_t(2));
        QCOMPARE(changes[0].member, idOf(2));
        QCOMPARE(changes[0].environmentId, std::int64_t(10));
        QCOMPARE(changes[0].access, std::nullopt);
        QCOMPARE(changes[1].environmentId, std::int64_t(11));
        QCOMPARE(changes[1].access, std::optional(Access::Write));
        QVERIFY(model.hasRevocations());
        QCOMPARE(model.describeChanges(), (QStringList{QStringLiteral("bob: app/dev Write \u2192 None (keys rotate)"),
                                                       QStringLiteral("bob: app/prod Read \u2192 Write")}));
        QCOMPARE(model.index(1, 0).data(AccessMatrixModel::OriginalAccessRole).toInt(), 2);
        QVERIFY(model.index(1, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("was Write")));

        model.revert();
        QVERIFY(model.changes().empty());
        QVERIFY(!model.hasRevocations());

        // A ragged matrix is padded, not read out of bounds.
        auto ragged = sampleMatrix();
        ragged.access.pop_back();
        model.setMatrix(std::move(ragged));
        QCOMPARE(model.index(3, 1).data().toString(), QStringLiteral("None"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void dialogCollectsClicksIntoOneBatch() {
        AccessMatrixDialog dialog;
        dialog.setMatrix(sampleMatrix());
        dialog.resize(720, dialog.height());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto* apply = dialog.findChild<QPushButton*>(QStringLiteral("accessApplyButton"));
        auto* warning = dialog.findChild<coffer::ui::MessageBanner*>(QStringLiteral("accessRotateWarning"));
        QVERIFY(apply != nullptr && warning != nullptr);
        QVERIFY(!apply->isEnabled());

        QTableView& table = *dialog.table();
        clickToggle(table, 1, 1, 1); // bob prod: write on
        QCOMPARE(dialog.model()->access(1, 1), std::optional(Access::Write));
        QVERIFY(!warning->isVisible());
        clickToggle(table, 1, 0, 0); // bob dev: read off (write goes too)
        QCOMPARE(dialog.model()->access(1, 0), std::nullopt);
        QVERIFY(warning->isVisible());
        QVERIFY(warning->text().contains(QStringLiteral("new key")));
        clickToggle(table, 2, 0, 0); // carol is pending: nothing happens
        QCOMPARE(dialog.model()->access(2, 0), std::nullopt);
        QCOMPARE(dialog.model()->changes().size(), std::size_t(2));
        QVERIFY(apply->isEnabled());
        auto* changes = dialog.findChild<QLabel*>(QStringLiteral("accessChanges"));
        QVERIFY(changes->text().contains(QStringLiteral("bob: app/dev Write \u2192 None (keys rotate)")));

        // Declining the confirmation sends nothing; accepting sends both changes at once.
        QSignalSpy requested(&dialog, &AccessMatrixDialog::applyRequested);
        QString asked;
        coffer::ui::confirm::setHandler([&](QWidget*, const QString&, const QString& text) {
            asked = text;
            return false;
        });
        QTest::mouseClick(apply, Qt::LeftButton);
        QCOMPARE(requested.count(), 0);
        QVERIFY(asked.contains(QStringLiteral("bob: app/prod Read \u2192 Write")));
        QVERIFY(asked.contains(QStringLiteral("new key")));
        coffer::ui::confirm::setHandler([](QWidget*, const QString&, const QString&) { return true; });
        QTest::mouseClick(apply, Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
        const auto sent = requested.front().front().value<std::vector<AccessChange>>();
        QCOMPARE(sent.size(), std::size_t(2));
    }

    void appliesThroughTheRealServer() {
        coffer::test::TeamFixture fixture;
        const auto started = fixture.start();
        QVERIFY2(started.has_value(), started ? "" : started.error().c_str());
        auto& alice = fixture.person(QStringLiteral("alice"), true);
        auto& bob = fixture.person(QStringLiteral("bob"));
        auto& carol = fixture.person(QStringLiteral("carol"));
        auto& dave = fixture.person(QStringLiteral("dave"));
        QVERIFY(alice.team && bob.team && carol.team && dave.team);
        auto code = fixture.teamCode();
        QVERIFY2(code.has_value(), code ? "" : code.error().c_str());
        auto team = alice.team->createTeam(fixture.url(), QStringLiteral("payments"), QStringLiteral("alice"), *code);
        QVERIFY2(team.has_value(), team ? "" : qPrintable(team.error().message));
        auto shared = alice.team->shareProject(team->team, alice.projectId(QStringLiteral("payments-api")));
        QVERIFY2(shared.has_value(), shared ? "" : qPrintable(shared.error().message));
        QCOMPARE(shared->size(), std::size_t(3));
        for (auto* person : {&bob, &carol}) {
            auto added = fixture.invite(alice, team->team, *person);
            QVERIFY2(added.has_value(), added ? "" : added.error().c_str());
        }
        auto pending = fixture.invite(alice, team->team, dave, false);
        QVERIFY2(pending.has_value(), pending ? "" : pending.error().c_str());
        // carol already reads dev.
        const std::int64_t devId = alice.environmentId(QStringLiteral("payments-api"), QStringLiteral("dev"));
        const std::int64_t prodId = alice.environmentId(QStringLiteral("payments-api"), QStringLiteral("prod"));
        auto carolId = alice.team->findMember(team->team, QStringLiteral("carol"));
        QVERIFY(carolId.has_value());
        QVERIFY(alice.team->applyAccess(team->team, {{carolId->id, devId, Access::Read}}).has_value());

        auto matrix = alice.team->accessMatrix(team->team);
        QVERIFY2(matrix.has_value(), matrix ? "" : qPrintable(matrix.error().message));
        AccessMatrixDialog dialog;
        dialog.resize(820, 460);
        dialog.setMatrix(std::move(*matrix));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        AccessMatrixModel& model = *dialog.model();
        QCOMPARE(model.columnCount(), 3);
        const auto rowOf = [&](const QString& name) {
            for (int row = 0; row < model.rowCount(); ++row) {
                if (model.matrix().members[static_cast<std::size_t>(row)].name == name) {
                    return row;
                }
            }
            return -1;
        };
        const auto columnOf = [&](std::int64_t environmentId) {
            for (int column = 0; column < model.columnCount(); ++column) {
                if (model.matrix().environments[static_cast<std::size_t>(column)].environmentId == environmentId) {
                    return column;
                }
            }
            return -1;
        };
        const int bobRow = rowOf(QStringLiteral("bob"));
        const int carolRow = rowOf(QStringLiteral("carol"));
        const int dev = columnOf(devId);
        const int prod = columnOf(prodId);
        QVERIFY(bobRow >= 0 && carolRow >= 0 && dev >= 0 && prod >= 0);
        QCOMPARE(model.access(rowOf(QStringLiteral("alice")), dev), std::optional(Access::Write));
        QCOMPARE(model.access(carolRow, dev), std::optional(Access::Read));
        if (const int daveRow = rowOf(QStringLiteral("dave")); daveRow >= 0) {
            QVERIFY(!model.isEditable(daveRow)); // pending
        }

        // bob: dev write, prod read; carol loses dev: one batch of three changes.
        clickToggle(*dialog.table(), bobRow, dev, 1);
        clickToggle(*dialog.table(), bobRow, prod, 0);
        clickToggle(*dialog.table(), carolRow, dev, 0);
        QCOMPARE(model.changes().size(), std::size_t(3));
        QVERIFY(model.hasRevocations());
        QVERIFY(coffer::test::saveScreenshot(dialog, QStringLiteral("access-matrix")));

        QSignalSpy requested(&dialog, &AccessMatrixDialog::applyRequested);
        coffer::ui::confirm::setHandler([](QWidget*, const QString&, const QString&) { return true; });
        dialog.apply();
        QCOMPARE(requested.count(), 1);
        const auto changes = requested.front().front().value<std::vector<AccessChange>>();
        auto reports = alice.team->applyAccess(team->team, changes);
        QVERIFY2(reports.has_value(), reports ? "" : qPrintable(reports.error().message));
        QCOMPARE(reports->size(), std::size_t(1));
        QCOMPARE(reports->front().memberName, QStringLiteral("carol"));
        QVERIFY(!reports->front().secrets.empty());

        auto after = alice.team->accessMatrix(team->team);
        QVERIFY(after.has_value());
        dialog.setMatrix(std::move(*after));
        QVERIFY(model.changes().empty());
        QCOMPARE(model.access(rowOf(QStringLiteral("bob")), columnOf(devId)), std::optional(Access::Write));
        QCOMPARE(model.access(rowOf(QStringLiteral("bob")), columnOf(prodId)), std::optional(Access::Read));
        QCOMPARE(model.access(rowOf(QStringLiteral("carol")), columnOf(devId)), std::nullopt);
    }
};

QTEST_MAIN(TestAccessMatrix)
#include "TestAccessMatrix.moc"
