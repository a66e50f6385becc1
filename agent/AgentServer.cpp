// SPDX-License-Identifier: Apache-2.0
#include "agent/AgentServer.h"

#include "agent/LocalSocket.h"
#include "agent/Operations.h"
#include "agent/Wire.h"
#include "model/Store.h"
#include "model/Vault.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QPointer>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <cstring>
#include <map>
#include <utility>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace coffer::agent {

namespace {

/// A client has this long to send its whole request, and to take the reply.
constexpr auto kRequestTimeout = 10s;

QString userName() {
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? u"uid %1"_s.arg(::getuid()) : user;
}

} // namespace

/// One client: its request read in full, then answered once, then closed.
struct Connection {
    int fd = -1;
    local::Peer peer;
    std::unique_ptr<QSocketNotifier> notifier;
    std::unique_ptr<QTimer> deadline;
    std::vector<std::byte> buffer;
    std::optional<ops::Prepared> prepared;
    std::unique_ptr<QTimer> consentTimer;
    int consentRound = 0;   ///< which consent question is current: a late or repeated answer is ignored
    quint64 questionId = 0; ///< the consent question waiting for an answer (0: none)

    /// The open question is over (answered, timed out or covered by an allowance): later answers to it are
    /// ignored, and a hang-up no longer withdraws it. Returns the question's id.
    quint64 endQuestion() {
        const quint64 question = std::exchange(questionId, 0);
        consentRound = -1;
        consentTimer.reset();
        notifier->setEnabled(false);
        return question;
    }

    ~Connection() {
        crypto::wipe(buffer);
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

class ServerState {
public:
    model::Vault* vault = nullptr;
    ConsentProvider* consent = nullptr;
    std::unique_ptr<model::Store> store;
    QString socketPath;
    QString canonicalVault;
    int listener = -1;
    std::unique_ptr<QSocketNotifier> acceptNotifier;
    std::map<quint64, std::unique_ptr<Connection>> connections;
    quint64 nextId = 0;
    quint64 nextQuestionId = 0;
    QTimer idleTimer;
    QTimer lifetimeTimer;
    std::chrono::milliseconds consentTimeout = 60s;
    std::chrono::milliseconds idleTimeout = 15min;
    std::chrono::milliseconds lifetime = 0ms;
    qint64 startedAtMs = 0;
    qint64 served = 0;
    /// "command\nPROJECT/ENV" -> until when "allow for N minutes" holds.
    QHash<QString, QDateTime> allowances;

    /// Nobody waits for the answer to this question any more: whoever shows it takes it back.
    void withdraw(quint64 question) const {
        if (consent != nullptr) {
            consent->withdraw(question);
        }
    }
};

AgentServer::AgentServer(model::Vault& vault, ConsentProvider* consent, QObject* parent)
    : QObject(parent)
    , m_state(std::make_unique<ServerState>()) {
    m_state->vault = &vault;
    m_state->consent = consent;
    m_state->idleTimer.setSingleShot(true);
    m_state->lifetimeTimer.setSingleShot(true);
    connect(&m_state->idleTimer, &QTimer::timeout, this, &AgentServer::stop);
    connect(&m_state->lifetimeTimer, &QTimer::timeout, this, &AgentServer::stop);
}

AgentServer::~AgentServer() {
    stop();
}

std::expected<void, AgentError> AgentServer::start(const QString& socketPath) {
    if (isServing()) {
        return std::unexpected(AgentError::AlreadyRunning);
    }
    const std::string path = local::encodedPath(socketPath);
    if (auto folder = sockets::prepareFolder(path); !folder) {
        return folder;
    }
    const auto address = sockets::socketAddress(path);
    if (!address) {
        return std::unexpected(address.error());
    }
    // A socket file that is there: an agent answering on it wins; a stale one of ours is replaced; anything
    // else (another owner, another mode, not a socket) is refused rather than removed.
    struct stat info {};
    if (::lstat(path.c_str(), &info) == 0) {
        if (auto safe = sockets::checkSocket(path); !safe) {
            return safe;
        }
        if (auto probe = sockets::connectTo(path); probe) {
            ::close(*probe);
            return std::unexpected(AgentError::AlreadyRunning);
        }
        ::unlink(path.c_str());
    }
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        return std::unexpected(AgentError::SocketFailed);
    }
    // The socket is created 0600 (umask), then checked: never a moment where others could connect.
    const mode_t previous = ::umask(0177);
    const int bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&*address), sizeof(sockaddr_un));
    ::umask(previous);
    if (bound != 0 || ::listen(fd, 16) != 0 || ::chmod(path.c_str(), 0600) != 0) {
        ::close(fd);
        return std::unexpected(AgentError::SocketFailed);
    }
    auto& state = *m_state;
    state.listener = fd;
    state.socketPath = socketPath;
    state.canonicalVault = QFileInfo(state.vault->path()).canonicalFilePath();
    state.store = std::make_unique<model::Store>(*state.vault, userName());
    state.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    state.served = 0;
    state.allowances.clear();
    state.acceptNotifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
    connect(state.acceptNotifier.get(), &QSocketNotifier::activated, this, [this] { acceptClients(); });
    if (state.idleTimeout.count() > 0) {
        state.idleTimer.start(state.idleTimeout);
    }
    if (state.lifetime.count() > 0) {
        state.lifetimeTimer.start(state.lifetime);
    }
    return {};
}

