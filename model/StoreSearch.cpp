// SPDX-License-Identifier: Apache-2.0
// The whole vault in one query, for the search index (model/SecretIndex.h).
#include "model/Database.h"
#include "model/Store.h"
#include "model/Vault.h"

namespace coffer::model {

Result<std::vector<ScopedSecret>> Store::allSecrets() {
    // One statement for 100k secrets: a query per environment would cost a round trip each, and the join keeps
    // the order the tree shows. length(value) reads the blob's size from its header, not the value itself.
    auto q = m_vault.database().prepare(
        "SELECT s.id, s.environment_id, s.name, s.note, s.tags, s.version, s.updated_at, s.updated_by, "
        "length(s.value), p.id, p.name, e.name, e.colour, e.is_protected "
        "FROM secrets s JOIN environments e ON e.id = s.environment_id JOIN projects p ON p.id = e.project_id "
        "WHERE s.deleted = 0 ORDER BY p.position, e.position, s.name");
    if (!q) {
        return std::unexpected(q.error());
    }
    std::vector<ScopedSecret> list;
    // Rows arrive grouped by environment: the previous row's strings are reused, so 100k rows share a few
    // dozen project and environment names instead of holding a copy each.
    ScopedSecret previous;
    for (auto row = q->step(); !row || *row; row = q->step()) {
        if (!row) {
            return std::unexpected(row.error());
        }
        ScopedSecret item;
        SecretSummary& secret = item.secret;
        secret.id = q->columnInt(0);
        secret.environmentId = q->columnInt(1);
        secret.name = q->columnText(2);
        secret.note = q->columnText(3);
        const QString tags = q->columnText(4);
        if (!tags.isEmpty()) {
            secret.tags = tags.split(u'\n'); // joined with '\n' by StoreSecrets.cpp
        }
        secret.version = static_cast<int>(q->columnInt(5));
        secret.versionCount = secret.version;
        secret.updatedAt = QDateTime::fromMSecsSinceEpoch(q->columnInt(6), Qt::UTC);
        secret.updatedBy = q->columnText(7);
        secret.valueSize = q->columnInt(8);
        item.projectId = q->columnInt(9);
        if (secret.environmentId == previous.secret.environmentId) {
            item.project = previous.project;
            item.environment = previous.environment;
            item.environmentColour = previous.environmentColour;
            item.environmentProtected = previous.environmentProtected;
        } else {
            item.project = q->columnText(10);
            item.environment = q->columnText(11);
            item.environmentColour = q->columnText(12);
            item.environmentProtected = q->columnInt(13) != 0;
        }
        if (secret.updatedBy == previous.secret.updatedBy) {
            secret.updatedBy = previous.secret.updatedBy; // a handful of authors: share them too
        }
        previous.secret.environmentId = secret.environmentId;
        previous.secret.updatedBy = secret.updatedBy;
        previous.project = item.project;
        previous.environment = item.environment;
        previous.environmentColour = item.environmentColour;
        previous.environmentProtected = item.environmentProtected;
        list.push_back(std::move(item));
    }
    return list;
}

} // namespace coffer::model
