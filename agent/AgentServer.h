// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agent/AgentError.h"

#include <QObject>
#include <QString>

#include <chrono>
#include <expected>
#include <functional>
#include <memory>

namespace coffer::model {
class Vault;
}

namespace coffer::agent {

/// Who asks to read a protected environment, and for what.
struct ConsentRequest {
    QString command;     ///< "get", "export", "run", "inject"
    QString project;     ///< the protected environment's project
    QString environment; ///< the protected environment
    qint64 pid = 0;      ///< the client's process id (SO_PEERCRED)
    QString executable;  ///< /proc/PID/exe of the client, when readable
    quint64 id = 0;      ///< this question, for ConsentProvider::withdraw()
};

enum class ConsentAnswer { AllowOnce, AllowForMinutes, Deny };

struct ConsentDecision {
    ConsentAnswer answer = ConsentAnswer::Deny;
    int minutes = 0; ///< with AllowForMinutes: how long this command may read this environment unasked
};

/// Asked when a request reads a protected environment. Answer through `done` exactly once (async is
/// fine); the server denies after its consent timeout if `done` is not called, and ignores a late call.
class ConsentProvider {
public:
    virtual ~ConsentProvider() = default;
    virtual void ask(const ConsentRequest& request, std::function<void(ConsentDecision)> done) = 0;
    /// The client of question `id` hung up before an answer: stop asking it (close its dialog, drop it from a
    /// queue). Calling `done` afterwards is harmless; it is ignored.
    virtual void withdraw(quint64 id) { static_cast<void>(id); }
};

class ServerState;
namespace wire {
class Message;
}

/// Serves an open vault's reads to `coffer-cli` over a local socket: operations, never the key
/// (docs/agent.md). Single-threaded: runs on the thread's event loop that owns it.
class AgentServer : public QObject {
    Q_OBJECT
public:
    /// Serves `vault` (an open vault the caller keeps alive while serving). `consent` may be null: then
    /// every read of a protected environment is denied. Neither is owned.
    AgentServer(model::Vault& vault, ConsentProvider* consent, QObject* parent = nullptr);
    ~AgentServer() override;

    /// Listens at `socketPath`: creates its folder 0700 if missing, refuses a folder or socket that is not
    /// ours or open to others (UnsafeFolder, UnsafeSocket), and one where an agent already answers
    /// (AlreadyRunning); a stale socket file is replaced.
    [[nodiscard]] std::expected<void, AgentError> start(const QString& socketPath = defaultSocketPath());
    /// At once: closes the listener and every connection, removes the socket file, emits stopped().
    /// A request waiting for consent is dropped. Safe to call twice.
    void stop();
    [[nodiscard]] bool isServing() const noexcept;
    [[nodiscard]] QString socketPath() const;

    /// $XDG_RUNTIME_DIR/coffer/agent.sock; without XDG_RUNTIME_DIR, /tmp/coffer-UID/agent.sock.
    /// $COFFER_AGENT_SOCKET overrides both (tests, several vaults).
    [[nodiscard]] static QString defaultSocketPath();

    /// How long a consent question may stay unanswered before the request is denied (default 60 s).
    void setConsentTimeout(std::chrono::milliseconds timeout);
    /// Stops after this long without a request (default 15 min; zero: never).
    void setIdleTimeout(std::chrono::milliseconds timeout);
    /// Stops this long after start() whatever happens (default zero: never).
    void setMaxLifetime(std::chrono::milliseconds lifetime);

Q_SIGNALS:
    /// A request was answered with data: its command ("get", "ls", ...) and scope (PROJECT/ENV[/NAME]).
    void requestServed(const QString& command, const QString& scope);
    /// The agent stopped (stop(), idle timeout, maximum lifetime, or a client's `lock`).
    void stopped();

private:
    void acceptClients();
    void readClient(quint64 id);
    /// "Allow for N minutes" just given for `command` on `scope`: the other requests already asking the same
    /// question are covered by it (their questions are withdrawn).
    void answerWaiting(quint64 answered, const QString& command, const QString& scope);
    void askConsent(quint64 id);
    void serve(quint64 id);
    void reply(quint64 id, const wire::Message& message);

    std::unique_ptr<ServerState> m_state;
};

} // namespace coffer::agent
