// SPDX-License-Identifier: Apache-2.0
// The conflict dialog over a real conflict: alice and bob edit payments-api/dev STRIPE_SECRET_KEY at once and
// sync through a real coffer-server; alice's engine reports the conflict. The dialog shows both versions with
// their authors, masked until Reveal (screenshots "conflict-masked" and "conflict-revealed"), masks again on
// Hide, and Keep Other resolves it through SyncEngine::resolveConflict (the value becomes current, nothing is
// left open, the dialog closes). In the real window, the status bar says "1 conflict" after the window's own
// sync and its link opens the dialog; Keep Current ends it and the next sync says Synced; locking closes it.
// Edit… sends the typed value; Keep Other is refused for a delete.
#include "tests/ui/Screenshot.h"
#include "tests/ui/TeamFixture.h"
#include "tests/ui/WindowDriver.h"
#include "ui/ConflictDialog.h"
#include "ui/SyncStatusWidget.h"
#include "ui/Text.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using coffer::protocol::Access;
using coffer::sync::ConflictInfo;
using coffer::ui::ConflictDialog;
using Side = coffer::ui::ConflictDialog::Side;

namespace {

const QString kName = QStringLiteral("STRIPE_SECRET_KEY");
constexpr std::string_view kAliceValue = "sk_live_alice_51Hx2026";
constexpr std::string_view kBobValue = "sk_live_bob_rotated_77Q";

QString text(std::string_view value) {
    return QString::fromUtf8(value.data(), static_cast<qsizetype>(value.size()));
}

} // namespace

class TestConflictDialog : public QObject {
    Q_OBJECT

