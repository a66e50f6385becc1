// SPDX-License-Identifier: Apache-2.0
// import (a .env or JSON file into an environment, all or nothing) and `dotenv parse` (what Coffer reads).
#include "cli/Commands.h"
#include "cli/DotenvFiles.h"
#include "cli/Lookup.h"
#include "cli/Output.h"
#include "model/Names.h"

#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace coffer::cli::commands {

namespace {

enum class Change { Added, Changed, Unchanged };

struct PlannedEntry {
    const model::dotenv::Entry* entry = nullptr;
    Change change = Change::Added;
};

/// Every name and size is checked before the vault is even opened: one bad entry means nothing is imported.
Outcome<void> checkEntries(const QString& path, const std::vector<model::dotenv::Entry>& entries) {
    for (const auto& entry : entries) {
        if (auto valid = model::checkSecretName(entry.name); !valid) {
            return usageError(u"%1:%2: '%3' is not a valid secret name (letters, digits and '_', not starting with a "
                              u"digit, at most 255 characters); nothing was imported"_s.arg(path)
                                  .arg(entry.line)
                                  .arg(entry.name.left(64)));
        }
        if (entry.value.size() > model::kMaxValueBytes) {
            return fail(ExitCode::Failed,
                        u"%1:%2: the value of %3 is larger than 1 MiB; nothing was imported"_s.arg(path)
                            .arg(entry.line)
                            .arg(entry.name));
        }
    }
    return {};
}

/// Compares with what the environment holds; values are compared in constant time and never shown.
Outcome<std::vector<PlannedEntry>> plan(model::Store& store, std::int64_t environmentId,
                                        const std::vector<model::dotenv::Entry>& entries) {
    std::vector<PlannedEntry> planned;
    planned.reserve(entries.size());
    for (const auto& entry : entries) {
        auto secret = store.secret(environmentId, entry.name);
        if (!secret) {
            if (secret.error().code != model::ErrorCode::NotFound) {
                return std::unexpected(failure(secret.error()));
            }
            planned.push_back({&entry, Change::Added});
            continue;
        }
        const auto current = store.value(secret->id);
        if (!current) {
            return std::unexpected(failure(current.error()));
        }
        planned.push_back({&entry, current->equals(entry.value.bytes()) ? Change::Unchanged : Change::Changed});
    }
    return planned;
}

QString changeText(Change change) {
    switch (change) {
    case Change::Added:
        return u"added"_s;
    case Change::Changed:
        return u"changed"_s;
    case Change::Unchanged:
        return u"unchanged"_s;
    }
    return {};
}

qsizetype countOf(const std::vector<PlannedEntry>& planned, Change change) {
    return std::count_if(planned.cbegin(), planned.cend(), [&](const PlannedEntry& p) { return p.change == change; });
}

void printPreview(const QString& path, const Address& address, const std::vector<PlannedEntry>& planned) {
    printLine(u"Import %1 into %2 (values not shown):"_s.arg(path, address.text()));
    QList<QStringList> rows{{u"NAME"_s, u"CHANGE"_s}};
    for (const auto& p : planned) {
        rows.append({p.entry->name, changeText(p.change)});
    }
    printOut(formatTable(rows));
}

} // namespace

Outcome<void> importEnvironment(Session& session) {
    const auto address = addressArgument(session, 2);
    if (!address) {
        return std::unexpected(address.error());
    }
    const QString path = session.argument(1);
    const auto dialect = dialectFor(session, path);
    if (!dialect) {
        return std::unexpected(dialect.error());
    }
    // The file is read and checked before the password is asked for: a broken file fails at once.
    const auto entries = readEntries(path, *dialect);
    if (!entries) {
        return std::unexpected(entries.error());
    }
    if (auto checked = checkEntries(path, *entries); !checked) {
        return checked;
    }
    const bool dryRun = session.flag(u"dry-run"_s);
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto environment = findEnvironment(store, *address);
        if (!environment) {
            return std::unexpected(environment.error());
        }
        const auto planned = plan(store, environment->id, *entries);
        if (!planned) {
            return std::unexpected(planned.error());
        }
        printPreview(path, *address, *planned);
        const auto added = countOf(*planned, Change::Added);
        const auto changed = countOf(*planned, Change::Changed);
        const auto unchanged = countOf(*planned, Change::Unchanged);
        const QString counts = u"%1 added, %2 changed, %3 unchanged"_s.arg(added).arg(changed).arg(unchanged);
        if (dryRun) {
            printLine(u"Dry run: nothing was written (%1)."_s.arg(counts));
            return {};
        }
        // All or nothing: the first failure rolls every change back. Unchanged names write no version.
        auto applied = store.transaction([&]() -> model::Result<void> {
            for (const auto& p : *planned) {
                if (p.change == Change::Unchanged) {
                    continue;
                }
                if (auto stored = store.setSecret(environment->id, p.entry->name, p.entry->value.bytes()); !stored) {
                    return std::unexpected(stored.error());
                }
            }
            return {};
        });
        if (!applied) {
            return fail(exitCodeFor(applied.error().code),
                        u"nothing was imported: %1"_s.arg(failure(applied.error()).message));
        }
        printLine(u"Imported into %1: %2."_s.arg(address->text(), counts));
        return {};
    });
}

Outcome<void> dotenvParse(Session& session) {
    const QString path = session.argument(0);
    const auto dialect = dialectFor(session, path);
    if (!dialect) {
        return std::unexpected(dialect.error());
    }
    const auto entries = readEntries(path, *dialect);
    if (!entries) {
        return std::unexpected(entries.error());
    }
    // The one command that prints values: it shows a user what Coffer reads from their own file, no vault.
    QJsonObject object;
    for (const auto& entry : *entries) {
        object.insert(entry.name, QString::fromUtf8(entry.value.view()));
    }
    printJson(object);
    return {};
}

} // namespace coffer::cli::commands