void AgentServer::stop() {
    auto& state = *m_state;
    if (state.listener < 0) {
        return;
    }
    state.acceptNotifier.reset();
    ::close(state.listener);
    state.listener = -1;
    // Only our own socket file: a new agent may already have replaced it after a lock.
    struct stat info {};
    if (::lstat(QFile::encodeName(state.socketPath).constData(), &info) == 0 && S_ISSOCK(info.st_mode)) {
        ::unlink(QFile::encodeName(state.socketPath).constData());
    }
    state.connections.clear();
    state.idleTimer.stop();
    state.lifetimeTimer.stop();
    state.store.reset();
    state.allowances.clear();
    Q_EMIT stopped();
}

bool AgentServer::isServing() const noexcept {
    return m_state->listener >= 0;
}

QString AgentServer::socketPath() const {
    return m_state->socketPath;
}

QString AgentServer::defaultSocketPath() {
    return QFile::decodeName(QByteArray::fromStdString(sockets::defaultSocketPath()));
}

void AgentServer::setConsentTimeout(std::chrono::milliseconds timeout) {
    m_state->consentTimeout = timeout;
}

void AgentServer::setIdleTimeout(std::chrono::milliseconds timeout) {
    m_state->idleTimeout = timeout;
    if (isServing()) {
        if (timeout.count() > 0) {
            m_state->idleTimer.start(timeout);
        } else {
            m_state->idleTimer.stop();
        }
    }
}

void AgentServer::setMaxLifetime(std::chrono::milliseconds lifetime) {
    m_state->lifetime = lifetime;
    if (isServing() && lifetime.count() > 0) {
        const qint64 left = m_state->startedAtMs + lifetime.count() - QDateTime::currentMSecsSinceEpoch();
        m_state->lifetimeTimer.start(std::chrono::milliseconds(std::max<qint64>(0, left)));
    }
}

void AgentServer::acceptClients() {
    auto& state = *m_state;
    for (;;) {
        const int fd = ::accept4(state.listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) {
            return; // EAGAIN: all taken; anything else: try again on the next notification
        }
        auto connection = std::make_unique<Connection>();
        connection->fd = fd;
        const auto peer = local::peerOf(fd);
        // Another user never gets an answer beyond the refusal, however the folder's mode was set.
        if (!peer || peer->uid != ::getuid()) {
            (void)wire::writeFrame(fd, ops::errorReply(AgentError::PeerRefused), 100ms);
            continue; // the connection closes here
        }
        connection->peer = *peer;
        const quint64 id = state.nextId++;
        connection->notifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
        connect(connection->notifier.get(), &QSocketNotifier::activated, this, [this, id] { readClient(id); });
        connection->deadline = std::make_unique<QTimer>();
        connection->deadline->setSingleShot(true);
        connect(connection->deadline.get(), &QTimer::timeout, this, [this, id] { m_state->connections.erase(id); });
        connection->deadline->start(kRequestTimeout);
        state.connections.emplace(id, std::move(connection));
    }
}

