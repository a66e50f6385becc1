// SPDX-License-Identifier: Apache-2.0
// diff: which names two environments share and whether their values match, never the values.
#include "cli/Commands.h"
#include "cli/Lookup.h"
#include "cli/Output.h"
#include "model/Compare.h"

#include <QJsonArray>
#include <QJsonObject>

#include <map>

using namespace Qt::StringLiterals;

namespace coffer::cli::commands {

namespace {

struct Comparison {
    QStringList onlyInA;
    QStringList onlyInB;
    QStringList equal;
    QStringList different;
};

/// The live secrets of the addressed environment with keyed digests of their values.
Outcome<model::EnvironmentDigests> digestsOf(model::Store& store, const Address& address) {
    auto environment = findEnvironment(store, address);
    if (!environment) {
        return std::unexpected(environment.error());
    }
    auto digests = store.valueDigests(environment->id);
    if (!digests) {
        return std::unexpected(failure(digests.error()));
    }
    return model::EnvironmentDigests{std::move(*environment), std::move(*digests)};
}

/// The matrix of model/Compare.h with two columns: values compared as stored (references not resolved), by
/// keyed digest, so no value is ever copied out of the vault.
Comparison compare(const model::EnvironmentDigests& a, const model::EnvironmentDigests& b) {
    Comparison result;
    for (const auto& row : model::buildMatrix({a, b}).rows) {
        const auto& left = row.cells[0];
        const auto& right = row.cells[1];
        if (!right.present) {
            result.onlyInA.append(row.name);
        } else if (!left.present) {
            result.onlyInB.append(row.name);
        } else {
            (left.group == right.group ? result.equal : result.different).append(row.name);
        }
    }
    return result;
}

} // namespace

Outcome<void> diff(Session& session) {
    const auto a = parseAddress(session.argument(0), 2);
    if (!a) {
        return std::unexpected(a.error());
    }
    const auto b = parseAddress(session.argument(1), 2);
    if (!b) {
        return std::unexpected(b.error());
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto digestsA = digestsOf(store, *a);
        if (!digestsA) {
            return std::unexpected(digestsA.error());
        }
        const auto digestsB = digestsOf(store, *b);
        if (!digestsB) {
            return std::unexpected(digestsB.error());
        }
        const auto result = compare(*digestsA, *digestsB);
        if (session.flag(u"json"_s)) {
            printJson(QJsonObject{{u"a"_s, a->text()},
                                  {u"b"_s, b->text()},
                                  {u"onlyInA"_s, QJsonArray::fromStringList(result.onlyInA)},
                                  {u"onlyInB"_s, QJsonArray::fromStringList(result.onlyInB)},
                                  {u"equal"_s, QJsonArray::fromStringList(result.equal)},
                                  {u"different"_s, QJsonArray::fromStringList(result.different)}});
            return {};
        }
        std::map<QString, QString> states;
        for (const auto& name : result.onlyInA) {
            states[name] = u"only in %1"_s.arg(a->text());
        }
        for (const auto& name : result.onlyInB) {
            states[name] = u"only in %1"_s.arg(b->text());
        }
        for (const auto& name : result.equal) {
            states[name] = u"equal"_s;
        }
        for (const auto& name : result.different) {
            states[name] = u"different"_s;
        }
        if (states.empty()) {
            return {};
        }
        QList<QStringList> rows{{u"NAME"_s, u"STATE"_s}};
        for (const auto& [name, state] : states) {
            rows.append({name, state});
        }
        printOut(formatTable(rows));
        return {};
    });
}

} // namespace coffer::cli::commands
