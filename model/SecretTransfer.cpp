// SPDX-License-Identifier: Apache-2.0
#include "model/SecretTransfer.h"

#include "model/Store.h"

#include <vector>

namespace coffer::model {
namespace {

// The live secrets behind `secretIds`; NotFound for an unknown or deleted one.
Result<std::vector<SecretSummary>> liveSecrets(Store& store, std::span<const std::int64_t> secretIds) {
    std::vector<SecretSummary> secrets;
    secrets.reserve(secretIds.size());
    for (const std::int64_t id : secretIds) {
        auto secret = store.secretById(id);
        if (!secret) {
            return std::unexpected(secret.error());
        }
        if (secret->deleted) {
            return fail(ErrorCode::NotFound, QStringLiteral("%1 is deleted").arg(secret->name));
        }
        secrets.push_back(std::move(*secret));
    }
    return secrets;
}

} // namespace

Result<QStringList> SecretTransfer::conflicts(std::span<const std::int64_t> secretIds,
                                              std::int64_t targetEnvironmentId) {
    auto secrets = liveSecrets(m_store, secretIds);
    if (!secrets) {
        return std::unexpected(secrets.error());
    }
    QStringList taken;
    for (const auto& secret : *secrets) {
        auto existing = m_store.secret(targetEnvironmentId, secret.name);
        if (existing) {
            taken << secret.name;
        } else if (existing.error().code != ErrorCode::NotFound) {
            return std::unexpected(existing.error());
        }
    }
    return taken;
}

Result<TransferResult> SecretTransfer::copy(std::span<const std::int64_t> secretIds, std::int64_t targetEnvironmentId,
                                            ExistingSecrets existing) {
    return transfer(secretIds, targetEnvironmentId, existing, false);
}

Result<TransferResult> SecretTransfer::move(std::span<const std::int64_t> secretIds, std::int64_t targetEnvironmentId,
                                            ExistingSecrets existing) {
    return transfer(secretIds, targetEnvironmentId, existing, true);
}

Result<TransferResult> SecretTransfer::transfer(std::span<const std::int64_t> secretIds,
                                                std::int64_t targetEnvironmentId, ExistingSecrets existing,
                                                bool deleteSources) {
    TransferResult result;
    auto done = m_store.transaction([&]() -> Result<void> {
        auto secrets = liveSecrets(m_store, secretIds);
        if (!secrets) {
            return std::unexpected(secrets.error());
        }
        for (const auto& secret : *secrets) {
            if (secret.environmentId == targetEnvironmentId) {
                return fail(ErrorCode::AlreadyExists,
                            QStringLiteral("%1 is already in that environment").arg(secret.name));
            }
            auto taken = m_store.secret(targetEnvironmentId, secret.name);
            if (!taken && taken.error().code != ErrorCode::NotFound) {
                return std::unexpected(taken.error());
            }
            if (taken && existing == ExistingSecrets::Skip) {
                result.skipped << secret.name;
                continue;
            }
            auto value = m_store.value(secret.id);
            if (!value) {
                return std::unexpected(value.error());
            }
            const SecretEdit edit{.note = secret.note, .tags = secret.tags};
            if (auto written = m_store.setSecret(targetEnvironmentId, secret.name, value->bytes(), edit); !written) {
                return std::unexpected(written.error());
            }
            (taken ? result.overwritten : result.copied) << secret.name;
            if (deleteSources) {
                if (auto deleted = m_store.deleteSecret(secret.id); !deleted) {
                    return std::unexpected(deleted.error());
                }
            }
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return result;
}

} // namespace coffer::model