    // alice (the sample vault) and bob share payments-api/dev; both change STRIPE_SECRET_KEY before either syncs,
    // alice pushes first, so bob's is later in the log and alice's engine reports the conflict.
    static void makeConflict(coffer::test::TeamFixture& fixture) {
        const auto started = fixture.start();
        QVERIFY2(started.has_value(), started ? "" : started.error().c_str());
        auto& alice = fixture.person(QStringLiteral("alice"), true);
        auto& bob = fixture.person(QStringLiteral("bob"));
        QVERIFY(alice.team && bob.team);
        auto code = fixture.teamCode();
        QVERIFY(code.has_value());
        auto team = alice.team->createTeam(fixture.url(), QStringLiteral("payments"), QStringLiteral("alice"), *code);
        QVERIFY2(team.has_value(), team ? "" : qPrintable(team.error().message));
        QVERIFY(alice.team->shareProject(team->team, alice.projectId(QStringLiteral("payments-api"))).has_value());
        auto bobId = fixture.invite(alice, team->team, bob);
        QVERIFY2(bobId.has_value(), bobId ? "" : bobId.error().c_str());
        const std::int64_t aliceDev = alice.environmentId(QStringLiteral("payments-api"), QStringLiteral("dev"));
        QVERIFY(alice.team->applyAccess(team->team, {{*bobId, aliceDev, Access::Write}}).has_value());
        auto bobSync = bob.engine->syncAll();
        QVERIFY2(bobSync.has_value(), bobSync ? "" : qPrintable(bobSync.error().message));
        const std::int64_t bobDev = bob.environmentId(QStringLiteral("payments-api"), QStringLiteral("dev"));
        QVERIFY(bobDev != 0);
        QVERIFY(alice.store->setSecret(aliceDev, kName, coffer::test::bytesOf(kAliceValue)).has_value());
        QVERIFY(bob.store->setSecret(bobDev, kName, coffer::test::bytesOf(kBobValue)).has_value());
        QVERIFY(alice.engine->syncAll().has_value());
        QVERIFY(bob.engine->syncAll().has_value());
        QVERIFY(alice.engine->syncAll().has_value());
        auto open = alice.engine->conflicts();
        QVERIFY2(open.has_value(), open ? "" : qPrintable(open.error().message));
        QCOMPARE(open->size(), std::size_t(1));
        QCOMPARE(open->front().name, kName);
    }

private Q_SLOTS:
    void realConflictMaskedRevealedResolved() {
        coffer::test::TeamFixture fixture;
        makeConflict(fixture);
        if (QTest::currentTestFailed()) {
            return;
        }
        auto& alice = fixture.person(QStringLiteral("alice"));

        ConflictDialog::Source source;
        source.conflicts = [&] { return alice.engine->conflicts(); };
        source.history = [&](std::int64_t id) { return alice.store->history(id); };
        source.value = [&](std::int64_t id, int version) { return alice.store->value(id, version); };
        int resolutions = 0;
        source.resolve = [&](std::int64_t id, coffer::sync::Resolution resolution, std::span<const std::byte> value) {
            ++resolutions;
            return alice.engine->resolveConflict(id, resolution, value);
        };
        ConflictDialog dialog(source);
        dialog.resize(820, dialog.sizeHint().height());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.conflictCount(), 1);
        const ConflictInfo conflict = *dialog.currentConflict();
        auto* title = dialog.findChild<QLabel*>(QStringLiteral("conflictTitle"));
        QVERIFY(title->text().contains(kName));
        QVERIFY(title->text().contains(QStringLiteral("payments-api/dev")));
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("conflictCurrentHeading"))
                    ->text()
                    .contains(QString::number(conflict.currentVersion)));
        QVERIFY(
            dialog.findChild<QLabel*>(QStringLiteral("conflictCurrentMeta"))->text().contains(QStringLiteral("bob")));
        QVERIFY(
            dialog.findChild<QLabel*>(QStringLiteral("conflictOtherMeta"))->text().contains(QStringLiteral("alice")));

        // Masked: neither value anywhere in the dialog's text.
        QCOMPARE(dialog.shownValue(Side::Current), coffer::ui::maskedValue());
        QCOMPARE(dialog.shownValue(Side::Other), coffer::ui::maskedValue());
        QVERIFY(coffer::test::saveScreenshot(dialog, QStringLiteral("conflict-masked")));

        auto* reveal = dialog.findChild<QPushButton*>(QStringLiteral("conflictRevealButton"));
        QTest::mouseClick(reveal, Qt::LeftButton);
        QVERIFY(dialog.isRevealed());
        QCOMPARE(dialog.shownValue(Side::Current), text(kBobValue));
        QCOMPARE(dialog.shownValue(Side::Other), text(kAliceValue));
        QVERIFY(coffer::test::saveScreenshot(dialog, QStringLiteral("conflict-revealed")));
        QTest::mouseClick(reveal, Qt::LeftButton);
        QVERIFY(!dialog.isRevealed());
        QCOMPARE(dialog.shownValue(Side::Current), coffer::ui::maskedValue());

        // Keep Other: alice's value becomes current again, as a new version; nothing is left open.
        QSignalSpy resolved(&dialog, &ConflictDialog::resolved);
        QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("conflictKeepOtherButton")), Qt::LeftButton);
        QCOMPARE(resolutions, 1);
        QCOMPARE(resolved.count(), 1);
        QCOMPARE(resolved.front().at(1).toLongLong(), conflict.secretId);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        auto left = alice.engine->conflicts();
        QVERIFY(left.has_value() && left->empty());
        auto current = alice.store->value(conflict.secretId);
        QVERIFY(current.has_value());
        QCOMPARE(current->view(), kAliceValue);
        auto history = alice.store->history(conflict.secretId);
        QVERIFY(history.has_value());
        QCOMPARE(history->back().version, conflict.currentVersion + 1);
    }

    void statusBarLinkOpensTheDialog() {
        coffer::test::TeamFixture fixture;
        makeConflict(fixture);
        if (QTest::currentTestFailed()) {
            return;
        }
        const QString path = fixture.person(QStringLiteral("alice")).path;
        fixture.closeAll();
        auto window = coffer::test::openUnlocked(path, coffer::test::kTeamPassword);
        QVERIFY(window != nullptr);
        auto* status = coffer::test::child<coffer::ui::SyncStatusWidget>(*window, "syncStatus");
        QVERIFY(status != nullptr);
        // The window's own SyncController syncs on unlock and finds the open conflict.
        QVERIFY(QTest::qWaitFor([&] { return status->status().state == coffer::sync::SyncStatus::State::Conflict; },
                                30'000));
        QCOMPARE(status->text(), QStringLiteral("1 conflict"));
        Q_EMIT coffer::test::child<QLabel>(*status, "syncStatusLabel")->linkActivated(QStringLiteral("open"));
        auto* dialog = coffer::test::child<ConflictDialog>(*window, "conflictDialog");
        QVERIFY(dialog != nullptr && dialog->isVisible());
        QCOMPARE(dialog->conflictCount(), 1);
        QCOMPARE(dialog->shownValue(Side::Current), coffer::ui::maskedValue());
        // Keep Current: resolved here; the next sync reports no conflict.
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("conflictKeepCurrentButton")), Qt::LeftButton);
        QVERIFY(!dialog->isVisible());
        QVERIFY(
            QTest::qWaitFor([&] { return status->status().state == coffer::sync::SyncStatus::State::Synced; }, 30'000));
        // Locking closes the dialog and stops sync.
        window->session().lock();
        QVERIFY(window->findChild<ConflictDialog*>() == nullptr);
    }

    void editSendsTheTypedValueAndDeleteHasNoOther() {
        std::vector<ConflictInfo> conflicts(2);
        conflicts[0].id = 7;
        conflicts[0].secretId = 70;
        conflicts[0].project = QStringLiteral("web");
        conflicts[0].environment = QStringLiteral("prod");
        conflicts[0].name = QStringLiteral("SESSION_KEY");
        conflicts[0].currentVersion = 4;
        conflicts[0].otherVersion = 3;
        conflicts[0].currentAuthor = QStringLiteral("carol");
        conflicts[0].otherAuthor = QStringLiteral("dave");
        conflicts[1] = conflicts[0];
        conflicts[1].id = 8;
        conflicts[1].secretId = 80;
        conflicts[1].name = QStringLiteral("OLD_TOKEN");
        conflicts[1].kind = ConflictInfo::Kind::Delete;
        conflicts[1].otherVersion = 0;
        std::vector<std::tuple<std::int64_t, coffer::sync::Resolution, std::string>> calls;
        ConflictDialog::Source source;
        source.conflicts = [&]() -> coffer::sync::Result<std::vector<ConflictInfo>> { return conflicts; };
        source.value = [](std::int64_t, int version) -> coffer::model::Result<coffer::crypto::SecureBuffer> {
            return coffer::crypto::SecureBuffer::copyOf("value-v" + std::to_string(version));
        };
        source.resolve = [&](std::int64_t id, coffer::sync::Resolution resolution,
                             std::span<const std::byte> value) -> coffer::sync::Result<void> {
            calls.emplace_back(id, resolution, std::string(reinterpret_cast<const char*>(value.data()), value.size()));
            std::erase_if(conflicts, [&](const ConflictInfo& conflict) { return conflict.id == id; });
            return {};
        };
        ConflictDialog dialog(source);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.conflictCount(), 2);

        coffer::test::whenDialogOpens<QDialog>([](QDialog& editor) {
            auto* value = editor.findChild<QPlainTextEdit*>(QStringLiteral("conflictEditValue"));
            QVERIFY(value != nullptr);
            QCOMPARE(value->toPlainText(), QStringLiteral("value-v4"));
            value->setPlainText(QStringLiteral("merged-value"));
            editor.accept();
        });
        QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("conflictEditButton")), Qt::LeftButton);
        QCOMPARE(calls.size(), std::size_t(1));
        QCOMPARE(std::get<0>(calls[0]), std::int64_t(7));
        QCOMPARE(std::get<1>(calls[0]), coffer::sync::Resolution::Edit);
        QCOMPARE(std::get<2>(calls[0]), std::string("merged-value"));

        // The delete is next: no other value to keep, and the other side says so.
        QCOMPARE(dialog.conflictCount(), 1);
        QCOMPARE(dialog.currentConflict()->id, std::int64_t(8));
        QVERIFY(!dialog.findChild<QPushButton*>(QStringLiteral("conflictKeepOtherButton"))->isEnabled());
        QCOMPARE(dialog.shownValue(Side::Other), QStringLiteral("(deleted)"));
        dialog.setRevealed(true);
        QCOMPARE(dialog.shownValue(Side::Current), QStringLiteral("value-v4"));
        QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("conflictKeepCurrentButton")), Qt::LeftButton);
        QCOMPARE(calls.size(), std::size_t(2));
        QCOMPARE(std::get<1>(calls[1]), coffer::sync::Resolution::KeepCurrent);
        QCOMPARE(dialog.conflictCount(), 0);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.shownValue(Side::Current), QString()); // wiped when closed
    }
};

QTEST_MAIN(TestConflictDialog)
#include "TestConflictDialog.moc"
