// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/VaultHeader.h"
#include "ui/MainWindow.h"
#include "ui/VaultSession.h"

#include <QApplication>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

/// Helpers for tests that drive the real main window: widgets by objectName, unlocking a sample vault.
namespace coffer::test {

inline constexpr int kKdfTimeoutMs = 30'000;

/// The child `name` of `window`, or nullptr (with a warning naming it).
template <typename T> T* child(const QWidget& window, const char* name) {
    auto* found = window.findChild<T*>(QString::fromLatin1(name));
    if (found == nullptr) {
        qWarning("no child named %s", name);
    }
    return found;
}

/// The objectName of the page the window shows.
inline QString currentPage(const ui::MainWindow& window) {
    return child<QStackedWidget>(window, "pageStack")->currentWidget()->objectName();
}

/// Opens a window on `path`, types `password` and waits for the key derivation. nullptr when the window is not
/// on the vault page afterwards.
inline std::unique_ptr<ui::MainWindow> openUnlocked(const QString& path, const QString& password) {
    auto window = std::make_unique<ui::MainWindow>(path, model::KdfCost::minimum());
    window->resize(1100, 700);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get())) {
        return nullptr;
    }
    // Shortcuts reach only the active window.
    window->activateWindow();
    static_cast<void>(QTest::qWaitForWindowActive(window.get()));
    child<QLineEdit>(*window, "unlockPasswordEdit")->setText(password);
    QTest::mouseClick(child<QPushButton>(*window, "unlockButton"), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return !window->session().isBusy(); }, kKdfTimeoutMs) ||
        currentPage(*window) != QStringLiteral("vaultPage")) {
        return nullptr;
    }
    return window;
}

/// Runs `act` on the next modal dialog of type D once it is open (the action's exec() is running then).
template <typename D> void whenDialogOpens(std::function<void(D&)> act) {
    auto* poll = new QTimer;
    poll->setInterval(10);
    auto tries = std::make_shared<int>(0);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, tries, act = std::move(act)] {
        if (auto* dialog = qobject_cast<D*>(QApplication::activeModalWidget()); dialog != nullptr) {
            poll->deleteLater();
            poll->stop();
            act(*dialog);
            // A failed check inside `act` must not leave the dialog blocking the test.
            if (QTest::currentTestFailed() && dialog->isVisible()) {
                dialog->reject();
            }
        } else if (++*tries > 500) {
            poll->deleteLater();
            poll->stop();
            qWarning("no dialog opened");
        }
    });
    poll->start();
}

} // namespace coffer::test