void AgentServer::readClient(quint64 id) {
    auto& state = *m_state;
    const auto found = state.connections.find(id);
    if (found == state.connections.end()) {
        return;
    }
    Connection& connection = *found->second;
    if (connection.questionId != 0) {
        // Waiting for consent, the client may only hang up (one request per connection): withdraw the question,
        // so that nobody is asked to approve a read nobody waits for.
        std::byte probe[1];
        if (const ssize_t got = ::recv(connection.fd, probe, sizeof probe, MSG_DONTWAIT | MSG_PEEK);
            got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            return;
        }
        const quint64 question = connection.questionId;
        state.connections.erase(found);
        state.withdraw(question);
        return;
    }
    std::byte chunk[16384];
    for (;;) {
        const ssize_t got = ::recv(connection.fd, chunk, sizeof chunk, MSG_DONTWAIT);
        if (got > 0) {
            connection.buffer.insert(connection.buffer.end(), chunk, chunk + got);
            crypto::wipe(std::span(chunk, static_cast<std::size_t>(got)));
            if (connection.buffer.size() > wire::kMaxRequestBytes + 4) {
                break;
            }
            continue;
        }
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        }
        state.connections.erase(found); // closed or failed before a whole request
        return;
    }
    if (connection.buffer.size() < 4) {
        return;
    }
    const std::size_t size = (std::to_integer<std::size_t>(connection.buffer[0]) << 24) |
                             (std::to_integer<std::size_t>(connection.buffer[1]) << 16) |
                             (std::to_integer<std::size_t>(connection.buffer[2]) << 8) |
                             std::to_integer<std::size_t>(connection.buffer[3]);
    if (size > wire::kMaxRequestBytes) {
        reply(id, ops::errorReply(AgentError::TooLarge));
        return;
    }
    if (connection.buffer.size() < size + 4) {
        return;
    }
    if (connection.buffer.size() > size + 4) {
        reply(id, ops::errorReply(AgentError::Malformed)); // one request per connection
        return;
    }
    connection.notifier->setEnabled(false);
    auto request = wire::Message::decode(std::span(connection.buffer).subspan(4));
    crypto::wipe(connection.buffer);
    connection.buffer.clear();
    if (!request) {
        reply(id, ops::errorReply(request.error()));
        return;
    }
    // Asking whether the agent runs is not using it: `agent status` does not keep it alive.
    if (state.idleTimeout.count() > 0 && request->textOr("op") != u"status") {
        state.idleTimer.start(state.idleTimeout);
    }
    const ops::ServerInfo info{state.canonicalVault,
                               static_cast<qint64>(::getpid()),
                               state.startedAtMs,
                               static_cast<qint64>(state.idleTimeout.count()),
                               static_cast<qint64>(state.lifetime.count()),
                               state.served};
    auto prepared = ops::prepare(*state.store, *request, info, connection.peer);
    if (!prepared) {
        reply(id, prepared.error());
        return;
    }
    connection.prepared = std::move(*prepared);
    connection.deadline->stop();
    askConsent(id);
}

