// SPDX-License-Identifier: Apache-2.0
// Projects and their environments: the scopes that secrets live in.
//
// Positions are 0-based and dense: a new scope goes last (max + 1), moving renumbers its siblings, and
// removing closes the gap. Adding, renaming, removing and (un)protecting are audited; moves and colours are
// cosmetic and are not.
#include "model/Store.h"

#include "model/Database.h"
#include "model/Names.h"
#include "model/Vault.h"

#include <QRegularExpression>

#include <algorithm>
#include <string_view>

namespace coffer::model {
namespace {

std::int64_t nowMs() {
    return static_cast<std::int64_t>(QDateTime::currentMSecsSinceEpoch());
}

QString plural(std::int64_t n, const char* one, const char* many) {
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1StringView(n == 1 ? one : many));
}

// What a project or environment holds, for NotEmpty and for the audit event of a forced removal.
struct Contents {
    std::int64_t environments = 0;
    std::int64_t liveSecrets = 0;
    std::int64_t deletedSecrets = 0;
    std::int64_t versions = 0;

    [[nodiscard]] QString describe(bool withEnvironments) const {
        QStringList parts;
        if (withEnvironments) {
            parts << plural(environments, "environment", "environments");
        }
        parts << plural(liveSecrets, "secret", "secrets");
        if (deletedSecrets > 0) {
            parts << plural(deletedSecrets, "deleted secret", "deleted secrets");
        }
        return parts.join(QStringLiteral(", "));
    }
};

Result<Contents> contentsOf(Database& db, std::string_view sql, std::int64_t id) {
    auto q = db.prepare(sql);
    if (!q) {
        return std::unexpected(q.error());
    }
    auto row = q->bind(1, id).step();
    if (!row) {
        return std::unexpected(row.error());
    }
    return Contents{q->columnInt(0), q->columnInt(1), q->columnInt(2), q->columnInt(3)};
}

// Runs a query of ids (already bound) to the end.
Result<std::vector<std::int64_t>> readIds(Statement& q) {
    std::vector<std::int64_t> ids;
    for (;;) {
        auto row = q.step();
        if (!row) {
            return std::unexpected(row.error());
        }
        if (!*row) {
            return ids;
        }
        ids.push_back(q.columnInt(0));
    }
}

// One statement with its parameters bound in order (?1, ?2, ...); the Statement is released (reset) on return.
template <typename... Args> Result<void> execute(Database& db, std::string_view sql, const Args&... args) {
    auto q = db.prepare(sql);
    if (!q) {
        return std::unexpected(q.error());
    }
    int index = 0;
    (q->bind(++index, args), ...);
    return q->run();
}

// Moves `id` to `position` (clamped into range) among `ordered` and writes 0..n-1 as the positions.
Result<void> renumber(Database& db, std::string_view updateSql, std::vector<std::int64_t> ordered, std::int64_t id,
                      int position) {
    const auto it = std::ranges::find(ordered, id);
    Q_ASSERT(it != ordered.end());
    ordered.erase(it);
    const auto target = std::clamp<std::ptrdiff_t>(position, 0, static_cast<std::ptrdiff_t>(ordered.size()));
    ordered.insert(ordered.begin() + target, id);
    for (std::size_t i = 0; i < ordered.size(); ++i) {
        if (auto ok = execute(db, updateSql, ordered[i], static_cast<std::int64_t>(i)); !ok) {
            return ok;
        }
    }
    return {};
}

std::unexpected<Error> taken(const Error& error, QString what) {
    // The only constraints these statements can break are the UNIQUE names (parents are looked up first).
    if (error.code == ErrorCode::AlreadyExists) {
        return fail(ErrorCode::AlreadyExists, std::move(what));
    }
    return std::unexpected(error);
}

struct EnvRow {
    Environment env;
    QString project;
};

// The columns readEnvironment() reads, of `environments e`: read-only is a shared environment this member may
// not write (sync_environments.access "read" or "none", kept by sync/ from the grants).
#define COFFER_ENVIRONMENT_COLUMNS                                                                                     \
    "e.id, e.project_id, e.name, e.position, e.is_protected, e.colour, "                                               \
    "coalesce((SELECT s.access FROM sync_environments s WHERE s.environment_id = e.id), 'write') <> 'write'"

Environment readEnvironment(const Statement& q) {
    return Environment{q.columnInt(0),      q.columnInt(1),  q.columnText(2),    static_cast<int>(q.columnInt(3)),
                       q.columnInt(4) != 0, q.columnText(5), q.columnInt(6) != 0};
}

Result<EnvRow> loadEnvironment(Database& db, std::int64_t environmentId) {
    auto q = db.prepare("SELECT " COFFER_ENVIRONMENT_COLUMNS ", p.name "
                        "FROM environments e JOIN projects p ON p.id = e.project_id WHERE e.id = ?1");
    if (!q) {
        return std::unexpected(q.error());
    }
    auto row = q->bind(1, environmentId).step();
    if (!row) {
        return std::unexpected(row.error());
    }
    if (!*row) {
        return fail(ErrorCode::NotFound, QStringLiteral("no environment with id %1").arg(environmentId));
    }
    return EnvRow{readEnvironment(*q), q->columnText(7)};
}

Result<Project> loadProject(Database& db, std::int64_t projectId) {
    auto q = db.prepare("SELECT id, name, position FROM projects WHERE id = ?1");
    if (!q) {
        return std::unexpected(q.error());
    }
    auto row = q->bind(1, projectId).step();
    if (!row) {
        return std::unexpected(row.error());
    }
    if (!*row) {
        return fail(ErrorCode::NotFound, QStringLiteral("no project with id %1").arg(projectId));
    }
    return Project{q->columnInt(0), q->columnText(1), static_cast<int>(q->columnInt(2))};
}

} // namespace

