// SPDX-License-Identifier: Apache-2.0
// import (a .env or JSON file into an environment, all or nothing) and `dotenv parse` (what Coffer reads).
#include "cli/Commands.h"
#include "cli/DotenvFiles.h"
#include "cli/Lookup.h"
#include "cli/Output.h"
#include "model/DotenvImport.h"

#include <QFileInfo>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace coffer::cli::commands {

namespace {

QString changeText(model::dotenv::Change change) {
    switch (change) {
    case model::dotenv::Change::Added:
        return u"added"_s;
    case model::dotenv::Change::Changed:
        return u"changed"_s;
    case model::dotenv::Change::Unchanged:
        return u"unchanged"_s;
    }
    return {};
}

void printPreview(const QString& path, const Address& address, const model::dotenv::ImportPlan& plan) {
    printLine(u"Import %1 into %2 (values not shown):"_s.arg(path, address.text()));
    QList<QStringList> rows{{u"NAME"_s, u"CHANGE"_s}};
    for (std::size_t i = 0; i < plan.entries.size(); ++i) {
        rows.append({plan.entries[i].name, changeText(plan.changes[i])});
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
    auto entries = readEntries(path, *dialect);
    if (!entries) {
        return std::unexpected(entries.error());
    }
    if (auto checked = model::dotenv::checkEntries(*entries); !checked) {
        return std::unexpected(fileFailure(path, checked.error(), u"; nothing was imported"_s));
    }
    const bool dryRun = session.flag(u"dry-run"_s);
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto environment = findEnvironment(store, *address);
        if (!environment) {
            return std::unexpected(environment.error());
        }
        const auto plan = model::dotenv::planImport(store, environment->id, std::move(*entries));
        if (!plan) {
            return std::unexpected(fileFailure(path, plan.error(), u"; nothing was imported"_s));
        }
        printPreview(path, *address, *plan);
        const QString counts = plan->countsText();
        if (dryRun) {
            printLine(u"Dry run: nothing was written (%1)."_s.arg(counts));
            return {};
        }
        // All or nothing: the first failure rolls every change back. Unchanged names write no version.
        if (auto applied = model::dotenv::applyImport(store, address->project, *environment, *plan,
                                                      QFileInfo(path).absoluteFilePath());
            !applied) {
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
