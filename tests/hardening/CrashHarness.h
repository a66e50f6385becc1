// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <sys/types.h>

namespace coffer::model {
class Vault;
}

namespace coffer::tests {

/// When to kill: `delay` after the start, or `delay` after the first marker file appeared (CliSpawner::watch): the
/// start of the first write (a journal) or of an export's temporary file.
struct KillPoint {
    bool afterMarker = false;
    std::chrono::microseconds delay{0};
};

/// The durations of a complete run: from its start to its end, and from the first marker to its end.
struct Timing {
    std::chrono::microseconds total{0};
    std::chrono::microseconds afterMarker{0};
};

/// How many kills and which seed: COFFER_CRASH_ITERATIONS (default 200) and COFFER_CRASH_SEED (default: drawn
/// from the system). Both are printed, so a failing run can be repeated exactly.
struct CrashPlan {
    int iterations = 200;
    std::uint64_t seed = 0;
    std::mt19937_64 rng;

    /// Reads the environment and prints the plan with `what` (the operation under test).
    static CrashPlan fromEnvironment(const char* what);
    /// A random moment: one kill in three anywhere in [0, 1.25 × total] from the start (start-up, key derivation,
    /// reads, writes, after the end), two in three in [0, 1.25 × afterMarker] after the first write began (the
    /// transaction, the commit and its fsyncs, the rename: where a torn state could appear). Both ranges overshoot
    /// so that some runs end first: then their success must hold.
    [[nodiscard]] KillPoint draw(const Timing& typical);
    /// `size` random bytes drawn from `alphabet` (the plan's generator).
    [[nodiscard]] QByteArray randomText(int size, const QByteArray& alphabet = "abcdefghijklmnopqrstuvwxyz0123456789");
};

/// How one coffer-cli process ended.
struct Ending {
    bool killed = false; ///< SIGKILL ended it (the test's kill arrived before it exited)
    int exitCode = -1;   ///< when it exited by itself
    QByteArray out;
    QByteArray err;
    std::chrono::microseconds ran{0};       ///< from spawn to its end
    std::chrono::microseconds markerAt{-1}; ///< when the first marker file appeared (-1: none did)
    [[nodiscard]] bool succeeded() const { return !killed && exitCode == 0; }
    [[nodiscard]] QByteArray describe() const;
};

/// Runs coffer-cli in its own session (no terminal), stdin from a file or /dev/null, stdout and stderr to files
/// in `folder`, HOME/XDG folders and TMPDIR under `folder`, and kills it at a chosen moment. Everything is prepared
/// before fork(), so the child only makes async-signal-safe calls before execve (the test process has threads).
class CliSpawner {
public:
    /// `folder` is an existing private folder: HOME, XDG_DATA_HOME, XDG_CONFIG_HOME, TMPDIR point into it.
    explicit CliSpawner(QString folder);
    ~CliSpawner();
    CliSpawner(const CliSpawner&) = delete;
    CliSpawner& operator=(const CliSpawner&) = delete;

    /// Marker files: a file created in (or renamed into) `watched` whose name contains `marker` (inotify).
    void watch(const QString& watched, const QString& marker);

    /// Runs `coffer-cli ARGS…` to its end (SIGKILL after 120 s: a hang is a failure, see Ending::killed).
    Ending run(const QStringList& args, const QString& stdinPath = {});
    /// Runs it and SIGKILLs it at `when` unless it ended before; a process that ended by itself keeps its exit code
    /// (a zombie still takes the signal without effect, so there is no race).
    Ending runKilled(const QStringList& args, const QString& stdinPath, const KillPoint& when);

    /// The medians of three complete runs of `args` (each after `prepare(i)`).
    template <typename Prepare>
    Timing calibrate(const QStringList& args, const QString& stdinPath, Prepare prepare,
                     std::vector<Ending>* endings = nullptr) {
        std::vector<std::chrono::microseconds> totals;
        std::vector<std::chrono::microseconds> afterMarker;
        for (int i = 0; i < 3; ++i) {
            prepare(i);
            Ending ending = run(args, stdinPath);
            totals.push_back(ending.ran);
            afterMarker.push_back(ending.markerAt.count() < 0 ? ending.ran : ending.ran - ending.markerAt);
            if (endings != nullptr) {
                endings->push_back(std::move(ending));
            }
        }
        std::sort(totals.begin(), totals.end());
        std::sort(afterMarker.begin(), afterMarker.end());
        return Timing{totals[1], afterMarker[1]};
    }

    [[nodiscard]] const QString& folder() const { return m_folder; }

private:
    pid_t start(const QStringList& args, const QString& stdinPath);
    Ending drive(pid_t pid, const KillPoint* when);
    void readMarkers(Ending& ending);

    QString m_folder;
    std::vector<std::string> m_environment;
    std::chrono::steady_clock::time_point m_started;
    int m_inotify = -1;
    std::vector<QByteArray> m_markers;
};

/// What checkVaultFiles() saw of the vault's rollback journal.
struct JournalFacts {
    bool leftByTheKill = false;    ///< a journal was there before the vault was opened again
    bool ignoredAfterOpen = false; ///< it is still there: cut before it was synced, so SQLite ignores it
};

/// Opens the vault with `key`, runs the full integrity check (model::Vault::checkIntegrity), and lists the problems
/// with the files beside it: a journal left after the vault was opened and closed again unless SQLite ignores it (see
/// the .cpp), a WAL, any file with group/other permission bits. Empty when all is well.
[[nodiscard]] QString checkVaultFiles(const QString& vaultPath, const crypto::VaultKey& key, JournalFacts* facts);

/// Every regular file of `folder` (not recursive) that matches `pattern` (a wildcard), sorted.
[[nodiscard]] QStringList filesMatching(const QString& folder, const QString& pattern);
/// The file's permission bits (st_mode & 07777), or -1.
[[nodiscard]] int modeOf(const QString& path);
/// The whole file, or a null QByteArray when it cannot be read.
[[nodiscard]] QByteArray readAll(const QString& path);
/// Writes `content` to `path`, owner-only; false on failure.
bool writeOwnerOnly(const QString& path, const QByteArray& content);

} // namespace coffer::tests
