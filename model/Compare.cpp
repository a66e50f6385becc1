// SPDX-License-Identifier: Apache-2.0
// Value-blind comparison of environments (see Compare.h). Store::valueDigests() is defined here rather than in
// StoreSecrets.cpp because it exists only for this: it keeps the digest key and its use in one place.
#include "model/Compare.h"

#include "crypto/Hash.h"
#include "model/Database.h"
#include "model/Vault.h"

#include <algorithm>
#include <map>
#include <utility>

namespace coffer::model {
namespace {

using DigestKey = crypto::SecretKey<struct CompareDigestKeyTag, 32>;

// One random key per process, in guarded memory, never stored: a digest proves equality inside this process
// and is useless anywhere else (no dictionary of digests of likely values can be built ahead).
const DigestKey& digestKey() {
    static const DigestKey key = DigestKey::keygen();
    return key;
}

} // namespace

Result<std::vector<SecretDigest>> Store::valueDigests(std::int64_t environmentId) {
    Database& db = m_vault.database();
    std::vector<SecretDigest> list;
    {
        // The value is hashed where SQLite holds it: no SecureBuffer per secret (sodium_malloc costs several
        // pages and system calls each), and no copy of a value outlives its row.
        auto q = db.prepare("SELECT id, name, value FROM secrets WHERE environment_id = ?1 AND deleted = 0 "
                            "ORDER BY name");
        if (!q) {
            return std::unexpected(q.error());
        }
        q->bind(1, environmentId);
        for (auto row = q->step(); !row || *row; row = q->step()) {
            if (!row) {
                return std::unexpected(row.error());
            }
            list.push_back(SecretDigest{q->columnInt(0), q->columnText(1),
                                        crypto::blake2bKeyed(digestKey().bytes(), q->columnView(2))});
        }
    }
    if (list.empty()) {
        // Only an empty answer needs to tell "no such environment" from "no secrets yet".
        auto q = db.prepare("SELECT 1 FROM environments WHERE id = ?1");
        if (!q) {
            return std::unexpected(q.error());
        }
        q->bind(1, environmentId);
        auto row = q->step();
        if (!row) {
            return std::unexpected(row.error());
        }
        if (!*row) {
            return fail(ErrorCode::NotFound, QStringLiteral("no environment with id %1").arg(environmentId));
        }
    }
    return list;
}

int CompareRow::presentCount() const noexcept {
    return static_cast<int>(std::ranges::count_if(cells, [](const CompareCell& cell) { return cell.present; }));
}

int CompareRow::groupSize(int group) const noexcept {
    if (group < 0) {
        return 0;
    }
    return static_cast<int>(
        std::ranges::count_if(cells, [group](const CompareCell& cell) { return cell.group == group; }));
}

Result<std::vector<EnvironmentDigests>> projectDigests(Store& store, std::int64_t projectId) {
    auto environments = store.environments(projectId);
    if (!environments) {
        return std::unexpected(environments.error());
    }
    std::vector<EnvironmentDigests> result;
    result.reserve(environments->size());
    for (auto& environment : *environments) {
        auto digests = store.valueDigests(environment.id);
        if (!digests) {
            return std::unexpected(digests.error());
        }
        result.push_back(EnvironmentDigests{std::move(environment), std::move(*digests)});
    }
    return result;
}

CompareMatrix buildMatrix(const std::vector<EnvironmentDigests>& environments) {
    const std::size_t columns = environments.size();
    // Per name: the digest of each column that has it (the map sorts the names).
    std::map<QString, std::vector<const SecretDigest*>> byName;
    for (std::size_t column = 0; column < columns; ++column) {
        for (const SecretDigest& secret : environments[column].secrets) {
            auto& cells = byName[secret.name];
            cells.resize(columns, nullptr);
            cells[column] = &secret;
        }
    }

    CompareMatrix matrix;
    matrix.environments.reserve(columns);
    for (const auto& environment : environments) {
        matrix.environments.push_back(environment.environment);
    }
    matrix.rows.reserve(byName.size());
    for (const auto& [name, digests] : byName) {
        CompareRow row{name, std::vector<CompareCell>(columns), 0};
        // A cell joins the group of the first earlier cell with the same digest; a handful of columns, so the
        // quadratic scan is cheaper than any map.
        for (std::size_t column = 0; column < columns; ++column) {
            const SecretDigest* secret = digests[column];
            if (secret == nullptr) {
                continue;
            }
            CompareCell& cell = row.cells[column];
            cell.present = true;
            cell.secretId = secret->secretId;
            for (std::size_t earlier = 0; earlier < column && cell.group < 0; ++earlier) {
                if (digests[earlier] != nullptr && digests[earlier]->digest == secret->digest) {
                    cell.group = row.cells[earlier].group;
                }
            }
            if (cell.group < 0) {
                cell.group = row.groupCount++;
            }
        }
        matrix.rows.push_back(std::move(row));
    }
    return matrix;
}

Result<CompareMatrix> compareEnvironments(Store& store, std::int64_t projectId) {
    auto digests = projectDigests(store, projectId);
    if (!digests) {
        return std::unexpected(digests.error());
    }
    return buildMatrix(*digests);
}

} // namespace coffer::model
