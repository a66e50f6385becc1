// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"
#include "sync/SyncEngine.h"
#include "sync/Transport.h"

#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

class QThread;
class QTimer;

namespace coffer::sync {

/// What the status bar shows.
struct SyncStatus {
    enum class State { NotShared, Synced, Syncing, Offline, Conflict, IntegrityError };
    State state = State::NotShared;
    QString message;   ///< one line: "Synced 12:04", "Offline: retrying in 30 s", "Integrity error in app/prod: …"
    int progress = -1; ///< 0..100 while syncing, -1 when unknown
    std::size_t openConflicts = 0;
    std::size_t pending = 0;
};

/// Runs the sync engine off the GUI thread: every `interval` and on syncNow(). It opens its own connection
/// to the vault file with the same key (one connection per thread), so the GUI keeps working while a sync
/// runs; after a sync that changed anything, `changed` tells the GUI to reload. Offline backs off (30 s,
/// doubling to 10 min) and returns to `interval` after a success. Signals are queued to the owner's thread.
class SyncController : public QObject {
    Q_OBJECT
public:
    SyncController(QString vaultPath, const crypto::VaultKey& key, TransportFactory transports = makeCurlTransport,
                   QObject* parent = nullptr);
    ~SyncController() override;

    void setInterval(std::chrono::seconds interval);
    /// Starts the timer (and a first sync).
    void start();
    /// Stops the timer and waits for a running sync to end.
    void stop();
    [[nodiscard]] const SyncStatus& status() const noexcept { return m_status; }

public Q_SLOTS:
    void syncNow();

Q_SIGNALS:
    void statusChanged(const coffer::sync::SyncStatus& status);
    void progressed(const coffer::sync::SyncProgress& progress);
    /// A sync finished; `anythingChanged` when records were applied or pushed.
    void synced(const coffer::sync::SyncReport& report, bool anythingChanged);

private:
    struct Worker;
    QString m_vaultPath;
    SyncStatus m_status;
    std::unique_ptr<Worker> m_worker;
    QThread* m_thread = nullptr;
    QTimer* m_timer = nullptr;
};

} // namespace coffer::sync