void AgentServer::askConsent(quint64 id) {
    auto& state = *m_state;
    const auto found = state.connections.find(id);
    if (found == state.connections.end()) {
        return;
    }
    Connection& connection = *found->second;
    auto& prepared = *connection.prepared;
    // Scopes still covered by an earlier "allow for N minutes" need no question.
    while (!prepared.protectedScopes.isEmpty()) {
        const QString key = prepared.command + u'\n' + prepared.protectedScopes.first();
        const auto until = state.allowances.value(key);
        if (!until.isValid() || until < QDateTime::currentDateTimeUtc()) {
            break;
        }
        prepared.protectedScopes.removeFirst();
    }
    if (prepared.protectedScopes.isEmpty()) {
        serve(id);
        return;
    }
    if (state.consent == nullptr) {
        reply(id, ops::errorReply(AgentError::ConsentDenied));
        return;
    }
    const QString scope = prepared.protectedScopes.first();
    const qsizetype slash = scope.indexOf(u'/');
    connection.questionId = ++state.nextQuestionId;
    const ConsentRequest question{prepared.command,    scope.left(slash),          scope.mid(slash + 1),
                                  connection.peer.pid, connection.peer.executable, connection.questionId};
    const int round = ++connection.consentRound;
    connection.notifier->setEnabled(true); // a hang-up withdraws the question (readClient)
    connection.consentTimer = std::make_unique<QTimer>();
    connection.consentTimer->setSingleShot(true);
    connect(connection.consentTimer.get(), &QTimer::timeout, this, [this, id, round] {
        const auto it = m_state->connections.find(id);
        if (it != m_state->connections.end() && it->second->consentRound == round) {
            // Unanswered in time: denied, and a dialog still showing the question goes away.
            m_state->withdraw(it->second->endQuestion());
            reply(id, ops::errorReply(AgentError::ConsentDenied));
        }
    });
    connection.consentTimer->start(state.consentTimeout);
    // The answer may come at once, later, twice or never; only the first answer to this question counts, and
    // only while the connection and the server are still there.
    QPointer<AgentServer> self(this);
    state.consent->ask(question, [self, id, round, scope](ConsentDecision decision) {
        if (self.isNull()) {
            return;
        }
        const auto it = self->m_state->connections.find(id);
        if (it == self->m_state->connections.end() || it->second->consentRound != round) {
            return;
        }
        Connection& asked = *it->second;
        asked.endQuestion();
        if (decision.answer == ConsentAnswer::Deny) {
            self->reply(id, ops::errorReply(AgentError::ConsentDenied));
            return;
        }
        auto& waiting = *asked.prepared;
        if (decision.answer == ConsentAnswer::AllowForMinutes && decision.minutes > 0) {
            self->m_state->allowances.insert(waiting.command + u'\n' + scope,
                                             QDateTime::currentDateTimeUtc().addSecs(qint64(decision.minutes) * 60));
            self->answerWaiting(id, waiting.command, scope);
        }
        waiting.protectedScopes.removeAll(scope);
        // Asked from inside ask() (a synchronous provider): continue once ask() has returned.
        QMetaObject::invokeMethod(
            self.data(),
            [self, id] {
                if (!self.isNull()) {
                    self->askConsent(id);
                }
            },
            Qt::QueuedConnection);
    });
}

void AgentServer::answerWaiting(quint64 answered, const QString& command, const QString& scope) {
    auto& state = *m_state;
    for (auto& [id, connection] : state.connections) {
        if (id == answered || connection->questionId == 0 || !connection->prepared ||
            connection->prepared->command != command || connection->prepared->protectedScopes.value(0) != scope) {
            continue;
        }
        // Asked already, and now covered by the allowance: take the question back and go on without an answer.
        state.withdraw(connection->endQuestion());
        QMetaObject::invokeMethod(
            this, [this, other = id] { askConsent(other); }, Qt::QueuedConnection);
    }
}

void AgentServer::serve(quint64 id) {
    auto& state = *m_state;
    const auto found = state.connections.find(id);
    if (found == state.connections.end()) {
        return;
    }
    auto& prepared = *found->second->prepared;
    // Audited before the reply leaves: a read that cannot be recorded does not happen.
    if (!prepared.auditAction.isEmpty()) {
        const QString detail = prepared.auditDetail + u" (through the agent, pid %1)"_s.arg(found->second->peer.pid);
        if (auto audited = state.store->audit(prepared.auditAction, prepared.auditProject, prepared.auditEnvironment,
                                              prepared.auditSecret, detail);
            !audited) {
            reply(id, ops::vaultErrorReply(reads::readError(audited.error())));
            return;
        }
    }
    ++state.served;
    const QString command = prepared.command;
    const QString scope = prepared.scope;
    const bool lock = prepared.lock;
    wire::Message message = std::move(prepared.reply);
    reply(id, message);
    if (command != u"status" && command != u"lock") {
        Q_EMIT requestServed(command, scope);
    }
    if (lock) {
        stop();
    }
}

void AgentServer::reply(quint64 id, const wire::Message& message) {
    auto& state = *m_state;
    const auto found = state.connections.find(id);
    if (found == state.connections.end()) {
        return;
    }
    (void)wire::writeFrame(found->second->fd, message, kRequestTimeout);
    state.connections.erase(found);
}

} // namespace coffer::agent
