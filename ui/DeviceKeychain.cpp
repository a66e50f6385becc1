// SPDX-License-Identifier: Apache-2.0
#include "ui/DeviceKeychain.h"

#include "crypto/SecureBuffer.h"
#include "ui/Settings.h"

#include <qt6keychain/keychain.h>

#include <QByteArray>
#include <QFile>

#include <cstddef>
#include <span>
#include <utility>

namespace coffer::ui {
namespace {

constexpr qint64 kHeaderSize = 16;

// Wipes a QByteArray that held key bytes (detaching first, so the bytes wiped are the ones this copy owns).
void wipe(QByteArray& bytes) {
    if (!bytes.isEmpty()) {
        crypto::wipe(std::as_writable_bytes(std::span<char>(bytes.data(), static_cast<std::size_t>(bytes.size()))));
    }
    bytes.clear();
}

KeychainStatus statusOf(const QKeychain::Job& job) {
    switch (job.error()) {
    case QKeychain::NoError:
        return KeychainStatus::Ok;
    case QKeychain::EntryNotFound:
        return KeychainStatus::NotFound;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return KeychainStatus::Unavailable;
    case QKeychain::OtherError:
        // libsecret reports a Secret Service that is not on the bus as a plain error.
        return KeychainStatus::Unavailable;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return KeychainStatus::Failed;
    }
    return KeychainStatus::Failed;
}

QString messageOf(const QKeychain::Job& job, KeychainStatus status) {
    if (status == KeychainStatus::Unavailable) {
        return DeviceKeychain::unavailableReason();
    }
    return job.errorString();
}

template <typename JobT> JobT* newJob(DeviceKeychain* owner, const QString& entry) {
    // No parent: a backend may still call into a running job after we are gone, so the job lives until it
    // finishes and deletes itself; its callback is connected with us as context and so never outlives us.
    static_cast<void>(owner);
    auto* job = new JobT(QString::fromLatin1(DeviceKeychain::kService));
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(entry);
    return job;
}

} // namespace

DeviceKeychain::DeviceKeychain(QObject* parent)
    : QObject(parent) {}

DeviceKeychain::~DeviceKeychain() = default;

QString DeviceKeychain::unavailableReason() {
    return tr("No keychain is available on this desktop (Secret Service not running).");
}

QString DeviceKeychain::entryName(const QString& vaultPath) {
    QFile file(vaultPath);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    const QByteArray header = file.read(kHeaderSize);
    if (header.size() != kHeaderSize) {
        return {};
    }
    return QStringLiteral("vault %1 %2")
        .arg(Settings::canonicalVaultPath(vaultPath), QString::fromLatin1(header.toHex()));
}

void DeviceKeychain::probe(Done done) {
    auto* job = newJob<QKeychain::ReadPasswordJob>(this, QStringLiteral("probe"));
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job* finished) {
        auto* read = static_cast<QKeychain::ReadPasswordJob*>(finished);
        QByteArray data = read->binaryData();
        wipe(data);
        const KeychainStatus status = statusOf(*finished);
        // A keychain that answers "no such entry" (or, oddly, has one) works.
        if (status == KeychainStatus::Ok || status == KeychainStatus::NotFound) {
            done(KeychainStatus::Ok, {});
        } else {
            done(KeychainStatus::Unavailable, DeviceKeychain::unavailableReason());
        }
    });
    job->start();
}

void DeviceKeychain::store(const QString& entry, const crypto::VaultKey& key, Done done) {
    auto* job = newJob<QKeychain::WritePasswordJob>(this, entry);
    const auto bytes = key.bytes();
    QByteArray data(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
    job->setBinaryData(data);
    wipe(data);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job* finished) {
        const KeychainStatus status = statusOf(*finished);
        done(status, messageOf(*finished, status));
    });
    job->start();
}

void DeviceKeychain::read(const QString& entry, KeyRead done) {
    auto* job = newJob<QKeychain::ReadPasswordJob>(this, entry);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job* finished) {
        auto* read = static_cast<QKeychain::ReadPasswordJob*>(finished);
        QByteArray data = read->binaryData();
        KeychainStatus status = statusOf(*finished);
        std::optional<crypto::VaultKey> key;
        if (status == KeychainStatus::Ok) {
            auto parsed = crypto::VaultKey::fromBytes(
                std::as_bytes(std::span<const char>(data.constData(), static_cast<std::size_t>(data.size()))));
            if (parsed) {
                key.emplace(std::move(*parsed));
            } else {
                status = KeychainStatus::Failed;
            }
        }
        wipe(data);
        const QString message = status == KeychainStatus::Failed && finished->error() == QKeychain::NoError
                                    ? DeviceKeychain::tr("The keychain entry is not a vault key.")
                                    : messageOf(*finished, status);
        done(status, std::move(key), message);
    });
    job->start();
}

void DeviceKeychain::forget(const QString& entry, Done done) {
    auto* job = newJob<QKeychain::DeletePasswordJob>(this, entry);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job* finished) {
        KeychainStatus status = statusOf(*finished);
        if (status == KeychainStatus::NotFound) {
            status = KeychainStatus::Ok;
        }
        done(status, messageOf(*finished, status));
    });
    job->start();
}

} // namespace coffer::ui
