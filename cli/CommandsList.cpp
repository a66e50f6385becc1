// SPDX-License-Identifier: Apache-2.0
// ls and history: what the vault holds and how it changed, never a value.
#include "agent/VaultReads.h"
#include "cli/AgentAccess.h"
#include "cli/Commands.h"
#include "cli/Listing.h"
#include "cli/Lookup.h"
#include "cli/Output.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace coffer::cli {

namespace {

QString changeName(model::VersionKind kind) {
    switch (kind) {
    case model::VersionKind::Created:
        return u"created"_s;
    case model::VersionKind::Updated:
        return u"updated"_s;
    case model::VersionKind::Renamed:
        return u"renamed"_s;
    case model::VersionKind::Deleted:
        return u"deleted"_s;
    case model::VersionKind::Restored:
        return u"restored"_s;
    }
    return u"changed"_s;
}

} // namespace

void printProjects(const std::vector<agent::reads::ProjectRow>& rows, bool json) {
    if (!json) {
        for (const auto& row : rows) {
            printLine(row.name);
        }
        return;
    }
    QJsonArray items;
    for (const auto& row : rows) {
        items.append(QJsonObject{{u"name"_s, row.name}, {u"environments"_s, row.environments}});
    }
    printJson(QJsonObject{{u"projects"_s, items}});
}

void printEnvironments(const agent::reads::EnvironmentRows& environments, bool json) {
    if (!json) {
        QList<QStringList> rows;
        for (const auto& row : environments.rows) {
            rows << QStringList{row.name, row.isProtected ? u"protected"_s : QString()};
        }
        printOut(formatTable(rows));
        return;
    }
    QJsonArray items;
    for (const auto& row : environments.rows) {
        items.append(
            QJsonObject{{u"name"_s, row.name}, {u"protected"_s, row.isProtected}, {u"secrets"_s, row.secrets}});
    }
    printJson(QJsonObject{{u"project"_s, environments.project}, {u"environments"_s, items}});
}

void printSecrets(const agent::reads::SecretRows& listing, const Address& address, bool json) {
    const auto& secrets = listing.secrets;
    if (!json) {
        if (secrets.empty()) {
            return;
        }
        QList<QStringList> rows{{u"NAME"_s, u"VERSION"_s, u"UPDATED"_s, u"BY"_s, u"TAGS"_s}};
        for (const auto& secret : secrets) {
            rows << QStringList{secret.deleted ? secret.name + u" (deleted)"_s : secret.name,
                                QString::number(secret.version), isoTime(secret.updatedAt), secret.updatedBy,
                                secret.tags.join(u',')};
        }
        printOut(formatTable(rows));
        return;
    }
    QJsonArray items;
    for (const auto& secret : secrets) {
        items.append(QJsonObject{{u"name"_s, secret.name},
                                 {u"version"_s, secret.version},
                                 {u"updatedAt"_s, isoTime(secret.updatedAt)},
                                 {u"updatedBy"_s, secret.updatedBy},
                                 {u"tags"_s, QJsonArray::fromStringList(secret.tags)},
                                 {u"note"_s, secret.note},
                                 {u"deleted"_s, secret.deleted}});
    }
    printJson(
        QJsonObject{{u"project"_s, address.project}, {u"environment"_s, listing.environment}, {u"secrets"_s, items}});
}

Outcome<void> listProjects(model::Store& store, bool json) {
    const auto rows = agent::reads::projectRows(store, json);
    if (!rows) {
        return std::unexpected(readFailure(rows.error()));
    }
    printProjects(*rows, json);
    return {};
}

Outcome<void> listEnvironments(model::Store& store, const QString& projectName, bool json) {
    const auto rows = agent::reads::environmentRows(store, projectName, json);
    if (!rows) {
        return std::unexpected(readFailure(rows.error()));
    }
    printEnvironments(*rows, json);
    return {};
}

Outcome<void> listSecrets(model::Store& store, const Address& address, bool json, bool includeDeleted) {
    const auto rows = agent::reads::secretRows(store, {address.project, address.environment, {}}, includeDeleted);
    if (!rows) {
        return std::unexpected(readFailure(rows.error()));
    }
    printSecrets(*rows, address, json);
    return {};
}

