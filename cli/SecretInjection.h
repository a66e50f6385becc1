// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/Address.h"
#include "cli/ExitCode.h"

#include <QString>
#include <QStringList>

#include <cstddef>
#include <span>
#include <vector>

namespace coffer::cli {

class Session;

/// One `coffer://PROJECT/ENV/NAME` in a text: where it is and what it names.
struct CofferReference {
    std::size_t offset = 0;
    std::size_t length = 0;
    Address address;
};

/// Every `coffer://PROJECT/ENV/NAME` in `text`, in order. PROJECT and ENV run over the characters a scope
/// name may hold and NAME over those a secret name may hold, so the reference ends at the first other
/// character (`coffer://web/dev/DB_URL.` stops before the dot). A `coffer://` that is not followed by a
/// complete reference is a usage failure naming its line: better than a file left half-injected.
[[nodiscard]] Outcome<std::vector<CofferReference>> findCofferReferences(std::span<const std::byte> text);

/// Whether an environment variable of this name changes how programs load or start (LD_PRELOAD,
/// NODE_OPTIONS, BASH_ENV, ...): `run` refuses to set those unless --allow-name names them.
[[nodiscard]] bool changesProgramLoading(const QString& name);

/// The names in `names` that changesProgramLoading() refuses and `allowed` does not list.
[[nodiscard]] QStringList refusedNames(const QStringList& names, const QStringList& allowed);

/// Asks "QUESTION [y/N]" on the controlling terminal (stdin and stdout may be pipes). --yes answers it;
/// without a terminal and without --yes it is refused (exit 5), never waited for.
[[nodiscard]] Outcome<void> confirmOnTerminal(const Session& session, const QString& question,
                                              const QString& cancelled);

} // namespace coffer::cli
