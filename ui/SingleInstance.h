// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>

#include <chrono>
#include <cstdint>

class QLocalServer;

namespace coffer::ui {

/// One Coffer per vault file. Claiming a vault takes an exclusive lock (flock) on a file named after a hash of the
/// vault's canonical path, in an owner-only folder ($XDG_RUNTIME_DIR/coffer, else a 0700 folder of our own in
/// the temp folder), and listens on a local socket beside it. A second Coffer that tries the same vault finds the
/// lock taken, asks the first over the socket to come to the front and gets an answer; a first one that is alive
/// but does not answer is reported with its pid. The kernel drops the lock when its process dies, so the claim
/// of a crashed Coffer is taken over as if it were free.
class SingleInstance : public QObject {
    Q_OBJECT
public:
    enum class Outcome {
        Claimed,   ///< this process has the vault now
        Activated, ///< another Coffer has it and was brought to the front
        Busy,      ///< another live process has it and did not answer: otherPid()
        Failed,    ///< the lock folder or files could not be used: errorString()
    };
    Q_ENUM(Outcome)

    static constexpr std::chrono::milliseconds kDefaultAnswerTimeout{3000};

    explicit SingleInstance(QObject* parent = nullptr);
    ~SingleInstance() override;

    /// Claims `vaultPath` (which need not exist yet). Claiming the vault already held is Claimed at once; a new
    /// claim releases the previous one only when it succeeds. Blocks for at most answerTimeout() while another
    /// Coffer is asked to come to the front.
    [[nodiscard]] Outcome claim(const QString& vaultPath);
    /// Gives the vault up (on quit, or when another is opened). Idempotent.
    void release();

    /// The canonical path of the vault held, empty when none.
    [[nodiscard]] const QString& vaultPath() const noexcept { return m_vaultPath; }
    /// After Busy: the pid recorded by the holder, 0 when unknown.
    [[nodiscard]] std::int64_t otherPid() const noexcept { return m_otherPid; }
    /// After Failed: what went wrong, for people.
    [[nodiscard]] const QString& errorString() const noexcept { return m_error; }
    /// For people: what the last claim() found, empty after Claimed.
    [[nodiscard]] QString message(Outcome outcome) const;

    void setAnswerTimeout(std::chrono::milliseconds timeout) noexcept { m_answerTimeout = timeout; }
    [[nodiscard]] std::chrono::milliseconds answerTimeout() const noexcept { return m_answerTimeout; }

    /// The owner-only folder of the lock and socket files (not created here).
    [[nodiscard]] static QString lockFolder();
    /// The file names' stem for `vaultPath`: a hash of its canonical form (the same vault by any path).
    [[nodiscard]] static QString keyFor(const QString& vaultPath);
    /// The vault's canonical path: symbolic links resolved, also for a file that does not exist yet.
    [[nodiscard]] static QString canonicalPath(const QString& vaultPath);

Q_SIGNALS:
    /// Another Coffer started on the vault held (or tried to open it): show the window.
    void activationRequested();

private:
    void onNewConnection();
    [[nodiscard]] Outcome askHolder(const QString& socketPath);

    QString m_vaultPath;
    int m_lockFd = -1;
    QLocalServer* m_server = nullptr;
    std::int64_t m_otherPid = 0;
    QString m_error;
    std::chrono::milliseconds m_answerTimeout = kDefaultAnswerTimeout;
};

} // namespace coffer::ui
