// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/Arguments.h"
#include "cli/ExitCode.h"
#include "crypto/SecureBuffer.h"
#include "model/Vault.h"
#include "model/VaultHeader.h"

#include <QString>

#include <optional>

namespace coffer::cli {

/// What a command needs from the world: its parsed command line, the vault path, the user's name, and
/// the passwords (from a file or the terminal, never from an argument).
class Session {
public:
    explicit Session(Invocation invocation);

    [[nodiscard]] const Invocation& invocation() const noexcept { return m_invocation; }
    [[nodiscard]] const QStringList& arguments() const noexcept { return m_invocation.arguments; }
    [[nodiscard]] const QString& argument(qsizetype index) const { return m_invocation.arguments.at(index); }
    [[nodiscard]] bool flag(const QString& name) const { return m_invocation.has(name); }
    [[nodiscard]] std::optional<QString> option(const QString& name) const { return m_invocation.value(name); }
    [[nodiscard]] QStringList options(const QString& name) const { return m_invocation.values(name); }
    /// A whole number option within [min, max]; nullopt when absent, a usage failure when malformed.
    [[nodiscard]] Outcome<std::optional<int>> intOption(const QString& name, int min, int max) const;

    /// --vault, else $COFFER_VAULT, else Vault::defaultPath().
    [[nodiscard]] QString vaultPath() const;
    /// The OS user name: recorded as the author of each change.
    [[nodiscard]] static QString author();

    /// The vault's password: from --password-file, else asked on the terminal.
    [[nodiscard]] Outcome<crypto::SecureBuffer> password(const QString& prompt) const;
    /// A new password: from the file option `fileOption` when given, else asked twice on the terminal.
    /// Never empty.
    [[nodiscard]] Outcome<crypto::SecureBuffer> newPassword(const QString& fileOption) const;
    /// --kdf-passes and --kdf-memory applied over `base`; nullopt when neither is given. Checked against
    /// the model's policy (a usage failure outside it).
    [[nodiscard]] Outcome<std::optional<model::KdfCost>> kdfCost(const model::KdfCost& base) const;

    /// Checks the header (fast, clear errors before any prompt), asks for the password and opens the vault.
    [[nodiscard]] Outcome<model::Vault> unlock() const;

private:
    Invocation m_invocation;
};

} // namespace coffer::cli