// Projects

Result<Project> Store::addProject(const QString& name) {
    if (auto ok = checkScopeName(name); !ok) {
        return std::unexpected(ok.error());
    }
    Database& db = m_vault.database();
    return db.transaction([&]() -> Result<Project> {
        if (auto ok = execute(db,
                              "INSERT INTO projects (name, position, created_at) "
                              "SELECT ?1, coalesce(max(position) + 1, 0), ?2 FROM projects",
                              name, nowMs());
            !ok) {
            return taken(ok.error(), QStringLiteral("project %1").arg(name));
        }
        auto added = loadProject(db, db.lastInsertId());
        if (!added) {
            return added;
        }
        if (auto audited = audit(QStringLiteral("add-project"), name, {}, {}); !audited) {
            return std::unexpected(audited.error());
        }
        return added;
    });
}

Result<std::vector<Project>> Store::projects() {
    auto q = m_vault.database().prepare("SELECT id, name, position FROM projects ORDER BY position, id");
    if (!q) {
        return std::unexpected(q.error());
    }
    std::vector<Project> list;
    for (;;) {
        auto row = q->step();
        if (!row) {
            return std::unexpected(row.error());
        }
        if (!*row) {
            return list;
        }
        list.push_back(Project{q->columnInt(0), q->columnText(1), static_cast<int>(q->columnInt(2))});
    }
}

Result<Project> Store::project(const QString& name) {
    auto q = m_vault.database().prepare("SELECT id, name, position FROM projects WHERE name = ?1");
    if (!q) {
        return std::unexpected(q.error());
    }
    auto row = q->bind(1, name).step();
    if (!row) {
        return std::unexpected(row.error());
    }
    if (!*row) {
        return fail(ErrorCode::NotFound, QStringLiteral("no project named %1").arg(name));
    }
    return Project{q->columnInt(0), q->columnText(1), static_cast<int>(q->columnInt(2))};
}

Result<void> Store::renameProject(std::int64_t projectId, const QString& newName) {
    if (auto ok = checkScopeName(newName); !ok) {
        return ok;
    }
    Database& db = m_vault.database();
    return db.transaction([&]() -> Result<void> {
        const auto current = loadProject(db, projectId);
        if (!current) {
            return std::unexpected(current.error());
        }
        if (current->name == newName) {
            return {};
        }
        if (auto ok = execute(db, "UPDATE projects SET name = ?1 WHERE id = ?2", newName, projectId); !ok) {
            return taken(ok.error(), QStringLiteral("project %1").arg(newName));
        }
        return audit(QStringLiteral("rename-project"), newName, {}, {},
                     QStringLiteral("renamed from %1").arg(current->name));
    });
}

Result<void> Store::moveProject(std::int64_t projectId, int position) {
    Database& db = m_vault.database();
    return db.transaction([&]() -> Result<void> {
        if (auto found = loadProject(db, projectId); !found) {
            return std::unexpected(found.error());
        }
        std::vector<std::int64_t> ids;
        {
            auto q = db.prepare("SELECT id FROM projects ORDER BY position, id");
            if (!q) {
                return std::unexpected(q.error());
            }
            auto read = readIds(*q);
            if (!read) {
                return std::unexpected(read.error());
            }
            ids = std::move(*read);
        }
        return renumber(db, "UPDATE projects SET position = ?2 WHERE id = ?1", std::move(ids), projectId, position);
    });
}

