// SPDX-License-Identifier: Apache-2.0
#include "ui/SingleInstance.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QThread>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace coffer::ui {
namespace {

const QByteArray kActivate = QByteArrayLiteral("activate\n");
const QByteArray kActivated = QByteArrayLiteral("activated\n");
// A request is one short line; anything longer is not a Coffer talking.
constexpr qint64 kMaxRequestBytes = 64;

QString errnoText() {
    return QString::fromLocal8Bit(std::strerror(errno));
}

// Creates the lock folder owner-only, or checks that an existing one is a folder of ours that nobody else can
// enter: in a shared temp folder another user could have made it first.
bool preparePrivateFolder(const QString& folder, QString& error) {
    const QByteArray path = QFile::encodeName(folder);
    if (::mkdir(path.constData(), 0700) != 0 && errno != EEXIST) {
        error = QObject::tr("cannot create %1: %2").arg(folder, errnoText());
        return false;
    }
    struct stat info {};
    if (::lstat(path.constData(), &info) != 0) {
        error = QObject::tr("cannot read %1: %2").arg(folder, errnoText());
        return false;
    }
    if (!S_ISDIR(info.st_mode) || info.st_uid != ::getuid()) {
        error = QObject::tr("%1 is not a folder of yours").arg(folder);
        return false;
    }
    if ((info.st_mode & 077) != 0 && ::chmod(path.constData(), 0700) != 0) {
        error = QObject::tr("cannot make %1 private: %2").arg(folder, errnoText());
        return false;
    }
    return true;
}

std::int64_t readPid(int fd) {
    char buffer[32] = {};
    const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
    if (n <= 0) {
        return 0;
    }
    bool ok = false;
    const auto pid = QByteArray(buffer, n).trimmed().toLongLong(&ok);
    return ok && pid > 0 ? pid : 0;
}

void writePid(int fd) {
    const QByteArray text = QByteArray::number(static_cast<qint64>(::getpid())) + '\n';
    if (::ftruncate(fd, 0) == 0) {
        // The pid only makes the "open elsewhere" message more useful: failing to write it changes nothing else.
        static_cast<void>(::pwrite(fd, text.constData(), static_cast<size_t>(text.size()), 0));
    }
}

} // namespace

SingleInstance::SingleInstance(QObject* parent)
    : QObject(parent) {}

SingleInstance::~SingleInstance() {
    release();
}

QString SingleInstance::lockFolder() {
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty() && QFileInfo(runtime).isDir()) {
        return QDir(runtime).filePath(QStringLiteral("coffer"));
    }
    return QDir(QDir::tempPath()).filePath(QStringLiteral("coffer-%1").arg(::getuid()));
}

QString SingleInstance::canonicalPath(const QString& vaultPath) {
    const QFileInfo file(vaultPath);
    if (file.exists()) {
        return file.canonicalFilePath();
    }
    // Not created yet: its folder may still be reached through a link.
    const QString folder = QFileInfo(file.absolutePath()).canonicalFilePath();
    return folder.isEmpty() ? QDir::cleanPath(file.absoluteFilePath()) : QDir(folder).filePath(file.fileName());
}

QString SingleInstance::keyFor(const QString& vaultPath) {
    const QByteArray hash =
        QCryptographicHash::hash(QFile::encodeName(canonicalPath(vaultPath)), QCryptographicHash::Sha256);
    // 128 bits are plenty to tell vaults apart and keep the socket path short (108 bytes at most).
    return QString::fromLatin1(hash.left(16).toHex());
}

