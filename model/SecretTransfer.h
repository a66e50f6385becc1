// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"

#include <QStringList>

#include <cstdint>
#include <span>

namespace coffer::model {

class Store;

/// What to do with a secret whose name is already taken (by a live secret) in the target environment.
enum class ExistingSecrets {
    Skip,      ///< leave the target's secret as it is; a move leaves the source's secret in place too
    Overwrite, ///< the copied value, note and tags become a new version of the target's secret
};

/// What a copy or move did, by secret name (in the order the secrets were given).
struct TransferResult {
    QStringList copied;      ///< new in the target (or a deleted secret of that name revived)
    QStringList overwritten; ///< a live secret of that name in the target got a new version
    QStringList skipped;     ///< the name was taken in the target and ExistingSecrets::Skip applied

    [[nodiscard]] qsizetype transferred() const noexcept { return copied.size() + overwritten.size(); }
};

/// Copies or moves secrets between environments (of any project): value, note and tags. Shared by the app's
/// Duplicate, Copy to and Move to, and usable by the CLI.
class SecretTransfer {
public:
    explicit SecretTransfer(Store& store)
        : m_store(store) {}

    /// The names of `secretIds` that a live secret of `targetEnvironmentId` already has. NotFound for an unknown
    /// or deleted secret or an unknown environment.
    [[nodiscard]] Result<QStringList> conflicts(std::span<const std::int64_t> secretIds,
                                                std::int64_t targetEnvironmentId);
    /// Copies each live secret of `secretIds` into `targetEnvironmentId` under its name, in one transaction: all
    /// or nothing. NotFound for an unknown or deleted secret or environment; InvalidName when a secret is already
    /// in the target environment (copying onto itself).
    [[nodiscard]] Result<TransferResult> copy(std::span<const std::int64_t> secretIds, std::int64_t targetEnvironmentId,
                                              ExistingSecrets existing);
    /// As copy(), then deletes each copied or overwritten secret in its source environment (a Deleted version:
    /// history can restore it). Skipped secrets stay where they were. All or nothing.
    [[nodiscard]] Result<TransferResult> move(std::span<const std::int64_t> secretIds, std::int64_t targetEnvironmentId,
                                              ExistingSecrets existing);

private:
    [[nodiscard]] Result<TransferResult> transfer(std::span<const std::int64_t> secretIds,
                                                  std::int64_t targetEnvironmentId, ExistingSecrets existing,
                                                  bool deleteSources);

    Store& m_store;
};

} // namespace coffer::model