Result<void> Store::removeProject(std::int64_t projectId, bool force) {
    Database& db = m_vault.database();
    return db.transaction([&]() -> Result<void> {
        const auto current = loadProject(db, projectId);
        if (!current) {
            return std::unexpected(current.error());
        }
        const auto contents =
            contentsOf(db,
                       "SELECT (SELECT count(*) FROM environments WHERE project_id = ?1), "
                       "count(CASE WHEN s.deleted = 0 THEN 1 END), count(CASE WHEN s.deleted = 1 THEN 1 END), "
                       "coalesce(sum(s.version), 0) "
                       "FROM secrets s JOIN environments e ON e.id = s.environment_id WHERE e.project_id = ?1",
                       projectId);
        if (!contents) {
            return std::unexpected(contents.error());
        }
        if (contents->environments > 0 && !force) {
            return fail(ErrorCode::NotEmpty,
                        QStringLiteral("project %1 holds %2").arg(current->name, contents->describe(true)));
        }
        // foreign_keys is ON: environments, secrets and versions go with the project (ON DELETE CASCADE).
        if (auto ok = execute(db, "DELETE FROM projects WHERE id = ?1", projectId); !ok) {
            return ok;
        }
        if (auto ok = execute(db, "UPDATE projects SET position = position - 1 WHERE position > ?1",
                              static_cast<std::int64_t>(current->position));
            !ok) {
            return ok;
        }
        const QString detail =
            contents->environments == 0
                ? QStringLiteral("was empty")
                : QStringLiteral("removed %1, %2")
                      .arg(contents->describe(true), plural(contents->versions, "version", "versions"));
        return audit(QStringLiteral("remove-project"), current->name, {}, {}, detail);
    });
}

// Environments

Result<Environment> Store::addEnvironment(std::int64_t projectId, const QString& name,
                                          std::optional<bool> isProtected) {
    if (auto ok = checkScopeName(name); !ok) {
        return std::unexpected(ok.error());
    }
    const bool protect = isProtected.value_or(isProtectedByDefault(name));
    Database& db = m_vault.database();
    return db.transaction([&]() -> Result<Environment> {
        const auto parent = loadProject(db, projectId);
        if (!parent) {
            return std::unexpected(parent.error());
        }
        if (auto ok = execute(db,
                              "INSERT INTO environments (project_id, name, position, is_protected, created_at) "
                              "SELECT ?1, ?2, coalesce(max(position) + 1, 0), ?3, ?4 FROM environments "
                              "WHERE project_id = ?1",
                              projectId, name, protect ? 1 : 0, nowMs());
            !ok) {
            return taken(ok.error(), QStringLiteral("environment %1 in project %2").arg(name, parent->name));
        }
        auto added = loadEnvironment(db, db.lastInsertId());
        if (!added) {
            return std::unexpected(added.error());
        }
        if (auto audited = audit(QStringLiteral("add-environment"), parent->name, name, {},
                                 protect ? QStringLiteral("protected") : QString());
            !audited) {
            return std::unexpected(audited.error());
        }
        return added->env;
    });
}

Result<std::vector<Environment>> Store::environments(std::int64_t projectId) {
    Database& db = m_vault.database();
    std::vector<Environment> list;
    {
        auto q = db.prepare("SELECT " COFFER_ENVIRONMENT_COLUMNS " FROM environments e "
                            "WHERE e.project_id = ?1 ORDER BY e.position, e.id");
        if (!q) {
            return std::unexpected(q.error());
        }
        q->bind(1, projectId);
        for (;;) {
            auto row = q->step();
            if (!row) {
                return std::unexpected(row.error());
            }
            if (!*row) {
                break;
            }
            list.push_back(readEnvironment(*q));
        }
    }
    if (list.empty()) {
        // Tell "no such project" from "no environments yet".
        if (auto found = loadProject(db, projectId); !found) {
            return std::unexpected(found.error());
        }
    }
    return list;
}

Result<Environment> Store::environment(std::int64_t projectId, const QString& name) {
    auto q = m_vault.database().prepare("SELECT " COFFER_ENVIRONMENT_COLUMNS
                                        " FROM environments e WHERE e.project_id = ?1 AND e.name = ?2");
    if (!q) {
        return std::unexpected(q.error());
    }
    auto row = q->bind(1, projectId).bind(2, name).step();
    if (!row) {
        return std::unexpected(row.error());
    }
    if (!*row) {
        return fail(ErrorCode::NotFound, QStringLiteral("no environment named %1").arg(name));
    }
    return readEnvironment(*q);
}

