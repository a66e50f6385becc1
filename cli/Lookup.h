// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/Address.h"
#include "cli/ExitCode.h"
#include "cli/Session.h"
#include "model/Store.h"

#include <utility>

namespace coffer::cli {

/// Unlocks the vault and runs `body` with a Store whose author is the OS user.
template <typename F> [[nodiscard]] Outcome<void> withStore(const Session& session, F&& body) {
    auto vault = session.unlock();
    if (!vault) {
        return std::unexpected(vault.error());
    }
    model::Store store(*vault, Session::author());
    return std::forward<F>(body)(store);
}

[[nodiscard]] Outcome<model::Project> findProject(model::Store& store, const QString& name);
[[nodiscard]] Outcome<model::Environment> findEnvironment(model::Store& store, const Address& address);

/// The secret at a PROJECT/ENV/NAME address. A deleted one only with `includeDeleted`; otherwise its
/// NotFound message says it was deleted and how to bring it back.
[[nodiscard]] Outcome<model::SecretSummary> findSecret(model::Store& store, const model::Environment& environment,
                                                       const Address& address, bool includeDeleted);

/// A secret with the environment that holds it.
struct LocatedSecret {
    model::Environment environment;
    model::SecretSummary secret;
};

/// findEnvironment() then findSecret() for a PROJECT/ENV/NAME address.
[[nodiscard]] Outcome<LocatedSecret> locateSecret(model::Store& store, const Address& address, bool includeDeleted);

/// Parses the first argument as an address of `depth` parts.
[[nodiscard]] Outcome<Address> addressArgument(const Session& session, int depth);

} // namespace coffer::cli
