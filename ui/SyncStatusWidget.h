// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/SyncController.h"

#include <QWidget>

class QLabel;
class QToolButton;

namespace coffer::ui {

/// The team sync state in the status bar: a coloured dot and one line ("Synced 12:04", "Syncing 40 %",
/// "Offline (retrying)", "2 conflicts", "Integrity error in app/prod"), and a Sync now button. Conflicts and
/// integrity errors are links: clicking them asks to open the conflict dialog or to show the failed check.
/// Hidden while nothing is shared. It only shows what it is told (setStatus(), SyncController's signals).
class SyncStatusWidget : public QWidget {
    Q_OBJECT
public:
    explicit SyncStatusWidget(QWidget* parent = nullptr);

    /// Follows `controller`'s statusChanged and progressed signals; Sync now calls its syncNow(). nullptr detaches.
    void attach(sync::SyncController* controller);
    void setStatus(const sync::SyncStatus& status);
    void setProgress(const sync::SyncProgress& progress);
    [[nodiscard]] const sync::SyncStatus& status() const noexcept { return m_status; }
    /// The line shown ("Synced 12:04", ...).
    [[nodiscard]] QString text() const;
    /// "Synced 12:04" and friends for `status` (the message's first line when it has one for the state).
    [[nodiscard]] static QString describe(const sync::SyncStatus& status);

Q_SIGNALS:
    void syncNowRequested();
    void conflictsRequested();
    /// The integrity error was clicked: show the failed check and where its evidence is.
    void integrityDetailsRequested(const QString& message);

private:
    void onLinkActivated();
    void apply(const sync::SyncStatus& status);

    sync::SyncStatus m_status;
    QLabel* m_dot = nullptr;
    QLabel* m_label = nullptr;
    QToolButton* m_syncNow = nullptr;
    sync::SyncController* m_controller = nullptr;
};

} // namespace coffer::ui