SingleInstance::Outcome SingleInstance::claim(const QString& vaultPath) {
    const QString canonical = canonicalPath(vaultPath);
    m_otherPid = 0;
    m_error.clear();
    if (m_lockFd >= 0 && canonical == m_vaultPath) {
        return Outcome::Claimed;
    }
    const QString folder = lockFolder();
    if (!preparePrivateFolder(folder, m_error)) {
        return Outcome::Failed;
    }
    const QString key = keyFor(canonical);
    const QString lockPath = QDir(folder).filePath(key + QStringLiteral(".lock"));
    const QString socketPath = QDir(folder).filePath(key + QStringLiteral(".sock"));

    const int fd = ::open(QFile::encodeName(lockPath).constData(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        m_error = tr("cannot open %1: %2").arg(lockPath, errnoText());
        return Outcome::Failed;
    }
    // flock, not QLockFile: the kernel drops it when the holder dies, so a crashed Coffer never leaves a lock
    // that looks alive, and a live one never looks stale.
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const bool taken = errno == EWOULDBLOCK;
        if (!taken) {
            m_error = tr("cannot lock %1: %2").arg(lockPath, errnoText());
        }
        m_otherPid = taken ? readPid(fd) : 0;
        ::close(fd);
        return taken ? askHolder(socketPath) : Outcome::Failed;
    }

    auto* server = new QLocalServer(this);
    server->setSocketOptions(QLocalServer::UserAccessOption);
    // A socket file left by a holder that crashed: the lock is ours, so nobody listens on it any more.
    QLocalServer::removeServer(socketPath);
    if (!server->listen(socketPath)) {
        m_error = tr("cannot listen on %1: %2").arg(socketPath, server->errorString());
        delete server;
        ::close(fd);
        return Outcome::Failed;
    }
    writePid(fd);
    connect(server, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);

    release();
    m_lockFd = fd;
    m_server = server;
    m_vaultPath = canonical;
    return Outcome::Claimed;
}

void SingleInstance::release() {
    if (m_server != nullptr) {
        m_server->close(); // removes the socket file
        delete m_server;
        m_server = nullptr;
    }
    if (m_lockFd >= 0) {
        // The lock file stays: removing it could let two processes lock two different files of one name.
        static_cast<void>(::ftruncate(m_lockFd, 0));
        ::close(m_lockFd);
        m_lockFd = -1;
    }
    m_vaultPath.clear();
}

SingleInstance::Outcome SingleInstance::askHolder(const QString& socketPath) {
    const QDeadlineTimer deadline(m_answerTimeout);
    QLocalSocket socket;
    // The holder locks first and listens a moment later: keep trying until it answers or time is up.
    for (;;) {
        socket.connectToServer(socketPath);
        if (socket.waitForConnected(static_cast<int>(deadline.remainingTime()))) {
            break;
        }
        socket.abort();
        if (deadline.hasExpired()) {
            return Outcome::Busy;
        }
        QThread::msleep(50);
    }
    socket.write(kActivate);
    if (!socket.waitForBytesWritten(static_cast<int>(deadline.remainingTime()))) {
        return Outcome::Busy;
    }
    while (!socket.canReadLine()) {
        if (deadline.hasExpired() || !socket.waitForReadyRead(static_cast<int>(deadline.remainingTime()))) {
            return Outcome::Busy;
        }
    }
    return socket.readLine() == kActivated ? Outcome::Activated : Outcome::Busy;
}

void SingleInstance::onNewConnection() {
    while (QLocalSocket* socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > kMaxRequestBytes) {
                    socket->abort();
                }
                return;
            }
            if (socket->readLine(kMaxRequestBytes) != kActivate) {
                socket->abort();
                return;
            }
            socket->write(kActivated);
            socket->flush();
            socket->disconnectFromServer();
            Q_EMIT activationRequested();
        });
    }
}

QString SingleInstance::message(Outcome outcome) const {
    switch (outcome) {
    case Outcome::Claimed:
        return {};
    case Outcome::Activated:
        return tr("Coffer already has this vault open; switched to it.");
    case Outcome::Busy:
        return m_otherPid > 0 ? tr("The vault is open in another Coffer (pid %1).").arg(m_otherPid)
                              : tr("The vault is open in another Coffer.");
    case Outcome::Failed:
        return tr("Cannot tell whether another Coffer has this vault open: %1").arg(m_error);
    }
    return {};
}

} // namespace coffer::ui
