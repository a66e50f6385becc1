// SPDX-License-Identifier: Apache-2.0
// The consent question on its own: what it shows, what each button answers, that no stray key approves (no
// default button, Enter does nothing, Escape denies, the Allow buttons wait for the arm delay), the deadline
// denies, and AgentConsent asks one question at a time and answers every request exactly once.
#include "agent/AgentServer.h"
#include "tests/ui/Screenshot.h"
#include "ui/AgentConsent.h"
#include "ui/ConsentDialog.h"
#include "ui/PathLabel.h"
#include "ui/Theme.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyle>
#include <QTest>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

using coffer::agent::ConsentAnswer;
using coffer::agent::ConsentDecision;
using coffer::agent::ConsentRequest;
using coffer::ui::AgentConsent;
using coffer::ui::ConsentDialog;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(coffer::agent::ConsentDecision)

namespace {

ConsentRequest sampleRequest() {
    return {QStringLiteral("get"), QStringLiteral("payments-api"), QStringLiteral("prod"), 48213,
            QStringLiteral("/usr/local/bin/coffer-cli")};
}

template <typename T> T* in(const QWidget& dialog, const char* name) {
    auto* found = dialog.findChild<T*>(QString::fromLatin1(name));
    if (found == nullptr) {
        qWarning("no child named %s", name);
    }
    return found;
}

// Shows `dialog` and waits for the Allow buttons to arm.
bool showArmed(ConsentDialog& dialog) {
    dialog.setArmDelay(0ms);
    dialog.show();
    return QTest::qWaitFor([&] { return in<QPushButton>(dialog, "consentAllowOnceButton")->isEnabled(); });
}

} // namespace

class TestAgentConsentDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<ConsentDecision>(); }

    void showsTheRequest() {
        ConsentDialog dialog(sampleRequest(), 60s);
        QCOMPARE(in<QLabel>(dialog, "consentCommand")->text(), QStringLiteral("get"));
        QCOMPARE(in<QLabel>(dialog, "consentProject")->text(), QStringLiteral("payments-api"));
        QVERIFY(in<QLabel>(dialog, "consentEnvironment")->text().startsWith(QStringLiteral("prod")));
        QVERIFY(in<QLabel>(dialog, "consentProcess")->text().contains(QStringLiteral("48213")));
        QVERIFY(in<QLabel>(dialog, "consentProcess")->text().contains(QStringLiteral("coffer-cli")));
        QCOMPARE(in<coffer::ui::PathLabel>(dialog, "consentExecutable")->path(),
                 QStringLiteral("/usr/local/bin/coffer-cli"));
        QVERIFY(in<QLabel>(dialog, "consentTitle")->text().contains(QStringLiteral("payments-api \u203a prod")));
        QVERIFY(in<QLabel>(dialog, "consentCountdown")->text().contains(QStringLiteral("60 seconds")));
        QCOMPARE(ConsentDialog::minuteChoices(), (QList<int>{5, 15, 60}));
        QCOMPARE(dialog.chosenMinutes(), 15);
        // A name from another process is shown as text, never as markup.
        auto hostile = sampleRequest();
        hostile.project = QStringLiteral("<b>payments</b>");
        ConsentDialog other(hostile, 60s);
        QCOMPARE(in<QLabel>(other, "consentProject")->textFormat(), Qt::PlainText);
        QCOMPARE(in<QLabel>(other, "consentTitle")->textFormat(), Qt::PlainText);
    }

    void eachButtonAnswers_data() {
        QTest::addColumn<QString>("button");
        QTest::addColumn<int>("minutesIndex");
        QTest::addColumn<ConsentAnswer>("answer");
        QTest::addColumn<int>("minutes");
        QTest::newRow("allow once") << QStringLiteral("consentAllowOnceButton") << 1 << ConsentAnswer::AllowOnce << 0;
        QTest::newRow("allow 5 min") << QStringLiteral("consentAllowForButton") << 0 << ConsentAnswer::AllowForMinutes
                                     << 5;
        QTest::newRow("allow 60 min") << QStringLiteral("consentAllowForButton") << 2 << ConsentAnswer::AllowForMinutes
                                      << 60;
        QTest::newRow("deny") << QStringLiteral("consentDenyButton") << 2 << ConsentAnswer::Deny << 0;
    }

    void eachButtonAnswers() {
        QFETCH(QString, button);
        QFETCH(int, minutesIndex);
        QFETCH(ConsentAnswer, answer);
        QFETCH(int, minutes);
        ConsentDialog dialog(sampleRequest(), 60s);
        QSignalSpy decided(&dialog, &ConsentDialog::decided);
        QVERIFY(showArmed(dialog));
        in<QComboBox>(dialog, "consentMinutesCombo")->setCurrentIndex(minutesIndex);
        QTest::mouseClick(in<QPushButton>(dialog, button.toLatin1().constData()), Qt::LeftButton);
        QCOMPARE(decided.count(), 1);
        const auto decision = decided.at(0).at(0).value<ConsentDecision>();
        QCOMPARE(decision.answer, answer);
        QCOMPARE(decision.minutes, minutes);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), answer == ConsentAnswer::Deny ? QDialog::Rejected : QDialog::Accepted);
    }

    // No button is the default, so Enter, wherever the focus is, answers nothing; the focus starts on Deny.
    void enterNeverApproves() {
        ConsentDialog dialog(sampleRequest(), 60s);
        QSignalSpy decided(&dialog, &ConsentDialog::decided);
        QVERIFY(showArmed(dialog));
        const auto buttons = dialog.findChildren<QPushButton*>();
        QCOMPARE(buttons.size(), 3);
        for (QPushButton* button : buttons) {
            QVERIFY2(!button->isDefault() && !button->autoDefault(), qPrintable(button->objectName()));
        }
        QCOMPARE(dialog.focusProxy(), in<QPushButton>(dialog, "consentDenyButton"));
        for (QPushButton* button : buttons) {
            button->setFocus();
            QTest::keyClick(button, Qt::Key_Return);
            QTest::keyClick(button, Qt::Key_Enter);
        }
        QTest::keyClick(&dialog, Qt::Key_Return);
        // Nor does a mnemonic: Alt+A, Alt+O (or any letter) reach no Allow button.
        for (const QPushButton* button : buttons) {
            if (button->objectName() != QStringLiteral("consentDenyButton")) {
                QVERIFY2(!button->text().contains(u'&'), qPrintable(button->text()));
            }
        }
        for (const Qt::Key key : {Qt::Key_A, Qt::Key_O, Qt::Key_Y, Qt::Key_Space}) {
            QTest::keyClick(&dialog, key, Qt::AltModifier);
        }
        QCOMPARE(decided.count(), 0);
        QVERIFY(dialog.isVisible());
        QTest::keyClick(&dialog, Qt::Key_Escape);
        QCOMPARE(decided.count(), 1);
        QCOMPARE(decided.at(0).at(0).value<ConsentDecision>().answer, ConsentAnswer::Deny);
    }

    // A click or key meant for another window, landing as the dialog appears, cannot allow: the Allow buttons
    // are disabled until the arm delay passed. Deny works at once.
    void allowWaitsForTheArmDelay() {
        ConsentDialog dialog(sampleRequest(), 60s);
        QVERIFY(dialog.testAttribute(Qt::WA_ShowWithoutActivating));
        dialog.setArmDelay(3s); // long enough that the early click lands before it even on a loaded machine
        QSignalSpy decided(&dialog, &ConsentDialog::decided);
        dialog.show();
        auto* allowOnce = in<QPushButton>(dialog, "consentAllowOnceButton");
        QVERIFY(!allowOnce->isEnabled());
        QVERIFY(!in<QPushButton>(dialog, "consentAllowForButton")->isEnabled());
        QVERIFY(in<QPushButton>(dialog, "consentDenyButton")->isEnabled());
        QTest::mouseClick(allowOnce, Qt::LeftButton);
        QCOMPARE(decided.count(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(allowOnce->isEnabled(), 10'000);
        QTest::mouseClick(allowOnce, Qt::LeftButton);
        QCOMPARE(decided.count(), 1);
        QCOMPARE(decided.at(0).at(0).value<ConsentDecision>().answer, ConsentAnswer::AllowOnce);
    }

    void deadlineDenies() {
        ConsentDialog dialog(sampleRequest(), 300ms);
        QSignalSpy decided(&dialog, &ConsentDialog::decided);
        QVERIFY(showArmed(dialog));
        QTRY_COMPARE(decided.count(), 1);
        QCOMPARE(decided.at(0).at(0).value<ConsentDecision>().answer, ConsentAnswer::Deny);
        QVERIFY(!dialog.isVisible());
    }

    void closingOrDestroyingDenies() {
        {
            ConsentDialog dialog(sampleRequest(), 60s);
            QSignalSpy decided(&dialog, &ConsentDialog::decided);
            QVERIFY(showArmed(dialog));
            dialog.close();
            QCOMPARE(decided.count(), 1);
            QCOMPARE(decided.at(0).at(0).value<ConsentDecision>().answer, ConsentAnswer::Deny);
        }
        std::optional<ConsentDecision> answered;
        {
            ConsentDialog dialog(sampleRequest(), 60s);
            connect(&dialog, &ConsentDialog::decided, this, [&answered](const ConsentDecision& d) { answered = d; });
        }
        QVERIFY(answered.has_value());
        QCOMPARE(answered->answer, ConsentAnswer::Deny);
    }

    // The provider: one dialog at a time, in order; each `done` called once; denyAll answers the rest.
    void providerAsksOneAtATime() {
        QWidget window;
        window.show();
        AgentConsent consent(&window);
        consent.setArmDelay(0ms);
        std::vector<std::pair<int, ConsentDecision>> answers;
        auto answerTo = [&answers](int id) {
            return [&answers, id](ConsentDecision decision) { answers.emplace_back(id, decision); };
        };
        auto second = sampleRequest();
        second.command = QStringLiteral("export");
        consent.ask(sampleRequest(), answerTo(1));
        consent.ask(second, answerTo(2));
        consent.ask(sampleRequest(), answerTo(3));
        QCOMPARE(consent.pendingCount(), 3);
        QVERIFY(consent.currentDialog() != nullptr);
        QCOMPARE(QApplication::activeModalWidget(), consent.currentDialog());
        QCOMPARE(in<QLabel>(*consent.currentDialog(), "consentCommand")->text(), QStringLiteral("get"));
        QTRY_VERIFY(in<QPushButton>(*consent.currentDialog(), "consentAllowOnceButton")->isEnabled());
        QTest::mouseClick(in<QPushButton>(*consent.currentDialog(), "consentAllowOnceButton"), Qt::LeftButton);
        QCOMPARE(answers.size(), 1U);
        QCOMPARE(answers[0].first, 1);
        QCOMPARE(answers[0].second.answer, ConsentAnswer::AllowOnce);
        QVERIFY(consent.currentDialog() != nullptr);
        QCOMPARE(in<QLabel>(*consent.currentDialog(), "consentCommand")->text(), QStringLiteral("export"));
        consent.denyAll();
        QCOMPARE(answers.size(), 3U);
        QCOMPARE(answers[1].first, 2);
        QCOMPARE(answers[1].second.answer, ConsentAnswer::Deny);
        QCOMPARE(answers[2].first, 3);
        QCOMPARE(answers[2].second.answer, ConsentAnswer::Deny);
        QCOMPARE(consent.pendingCount(), 0);
        QVERIFY(consent.currentDialog() == nullptr);
    }

    // docs/screenshots/agent-consent.png (light) and agent-consent-dark.png: the question as it first appears.
    void screenshots_data() {
        QTest::addColumn<bool>("dark");
        QTest::newRow("agent-consent") << false;
        QTest::newRow("agent-consent-dark") << true;
    }

    void screenshots() {
        QFETCH(bool, dark);
        QApplication::setStyle(QStringLiteral("Fusion"));
        const QPalette before = QApplication::palette();
        QApplication::setPalette(dark ? coffer::test::darkPalette() : QApplication::style()->standardPalette());
        {
            auto request = sampleRequest();
            request.executable = QStringLiteral("/home/alice/.local/bin/coffer-cli");
            ConsentDialog dialog(request, 60s);
            dialog.resize(dialog.sizeHint());
            QVERIFY(showArmed(dialog));
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            QVERIFY(coffer::test::saveScreenshot(dialog, QString::fromLatin1(QTest::currentDataTag())));
        }
        QApplication::setPalette(before);
    }

    // Questions waiting in line keep their own deadlines: both end denied though nobody answered.
    void providerDeniesWhatWaitedTooLong() {
        QWidget window;
        AgentConsent consent(&window);
        consent.setArmDelay(0ms);
        consent.setTimeout(300ms);
        std::vector<ConsentAnswer> answers;
        for (int i = 0; i < 2; ++i) {
            consent.ask(sampleRequest(), [&answers](ConsentDecision d) { answers.push_back(d.answer); });
        }
        QTRY_COMPARE(answers.size(), 2U);
        QCOMPARE(answers[0], ConsentAnswer::Deny);
        QCOMPARE(answers[1], ConsentAnswer::Deny);
        QVERIFY(consent.currentDialog() == nullptr);
    }
};

QTEST_MAIN(TestAgentConsentDialog)
#include "TestAgentConsentDialog.moc"
