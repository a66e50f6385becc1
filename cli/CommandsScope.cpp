// SPDX-License-Identifier: Apache-2.0
// project and env: adding, listing, renaming and removing the places secrets live in.
#include "cli/Commands.h"
#include "cli/Listing.h"
#include "cli/Lookup.h"
#include "cli/Output.h"
#include "model/Names.h"

using namespace Qt::StringLiterals;

namespace coffer::cli::commands {

namespace {

QString countOf(qsizetype count, const QString& one, const QString& many) {
    return count == 0 ? u"no "_s + many : u"%1 %2"_s.arg(count).arg(count == 1 ? one : many);
}

QString secretsText(qsizetype count) {
    return countOf(count, u"secret"_s, u"secrets"_s);
}

/// "2 environments (dev: 3 secrets, prod: no secrets)", and the total of secrets.
Outcome<std::pair<QString, qsizetype>> describeProject(model::Store& store, const model::Project& project) {
    const auto environments = store.environments(project.id);
    if (!environments) {
        return std::unexpected(failure(environments.error()));
    }
    QStringList parts;
    qsizetype total = 0;
    for (const auto& environment : *environments) {
        const auto secrets = store.secrets(environment.id);
        if (!secrets) {
            return std::unexpected(failure(secrets.error()));
        }
        total += static_cast<qsizetype>(secrets->size());
        parts << u"%1: %2"_s.arg(environment.name, secretsText(static_cast<qsizetype>(secrets->size())));
    }
    QString text = countOf(static_cast<qsizetype>(environments->size()), u"environment"_s, u"environments"_s);
    if (!parts.isEmpty()) {
        text += u" ("_s + parts.join(u", "_s) + u')';
    }
    return std::pair{text, total};
}

/// "3 secrets (A, B, C)", naming at most ten.
Outcome<QString> describeEnvironment(model::Store& store, const model::Environment& environment) {
    const auto secrets = store.secrets(environment.id);
    if (!secrets) {
        return std::unexpected(failure(secrets.error()));
    }
    constexpr std::size_t kNamed = 10;
    QStringList names;
    for (std::size_t i = 0; i < secrets->size() && i < kNamed; ++i) {
        names << (*secrets)[i].name;
    }
    if (secrets->size() > kNamed) {
        names << u"and %1 more"_s.arg(secrets->size() - kNamed);
    }
    QString text = secretsText(static_cast<qsizetype>(secrets->size()));
    if (!names.isEmpty()) {
        text += u" ("_s + names.join(u", "_s) + u')';
    }
    return text;
}

Outcome<void> checkScopeName(const QString& name) {
    return lift(model::checkScopeName(name));
}

} // namespace

Outcome<void> projectAdd(Session& session) {
    const QString name = session.argument(0);
    if (auto valid = checkScopeName(name); !valid) {
        return valid;
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto project = store.addProject(name);
        if (!project) {
            return std::unexpected(failure(project.error()));
        }
        printLine(u"Created the project %1."_s.arg(project->name));
        return {};
    });
}

Outcome<void> projectList(Session& session) {
    return withStore(session, [&](model::Store& store) { return listProjects(store, session.flag(u"json"_s)); });
}

Outcome<void> projectRemove(Session& session) {
    const auto address = addressArgument(session, 1);
    if (!address) {
        return std::unexpected(address.error());
    }
    const bool force = session.flag(u"force"_s);
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto project = findProject(store, address->project);
        if (!project) {
            return std::unexpected(project.error());
        }
        const auto contents = describeProject(store, *project);
        if (!contents) {
            return std::unexpected(contents.error());
        }
        if (auto removed = store.removeProject(project->id, force); !removed) {
            if (removed.error().code == model::ErrorCode::NotEmpty) {
                return fail(ExitCode::Failed,
                            u"the project %1 is not empty: it holds %2; to remove it with everything in it and all "
                            u"history: coffer-cli project rm %1 --force"_s.arg(project->name, contents->first));
            }
            return std::unexpected(failure(removed.error()));
        }
        printLine(u"Removed the project %1 (it held %2)."_s.arg(project->name, contents->first));
        return {};
    });
}

Outcome<void> projectRename(Session& session) {
    const QString newName = session.argument(1);
    if (auto valid = checkScopeName(newName); !valid) {
        return valid;
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto project = findProject(store, session.argument(0));
        if (!project) {
            return std::unexpected(project.error());
        }
        if (auto renamed = store.renameProject(project->id, newName); !renamed) {
            return std::unexpected(failure(renamed.error()));
        }
        printLine(u"Renamed the project %1 to %2."_s.arg(project->name, newName));
        return {};
    });
}

Outcome<void> envAdd(Session& session) {
    const auto address = addressArgument(session, 2);
    if (!address) {
        return std::unexpected(address.error());
    }
    if (session.flag(u"protected"_s) && session.flag(u"unprotected"_s)) {
        return usageError(u"--protected and --unprotected contradict each other; give one of them"_s);
    }
    std::optional<bool> isProtected;
    if (session.flag(u"protected"_s) || session.flag(u"unprotected"_s)) {
        isProtected = session.flag(u"protected"_s);
    }
    if (auto valid = checkScopeName(address->environment); !valid) {
        return valid;
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto project = findProject(store, address->project);
        if (!project) {
            return std::unexpected(project.error());
        }
        const auto environment = store.addEnvironment(project->id, address->environment, isProtected);
        if (!environment) {
            return std::unexpected(failure(environment.error()));
        }
        printLine(u"Created the environment %1/%2%3."_s.arg(project->name, environment->name,
                                                            environment->isProtected ? u" (protected)"_s : QString()));
        return {};
    });
}

Outcome<void> envList(Session& session) {
    const auto address = addressArgument(session, 1);
    if (!address) {
        return std::unexpected(address.error());
    }
    return withStore(session, [&](model::Store& store) {
        return listEnvironments(store, address->project, session.flag(u"json"_s));
    });
}

Outcome<void> envRemove(Session& session) {
    const auto address = addressArgument(session, 2);
    if (!address) {
        return std::unexpected(address.error());
    }
    const bool force = session.flag(u"force"_s);
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto environment = findEnvironment(store, *address);
        if (!environment) {
            return std::unexpected(environment.error());
        }
        const auto contents = describeEnvironment(store, *environment);
        if (!contents) {
            return std::unexpected(contents.error());
        }
        if (auto removed = store.removeEnvironment(environment->id, force); !removed) {
            if (removed.error().code == model::ErrorCode::NotEmpty) {
                return fail(ExitCode::Failed,
                            u"the environment %1 is not empty: it holds %2; to remove it with its secrets and their "
                            u"history: coffer-cli env rm %1 --force"_s.arg(address->text(), *contents));
            }
            return std::unexpected(failure(removed.error()));
        }
        printLine(u"Removed the environment %1 (it held %2)."_s.arg(address->text(), *contents));
        return {};
    });
}

Outcome<void> envRename(Session& session) {
    const auto address = addressArgument(session, 2);
    if (!address) {
        return std::unexpected(address.error());
    }
    const QString newName = session.argument(1);
    if (auto valid = checkScopeName(newName); !valid) {
        return valid;
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto environment = findEnvironment(store, *address);
        if (!environment) {
            return std::unexpected(environment.error());
        }
        if (auto renamed = store.renameEnvironment(environment->id, newName); !renamed) {
            return std::unexpected(failure(renamed.error()));
        }
        printLine(u"Renamed the environment %1 to %2/%3."_s.arg(address->text(), address->project, newName));
        return {};
    });
}

} // namespace coffer::cli::commands
