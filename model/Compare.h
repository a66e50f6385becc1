// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"
#include "model/ModelError.h"
#include "model/Store.h"

#include <QString>

#include <cstdint>
#include <span>
#include <vector>

/// Comparing environments without revealing values: each current value is reduced to a keyed digest (BLAKE2b
/// keyed with a random key made once per process, never stored), so two digests are equal exactly when the
/// values are, and a digest tells nothing outside this process. Values are compared as stored: a reference
/// such as ${DATABASE_URL} equals the same text elsewhere, not the value it resolves to, so "equal" means
/// "written the same", which is what copying across environments makes true.
namespace coffer::model {

/// A live secret with the keyed digest of its current value.
struct SecretDigest {
    std::int64_t secretId = 0;
    QString name;
    crypto::Hash256 digest; ///< only comparable with digests made by this process
};

/// The live secrets of one environment, ordered by name, with their digests.
struct EnvironmentDigests {
    Environment environment;
    std::vector<SecretDigest> secrets;
};

/// One environment's cell in a row of the matrix.
struct CompareCell {
    bool present = false;
    std::int64_t secretId = 0; ///< 0 when missing
    /// Cells of one row with the same group hold the same value. Groups are numbered 0, 1, ... in column order
    /// of their first cell; -1 when missing.
    int group = -1;

    friend bool operator==(const CompareCell&, const CompareCell&) = default;
};

/// One secret name across the environments (cells in the order of CompareMatrix::environments).
struct CompareRow {
    QString name;
    std::vector<CompareCell> cells;
    int groupCount = 0; ///< distinct values among the present cells

    [[nodiscard]] int presentCount() const noexcept;
    /// How many cells share `group` (0 for -1).
    [[nodiscard]] int groupSize(int group) const noexcept;
    /// Present everywhere with one value.
    [[nodiscard]] bool allEqual() const noexcept { return groupCount == 1 && presentCount() == int(cells.size()); }

    friend bool operator==(const CompareRow&, const CompareRow&) = default;
};

/// Secret names (sorted, the union over all environments) by environments (in the given order).
struct CompareMatrix {
    std::vector<Environment> environments;
    std::vector<CompareRow> rows;
};

/// The live secrets of each environment of `projectId`, in environment order: one query per environment, and
/// each value is digested where SQLite holds it (never copied out). NotFound for an unknown project.
[[nodiscard]] Result<std::vector<EnvironmentDigests>> projectDigests(Store& store, std::int64_t projectId);

/// Builds the matrix from digests (pure: no vault access). The environments need not share a project.
[[nodiscard]] CompareMatrix buildMatrix(const std::vector<EnvironmentDigests>& environments);

/// projectDigests() then buildMatrix().
[[nodiscard]] Result<CompareMatrix> compareEnvironments(Store& store, std::int64_t projectId);

} // namespace coffer::model
