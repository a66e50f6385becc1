// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "sync/SyncEngine.h"
#include "sync/TeamService.h"
#include "sync/Transport.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class QThread;

namespace coffer::ui {

/// Runs TeamService and SyncEngine calls off the GUI thread: one worker thread with its own connection to the
/// vault file (connections are per thread), opened with the session's key on first use. Calls run one after
/// the other in the order they were made; each result comes back on the GUI thread. The GUI never waits for
/// the network.
class TeamClient : public QObject {
    Q_OBJECT
public:
    /// What a call may use, on the worker thread.
    struct Services {
        model::Vault& vault;
        model::Store& store;
        sync::SyncEngine& engine;
        sync::TeamService& team;
    };

    TeamClient(QString vaultPath, const crypto::VaultKey& key, QString author,
               sync::TransportFactory transports = sync::makeCurlTransport, QObject* parent = nullptr);
    /// Waits for the calls already made, then closes the worker's connection.
    ~TeamClient() override;

    /// Runs `work` on the worker, then `done` with its result on this object's thread — unless `context` was
    /// destroyed meanwhile. A vault that does not open on the worker gives `done` that error.
    template <typename T>
    void run(QObject* context, std::function<sync::Result<T>(Services&)> work,
             std::function<void(sync::Result<T>)> done) {
        QPointer<QObject> guard(context);
        beginCall();
        post([this, guard, work = std::move(work), done = std::move(done)](Services* services,
                                                                           const sync::Error* openError) {
            auto result = services != nullptr ? std::make_shared<sync::Result<T>>(work(*services))
                                              : std::make_shared<sync::Result<T>>(std::unexpected(*openError));
            QMetaObject::invokeMethod(
                this,
                [this, guard, done, result] {
                    endCall();
                    if (guard) {
                        done(std::move(*result));
                    }
                },
                Qt::QueuedConnection);
        });
    }

    /// Calls made and not yet answered.
    [[nodiscard]] int pendingCalls() const noexcept { return m_pending; }

Q_SIGNALS:
    /// pendingCalls() went from 0 to 1 or back.
    void busyChanged(bool busy);

private:
    class Worker;
    using Task = std::function<void(Services*, const sync::Error*)>;
    void post(Task task);
    void beginCall();
    void endCall();

    QThread* m_thread = nullptr;
    Worker* m_worker = nullptr;
    int m_pending = 0;
};

} // namespace coffer::ui
