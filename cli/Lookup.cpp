// SPDX-License-Identifier: Apache-2.0
#include "cli/Lookup.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace coffer::cli {

Outcome<model::Project> findProject(model::Store& store, const QString& name) {
    return lift(store.project(name));
}

Outcome<model::Environment> findEnvironment(model::Store& store, const Address& address) {
    const auto project = findProject(store, address.project);
    if (!project) {
        return std::unexpected(project.error());
    }
    return lift(store.environment(project->id, address.environment));
}

Outcome<model::SecretSummary> findSecret(model::Store& store, const model::Environment& environment,
                                         const Address& address, bool includeDeleted) {
    auto secret = store.secret(environment.id, address.secret, includeDeleted);
    if (secret || includeDeleted || secret.error().code != model::ErrorCode::NotFound) {
        return lift(std::move(secret));
    }
    const auto deleted = store.secret(environment.id, address.secret, true);
    if (!deleted || !deleted->deleted) {
        return lift(std::move(secret));
    }
    const QString where = address.text();
    return fail(ExitCode::NotFound,
                u"%1 was deleted (version %2); see its versions with `coffer-cli history %1` and bring it back "
                u"with `coffer-cli restore %1 --version %3`"_s.arg(where)
                    .arg(deleted->version)
                    .arg(std::max(1, deleted->version - 1)));
}

Outcome<LocatedSecret> locateSecret(model::Store& store, const Address& address, bool includeDeleted) {
    auto environment = findEnvironment(store, address);
    if (!environment) {
        return std::unexpected(environment.error());
    }
    auto secret = findSecret(store, *environment, address, includeDeleted);
    if (!secret) {
        return std::unexpected(secret.error());
    }
    return LocatedSecret{std::move(*environment), std::move(*secret)};
}

Outcome<Address> addressArgument(const Session& session, int depth) {
    return parseAddress(session.argument(0), depth);
}

} // namespace coffer::cli
