// SPDX-License-Identifier: Apache-2.0
#include "ui/TeamClient.h"

#include <QThread>

#include <optional>

namespace coffer::ui {

// Lives on the worker thread; everything it holds is made, used and destroyed there.
class TeamClient::Worker : public QObject {
public:
    Worker(QString path, crypto::VaultKey key, QString author, sync::TransportFactory transports)
        : m_path(std::move(path))
        , m_key(std::move(key))
        , m_author(std::move(author))
        , m_transports(std::move(transports)) {}

    void runTask(const Task& task) {
        if (!m_services && !m_openError) {
            open();
        }
        if (m_services) {
            task(&*m_services, nullptr);
        } else {
            task(nullptr, &*m_openError);
        }
    }

    void close() {
        m_services.reset();
        m_team.reset();
        m_engine.reset();
        m_store.reset();
        if (m_vault) {
            m_vault->lock();
            m_vault.reset();
        }
    }

private:
    void open() {
        auto vault = model::Vault::open(m_path, m_key);
        if (!vault) {
            m_openError = sync::fail(vault.error()).error();
            return;
        }
        m_vault.emplace(std::move(*vault));
        m_store.emplace(*m_vault, m_author);
        m_engine.emplace(*m_vault, *m_store, m_transports);
        m_team.emplace(*m_vault, *m_store, *m_engine);
        m_services.emplace(Services{*m_vault, *m_store, *m_engine, *m_team});
    }

    QString m_path;
    crypto::VaultKey m_key;
    QString m_author;
    sync::TransportFactory m_transports;
    // In dependency order: each refers to the ones above it, and they go in reverse (close()).
    std::optional<model::Vault> m_vault;
    std::optional<model::Store> m_store;
    std::optional<sync::SyncEngine> m_engine;
    std::optional<sync::TeamService> m_team;
    std::optional<Services> m_services;
    std::optional<sync::Error> m_openError;
};

TeamClient::TeamClient(QString vaultPath, const crypto::VaultKey& key, QString author,
                       sync::TransportFactory transports, QObject* parent)
    : QObject(parent)
    , m_thread(new QThread(this)) {
    m_thread->setObjectName(QStringLiteral("coffer-team"));
    m_worker = new Worker(std::move(vaultPath), crypto::VaultKey::fromBytes(key.bytes()), std::move(author),
                          std::move(transports));
    m_worker->moveToThread(m_thread);
    m_thread->start();
}

TeamClient::~TeamClient() {
    // Queued after every call made: runs when they are done.
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker] { worker->close(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
}

void TeamClient::post(Task task) {
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, task = std::move(task)] { worker->runTask(task); }, Qt::QueuedConnection);
}

void TeamClient::beginCall() {
    if (m_pending++ == 0) {
        Q_EMIT busyChanged(true);
    }
}

void TeamClient::endCall() {
    if (--m_pending == 0) {
        Q_EMIT busyChanged(false);
    }
}

} // namespace coffer::ui