Result<void> Store::renameEnvironment(std::int64_t environmentId, const QString& newName) {
    if (auto ok = checkScopeName(newName); !ok) {
        return ok;
    }
    Database& db = m_vault.database();
    return db.transaction([&]() -> Result<void> {
        const auto current = loadEnvironment(db, environmentId);
        if (!current) {
            return std::unexpected(current.error());
        }
        if (current->env.name == newName) {
            return {};
        }
        // The protected mark stays as it is: renaming "prod" must never quietly unprotect it.
        if (auto ok = execute(db, "UPDATE environments SET name = ?1 WHERE id = ?2", newName, environmentId); !ok) {
            return taken(ok.error(), QStringLiteral("environment %1 in project %2").arg(newName, current->project));
        }
        return audit(QStringLiteral("rename-environment"), current->project, newName, {},
                     QStringLiteral("renamed from %1").arg(current->env.name));
    });
}

Result<void> Store::setProtected(std::int64_t environmentId, bool isProtected) {
    Database& db = m_vault.database();
    return db.transaction([&]() -> Result<void> {
        const auto current = loadEnvironment(db, environmentId);
        if (!current) {
            return std::unexpected(current.error());
        }
        if (current->env.isProtected == isProtected) {
            return {};
        }
        if (auto ok = execute(db, "UPDATE environments SET is_protected = ?1 WHERE id = ?2", isProtected ? 1 : 0,
                              environmentId);
            !ok) {
            return ok;
        }
        return audit(isProtected ? QStringLiteral("protect") : QStringLiteral("unprotect"), current->project,
                     current->env.name, {});
    });
}

Result<void> Store::setColour(std::int64_t environmentId, const QString& colour) {
    static const QRegularExpression kColour(QStringLiteral("^#[0-9a-fA-F]{6}$"));
    if (!colour.isEmpty() && !kColour.match(colour).hasMatch()) {
        // No better code in ErrorCode: like a bad name, it is a malformed identifier-like input.
        return fail(ErrorCode::InvalidName, QStringLiteral("a colour is written #rrggbb, or empty for the default"));
    }
    if (auto ok = execute(m_vault.database(), "UPDATE environments SET colour = ?1 WHERE id = ?2", colour.toLower(),
                          environmentId);
        !ok) {
        return ok;
    }
    if (m_vault.database().changes() == 0) {
        return fail(ErrorCode::NotFound, QStringLiteral("no environment with id %1").arg(environmentId));
    }
    return {};
}

Result<void> Store::moveEnvironment(std::int64_t environmentId, int position) {
    Database& db = m_vault.database();
    return db.transaction([&]() -> Result<void> {
        const auto current = loadEnvironment(db, environmentId);
        if (!current) {
            return std::unexpected(current.error());
        }
        std::vector<std::int64_t> ids;
        {
            auto q = db.prepare("SELECT id FROM environments WHERE project_id = ?1 ORDER BY position, id");
            if (!q) {
                return std::unexpected(q.error());
            }
            q->bind(1, current->env.projectId);
            auto read = readIds(*q);
            if (!read) {
                return std::unexpected(read.error());
            }
            ids = std::move(*read);
        }
        return renumber(db, "UPDATE environments SET position = ?2 WHERE id = ?1", std::move(ids), environmentId,
                        position);
    });
}

Result<void> Store::removeEnvironment(std::int64_t environmentId, bool force) {
    Database& db = m_vault.database();
    return db.transaction([&]() -> Result<void> {
        const auto current = loadEnvironment(db, environmentId);
        if (!current) {
            return std::unexpected(current.error());
        }
        const auto contents = contentsOf(db,
                                         "SELECT 0, count(CASE WHEN deleted = 0 THEN 1 END), "
                                         "count(CASE WHEN deleted = 1 THEN 1 END), coalesce(sum(version), 0) "
                                         "FROM secrets WHERE environment_id = ?1",
                                         environmentId);
        if (!contents) {
            return std::unexpected(contents.error());
        }
        if (contents->liveSecrets > 0 && !force) {
            return fail(ErrorCode::NotEmpty,
                        QStringLiteral("environment %1 holds %2").arg(current->env.name, contents->describe(false)));
        }
        if (auto ok = execute(db, "DELETE FROM environments WHERE id = ?1", environmentId); !ok) {
            return ok;
        }
        if (auto ok =
                execute(db, "UPDATE environments SET position = position - 1 WHERE project_id = ?1 AND position > ?2",
                        current->env.projectId, static_cast<std::int64_t>(current->env.position));
            !ok) {
            return ok;
        }
        const QString detail =
            contents->liveSecrets + contents->deletedSecrets == 0
                ? QStringLiteral("was empty")
                : QStringLiteral("removed %1, %2")
                      .arg(contents->describe(false), plural(contents->versions, "version", "versions"));
        return audit(QStringLiteral("remove-environment"), current->project, current->env.name, {}, detail);
    });
}

} // namespace coffer::model
