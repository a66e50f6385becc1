// SPDX-License-Identifier: Apache-2.0
#include "agent/VaultReads.h"

#include "model/DotenvExport.h"
#include "model/References.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace coffer::agent::reads {

namespace {

template <typename T> Read<T> lifted(model::Result<T>&& result) {
    if (!result) {
        return std::unexpected(readError(result.error()));
    }
    return std::move(*result);
}

void addScope(QStringList& scopes, const model::Environment& environment, const QString& scope) {
    if (environment.isProtected && !scopes.contains(scope)) {
        scopes << scope;
    }
}

/// A referenced secret's value, references resolved (run's masking, inject).
Read<crypto::SecureBuffer> referencedValue(model::Store& store, const Path& path, model::Environment* where) {
    auto environment = findEnvironment(store, path);
    if (!environment) {
        environment.error().lookup = true;
        return std::unexpected(environment.error());
    }
    auto secret = findSecret(store, *environment, path, false);
    if (!secret) {
        secret.error().lookup = true;
        return std::unexpected(secret.error());
    }
    auto stored = lifted(store.value(secret->id));
    if (!stored) {
        return std::unexpected(stored.error());
    }
    if (where != nullptr) {
        *where = *environment;
    }
    return lifted(model::resolveReferences(store, environment->id, std::move(*stored)));
}

} // namespace

ReadError readError(const model::Error& error) {
    return ReadError{error.code, error.message(), {}, false};
}

QString Path::text() const {
    return name.isEmpty() ? scope() : scope() + u'/' + name;
}

Read<model::Environment> findEnvironment(model::Store& store, const Path& path) {
    const auto project = lifted(store.project(path.project));
    if (!project) {
        return std::unexpected(project.error());
    }
    return lifted(store.environment(project->id, path.environment));
}

Read<model::SecretSummary> findSecret(model::Store& store, const model::Environment& environment, const Path& path,
                                      bool includeDeleted) {
    auto secret = store.secret(environment.id, path.name, includeDeleted);
    if (secret || includeDeleted || secret.error().code != model::ErrorCode::NotFound) {
        return lifted(std::move(secret));
    }
    const auto deleted = store.secret(environment.id, path.name, true);
    if (!deleted || !deleted->deleted) {
        return lifted(std::move(secret));
    }
    const QString where = path.text();
    return std::unexpected(
        ReadError{model::ErrorCode::NotFound,
                  u"%1 was deleted (version %2); see its versions with `coffer-cli history %1` and bring it back "
                  u"with `coffer-cli restore %1 --version %3`"_s.arg(where)
                      .arg(deleted->version)
                      .arg(std::max(1, deleted->version - 1)),
                  {},
                  false});
}

