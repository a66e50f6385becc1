// SPDX-License-Identifier: Apache-2.0
// The engine on a worker thread. The worker owns its own vault connection (opened on first use, in that
// thread, closed there on stop), so the GUI's connection is never touched off the GUI thread. Everything the
// worker reports comes back as a queued call to the controller, which owns the status and the timer.
#include "sync/SyncController.h"

#include "model/Store.h"
#include "model/Vault.h"

#include <QDateTime>
#include <QMetaObject>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <optional>

namespace coffer::sync {

namespace {

constexpr std::chrono::seconds kFirstBackoff{30};
constexpr std::chrono::seconds kMaxBackoff{600};

bool isOfflineLike(ErrorCode code) {
    return code == ErrorCode::Offline || code == ErrorCode::Server;
}

} // namespace

struct SyncController::Worker {
    Worker(QString path, const crypto::VaultKey& vaultKey, TransportFactory factory)
        : vaultPath(std::move(path))
        , key(crypto::VaultKey::fromBytes(vaultKey.bytes()))
        , transports(std::move(factory)) {}

    // Worker thread only.
    Result<SyncReport> run(const ProgressFn& progress) {
        if (!vault) {
            auto opened = model::Vault::open(vaultPath, key);
            if (!opened)
                return fail(opened.error());
            vault.emplace(std::move(*opened));
            store.emplace(*vault, QStringLiteral("sync"));
            engine.emplace(*vault, *store, transports);
        }
        return engine->syncAll(progress);
    }
    void close() {
        engine.reset();
        store.reset();
        vault.reset();
    }

    QString vaultPath;
    crypto::VaultKey key;
    TransportFactory transports;
    QObject context; ///< lives in the worker thread: queued calls run there
    std::optional<model::Vault> vault;
    std::optional<model::Store> store;
    std::optional<SyncEngine> engine;

    // Controller thread only.
    std::chrono::seconds interval{60};
    std::chrono::seconds backoff{0};
    bool busy = false;
    bool again = false;
};

SyncController::SyncController(QString vaultPath, const crypto::VaultKey& key, TransportFactory transports,
                               QObject* parent)
    : QObject(parent)
    , m_vaultPath(std::move(vaultPath))
    , m_worker(std::make_unique<Worker>(m_vaultPath, key, std::move(transports)))
    , m_thread(new QThread(this))
    , m_timer(new QTimer(this)) {
    qRegisterMetaType<coffer::sync::SyncStatus>();
    qRegisterMetaType<coffer::sync::SyncProgress>();
    qRegisterMetaType<coffer::sync::SyncReport>();
    m_thread->setObjectName(QStringLiteral("coffer-sync"));
    m_worker->context.moveToThread(m_thread);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &SyncController::syncNow);
}

SyncController::~SyncController() {
    stop();
}

void SyncController::setInterval(std::chrono::seconds interval) {
    m_worker->interval = std::max(interval, std::chrono::seconds{1});
}

void SyncController::start() {
    if (!m_thread->isRunning())
        m_thread->start();
    syncNow();
}

void SyncController::stop() {
    m_timer->stop();
    if (!m_thread->isRunning())
        return;
    // Queued behind a running sync, so this waits for it; the vault closes in the thread that opened it.
    Worker* worker = m_worker.get();
    QMetaObject::invokeMethod(
        &worker->context, [worker] { worker->close(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    m_worker->busy = false;
    m_worker->again = false;
}

void SyncController::syncNow() {
    if (!m_thread->isRunning())
        m_thread->start();
    if (m_worker->busy) {
        m_worker->again = true;
        return;
    }
    m_worker->busy = true;
    m_timer->stop();
    // The status turns to Syncing on the engine's first progress report, which comes only when the vault is in
    // a team: a vault with nothing shared never flashes "Syncing…" in the status bar at unlock or each interval.

    Worker* worker = m_worker.get();
    QMetaObject::invokeMethod(
        &worker->context,
        [this, worker] {
            const ProgressFn progress = [this](const SyncProgress& step) {
                QMetaObject::invokeMethod(
                    this,
                    [this, step] {
                        if (m_status.state != SyncStatus::State::Syncing) {
                            m_status.state = SyncStatus::State::Syncing;
                            m_status.message = tr("Syncing…");
                            m_status.progress = -1;
                        }
                        if (step.total > 0)
                            m_status.progress =
                                static_cast<int>(std::min<std::uint64_t>(100, 100 * step.done / step.total));
                        Q_EMIT progressed(step);
                        Q_EMIT statusChanged(m_status);
                    },
                    Qt::QueuedConnection);
            };
            auto result = worker->run(progress);
            QMetaObject::invokeMethod(
                this,
                [this, result = std::move(result)] {
                    Worker& w = *m_worker;
                    w.busy = false;
                    SyncReport report;
                    if (result)
                        report = *result;
                    else
                        report.teamErrors.push_back(result.error());

                    const Error* integrity = nullptr;
                    const Error* failure = nullptr;
                    QString failedScope;
                    for (const auto& error : report.teamErrors) {
                        if (error.code == ErrorCode::Integrity && !integrity)
                            integrity = &error;
                        else if (!failure)
                            failure = &error;
                    }
                    for (const auto& env : report.environments) {
                        if (!env.error)
                            continue;
                        if (env.error->code == ErrorCode::Integrity && !integrity) {
                            integrity = &*env.error;
                            failedScope = env.project + QLatin1Char('/') + env.environment;
                        } else if (!failure) {
                            failure = &*env.error;
                        }
                    }
                    const bool offline = report.offline() || (failure && isOfflineLike(failure->code) && !integrity);
                    w.backoff = offline ? std::min(kMaxBackoff, w.backoff.count() == 0 ? kFirstBackoff : w.backoff * 2)
                                        : std::chrono::seconds{0};
                    const auto next = offline ? w.backoff : w.interval;

                    m_status.progress = -1;
                    m_status.openConflicts = report.openConflicts;
                    m_status.pending = report.pending;
                    if (integrity) {
                        m_status.state = SyncStatus::State::IntegrityError;
                        m_status.message = failedScope.isEmpty()
                                               ? tr("Integrity error: %1").arg(integrity->message)
                                               : tr("Integrity error in %1: %2").arg(failedScope, integrity->message);
                    } else if (offline) {
                        m_status.state = SyncStatus::State::Offline;
                        m_status.message = tr("Offline: retrying in %1 s").arg(next.count());
                    } else if (report.environments.empty() && report.teamErrors.empty()) {
                        m_status.state = SyncStatus::State::NotShared;
                        m_status.message = tr("Not shared");
                    } else if (report.openConflicts > 0) {
                        m_status.state = SyncStatus::State::Conflict;
                        m_status.message =
                            tr("%n conflict(s) to resolve", nullptr, static_cast<int>(report.openConflicts));
                    } else {
                        m_status.state = SyncStatus::State::Synced;
                        m_status.message = tr("Synced %1").arg(QTime::currentTime().toString(QStringLiteral("HH:mm")));
                        if (failure)
                            m_status.message += QStringLiteral(" (") + failure->message + QLatin1Char(')');
                    }
                    bool changed = false;
                    for (const auto& env : report.environments)
                        changed = changed || env.pulled > 0 || env.pushed > 0 || env.newConflicts > 0;
                    Q_EMIT synced(report, changed);
                    Q_EMIT statusChanged(m_status);
                    if (w.again) {
                        w.again = false;
                        syncNow();
                    } else if (m_thread->isRunning()) {
                        m_timer->start(std::chrono::duration_cast<std::chrono::milliseconds>(next));
                    }
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

} // namespace coffer::sync
