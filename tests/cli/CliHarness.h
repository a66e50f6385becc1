// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QFileDevice>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace coffer::tests {

/// What one run of the real coffer-cli binary did.
struct CliResult {
    bool finished = false; ///< false when it had to be killed (a hang is a failure, never a wait)
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    /// For failure messages: exit code and stderr.
    [[nodiscard]] QByteArray describe() const;
};

/// A private folder with a vault path and an owner-only password file, and a way to run coffer-cli
/// there. Every run happens in a new session without a controlling terminal (setsid), so a prompt can
/// never block a test, and with HOME, XDG_DATA_HOME and COFFER_VAULT pointing into the folder.
class CliHarness {
public:
    static constexpr int kTimeoutMs = 60'000;
    static inline const QByteArray kPassword = QByteArrayLiteral("correct horse battery staple");

    CliHarness();

    [[nodiscard]] bool isValid() const { return m_dir.isValid(); }
    [[nodiscard]] QString path(const QString& name) const { return m_dir.filePath(name); }
    [[nodiscard]] const QString& vaultPath() const { return m_vault; }
    [[nodiscard]] const QString& passwordFile() const { return m_passwordFile; }

    /// Writes `content` to `name` with exactly `permissions`; returns its path.
    QString writeFile(const QString& name, const QByteArray& content,
                      QFileDevice::Permissions permissions = QFileDevice::ReadOwner | QFileDevice::WriteOwner) const;

    /// Runs coffer-cli with exactly these arguments; `input` is written to stdin, which is then closed.
    /// `environment` adds or replaces variables ("NAME=value").
    [[nodiscard]] CliResult runRaw(const QStringList& args, const QByteArray& input = {},
                                   const QStringList& environment = {}) const;
    /// runRaw() with another program than coffer-cli (a copy of it, say).
    [[nodiscard]] CliResult runProgram(const QString& program, const QStringList& args, const QByteArray& input = {},
                                       const QStringList& environment = {}, const QString& workingDirectory = {}) const;
    /// Runs with --vault and --password-file appended.
    [[nodiscard]] CliResult run(const QStringList& args, const QByteArray& input = {}) const;

    /// `init` at the cheapest key-derivation cost the policy allows; true on exit code 0.
    [[nodiscard]] bool initVault() const;
    /// init, then `project add` and `env add` for the PROJECT/ENV given; true when all succeeded.
    [[nodiscard]] bool initWith(const QString& project, const QStringList& environments) const;

private:
    QTemporaryDir m_dir;
    QString m_vault;
    QString m_passwordFile;
};

} // namespace coffer::tests

/// Checks a run's exit code and shows its stderr when it differs.
#define COFFER_EXPECT_EXIT(result, code)                                                                               \
    do {                                                                                                               \
        const auto& r_ = (result);                                                                                     \
        QVERIFY2(r_.finished, "coffer-cli did not finish (killed after the timeout)");                                 \
        QVERIFY2(r_.exitCode == (code), r_.describe().constData());                                                    \
    } while (false)