Read<std::vector<ProjectRow>> projectRows(model::Store& store, bool counts) {
    const auto projects = lifted(store.projects());
    if (!projects) {
        return std::unexpected(projects.error());
    }
    std::vector<ProjectRow> rows;
    for (const auto& project : *projects) {
        ProjectRow row{project.name, 0};
        if (counts) {
            const auto environments = lifted(store.environments(project.id));
            if (!environments) {
                return std::unexpected(environments.error());
            }
            row.environments = static_cast<qint64>(environments->size());
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

Read<EnvironmentRows> environmentRows(model::Store& store, const QString& projectName, bool counts) {
    const auto project = lifted(store.project(projectName));
    if (!project) {
        return std::unexpected(project.error());
    }
    const auto environments = lifted(store.environments(project->id));
    if (!environments) {
        return std::unexpected(environments.error());
    }
    EnvironmentRows rows{project->name, {}};
    for (const auto& environment : *environments) {
        EnvironmentRow row{environment.name, environment.isProtected, 0};
        if (counts) {
            const auto secrets = lifted(store.secrets(environment.id));
            if (!secrets) {
                return std::unexpected(secrets.error());
            }
            row.secrets = static_cast<qint64>(secrets->size());
        }
        rows.rows.push_back(std::move(row));
    }
    return rows;
}

Read<SecretRows> secretRows(model::Store& store, const Path& scope, bool includeDeleted) {
    const auto environment = findEnvironment(store, scope);
    if (!environment) {
        return std::unexpected(environment.error());
    }
    auto secrets = lifted(store.secrets(environment->id, includeDeleted));
    if (!secrets) {
        return std::unexpected(secrets.error());
    }
    return SecretRows{environment->name, std::move(*secrets)};
}

Read<Revealed> reveal(model::Store& store, const Path& path, std::optional<int> version, bool raw) {
    const auto environment = findEnvironment(store, path);
    if (!environment) {
        return std::unexpected(environment.error());
    }
    const auto secret = findSecret(store, *environment, path, version.has_value());
    if (!secret) {
        return std::unexpected(secret.error());
    }
    auto stored = lifted(store.value(secret->id, version));
    if (!stored) {
        return std::unexpected(stored.error());
    }
    // Resolved before the audit: a reference that cannot be resolved reveals nothing.
    auto value = raw ? Read<crypto::SecureBuffer>(std::move(*stored))
                     : lifted(model::resolveReferences(store, environment->id, std::move(*stored)));
    if (!value) {
        return std::unexpected(value.error());
    }
    return Revealed{std::move(*value), version.value_or(secret->version), environment->isProtected};
}

QString revealDetail(int version) {
    return u"coffer-cli get, version %1"_s.arg(version);
}

Read<Gathered> exportValues(model::Store& store, const Path& scope) {
    const auto environment = findEnvironment(store, scope);
    if (!environment) {
        return std::unexpected(environment.error());
    }
    auto entries = model::dotenv::environmentEntries(store, environment->id);
    if (!entries) {
        return std::unexpected(ReadError{entries.error().code, entries.error().message, {}, false});
    }
    Gathered gathered;
    for (auto& entry : *entries) {
        gathered.variables.push_back(Variable{entry.name, std::move(entry.value), true});
    }
    addScope(gathered.protectedScopes, *environment, scope.scope());
    return gathered;
}

Read<Gathered> runValues(model::Store& store, const Path& scope) {
    const auto environment = findEnvironment(store, scope);
    if (!environment) {
        return std::unexpected(environment.error());
    }
    const auto secrets = lifted(store.secrets(environment->id));
    if (!secrets) {
        return std::unexpected(secrets.error());
    }
    Gathered gathered;
    for (const auto& secret : *secrets) {
        auto stored = lifted(store.value(secret.id));
        if (!stored) {
            return std::unexpected(stored.error());
        }
        auto resolved = lifted(model::resolveReferences(store, environment->id, std::move(*stored)));
        if (!resolved) {
            resolved.error().message.prepend(u"%1/%2: "_s.arg(scope.scope(), secret.name));
            return std::unexpected(resolved.error());
        }
        gathered.variables.push_back(Variable{secret.name, std::move(*resolved), true});
    }
    addScope(gathered.protectedScopes, *environment, scope.scope());
    return gathered;
}

Read<Gathered> templateValues(model::Store& store, const Path& scope, const std::vector<TemplateLine>& lines,
                              const std::vector<Path>& references) {
    const auto environment = findEnvironment(store, scope);
    if (!environment) {
        return std::unexpected(environment.error());
    }
    Gathered gathered;
    for (const auto& line : lines) {
        auto resolved = lifted(model::resolveReferences(store, environment->id, line.text.bytes()));
        if (!resolved) {
            resolved.error().message.prepend(u"%1 in the template: "_s.arg(line.name));
            return std::unexpected(resolved.error());
        }
        gathered.variables.push_back(Variable{line.name, std::move(*resolved), line.secret});
    }
    addScope(gathered.protectedScopes, *environment, scope.scope());
    for (const auto& reference : references) {
        model::Environment target;
        auto value = referencedValue(store, reference, &target);
        if (!value) {
            return std::unexpected(value.error());
        }
        addScope(gathered.protectedScopes, target, reference.scope());
        gathered.referenced.push_back(std::move(*value));
    }
    return gathered;
}

Read<Gathered> referenceValues(model::Store& store, const std::vector<Path>& references) {
    Gathered gathered;
    for (const auto& reference : references) {
        model::Environment environment;
        auto value = referencedValue(store, reference, &environment);
        if (!value) {
            value.error().reference = reference.text();
            return std::unexpected(value.error());
        }
        addScope(gathered.protectedScopes, environment, reference.scope());
        gathered.variables.push_back(Variable{reference.text(), std::move(*value), true});
    }
    return gathered;
}

QString runDetail(const QString& program, const QStringList& names) {
    return u"coffer-cli run %1; names: %2"_s.arg(program, names.join(u", "_s));
}

QString injectDetail(const QString& input, const QString& where, const QStringList& names) {
    return u"coffer-cli inject %1 to %2; names: %3"_s.arg(input, where, names.join(u", "_s));
}

} // namespace coffer::agent::reads