namespace {

/// ls through the agent: the same rows, printed by the same functions. nullopt: fall back to the own unlock.
std::optional<Outcome<void>> listThroughAgent(const Session& session, const std::optional<Address>& scope, bool json,
                                              bool includeDeleted) {
    const auto target = agentTarget(session);
    if (!target) {
        return std::nullopt;
    }
    auto answered = [](const agent::client::Refusal& refusal) -> std::optional<Outcome<void>> {
        if (auto failed = agentFailure(refusal)) {
            return Outcome<void>(std::unexpected(*failed));
        }
        return std::nullopt;
    };
    if (!scope) {
        const auto rows = agent::client::projects(*target, json);
        if (!rows) {
            return answered(rows.error());
        }
        printProjects(*rows, json);
        return Outcome<void>();
    }
    if (scope->depth() == 1) {
        const auto rows = agent::client::environments(*target, scope->project, json);
        if (!rows) {
            return answered(rows.error());
        }
        printEnvironments(*rows, json);
        return Outcome<void>();
    }
    const auto rows = agent::client::secrets(*target, {scope->project, scope->environment, {}}, includeDeleted);
    if (!rows) {
        return answered(rows.error());
    }
    printSecrets(*rows, *scope, json);
    return Outcome<void>();
}

} // namespace

namespace commands {

Outcome<void> list(Session& session) {
    std::optional<Address> scope;
    if (!session.arguments().isEmpty()) {
        auto parsed = parseScope(session.argument(0));
        if (!parsed) {
            return std::unexpected(parsed.error());
        }
        scope = std::move(*parsed);
    }
    const bool json = session.flag(u"json"_s);
    if (session.flag(u"deleted"_s) && (!scope || scope->depth() != 2)) {
        return usageError(u"--deleted lists deleted secrets, so it needs PROJECT/ENV"_s);
    }
    if (auto served = listThroughAgent(session, scope, json, session.flag(u"deleted"_s))) {
        return *served;
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        if (!scope) {
            return listProjects(store, json);
        }
        if (scope->depth() == 1) {
            return listEnvironments(store, scope->project, json);
        }
        return listSecrets(store, *scope, json, session.flag(u"deleted"_s));
    });
}

Outcome<void> history(Session& session) {
    const auto address = addressArgument(session, 3);
    if (!address) {
        return std::unexpected(address.error());
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto located = locateSecret(store, *address, true);
        if (!located) {
            return std::unexpected(located.error());
        }
        const auto& secret = located->secret;
        const auto versions = store.history(secret.id);
        if (!versions) {
            return std::unexpected(failure(versions.error()));
        }
        if (session.flag(u"json"_s)) {
            QJsonArray items;
            for (const auto& version : *versions) {
                QJsonObject item{{u"version"_s, version.version},
                                 {u"change"_s, changeName(version.kind)},
                                 {u"at"_s, isoTime(version.at)},
                                 {u"by"_s, version.author},
                                 {u"name"_s, version.name},
                                 {u"note"_s, version.note},
                                 {u"tags"_s, QJsonArray::fromStringList(version.tags)},
                                 {u"deleted"_s, version.deleted}};
                if (version.kind == model::VersionKind::Restored) {
                    item.insert(u"restoredFrom"_s, version.restoredFrom);
                }
                items.append(item);
            }
            printJson(QJsonObject{{u"secret"_s, address->text()}, {u"versions"_s, items}});
            return {};
        }
        QList<QStringList> rows{{u"VERSION"_s, u"CHANGE"_s, u"AT"_s, u"BY"_s, u"NAME"_s, u"TAGS"_s}};
        for (const auto& version : *versions) {
            QString change = changeName(version.kind);
            if (version.kind == model::VersionKind::Restored) {
                change += u" from %1"_s.arg(version.restoredFrom);
            }
            rows << QStringList{
                QString::number(version.version), change, isoTime(version.at), version.author, version.name,
                version.tags.join(u',')};
        }
        printOut(formatTable(rows));
        return {};
    });
}

} // namespace commands
} // namespace coffer::cli
