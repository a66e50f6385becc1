// SPDX-License-Identifier: Apache-2.0
// diff: which names two environments share and whether their values match, never the values.
#include "cli/Commands.h"
#include "cli/Lookup.h"
#include "cli/Output.h"

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

/// Name -> secret id of the live secrets (ordered, so every list comes out sorted).
Outcome<std::map<QString, std::int64_t>> secretIds(model::Store& store, const Address& address) {
    const auto environment = findEnvironment(store, address);
    if (!environment) {
        return std::unexpected(environment.error());
    }
    const auto secrets = store.secrets(environment->id);
    if (!secrets) {
        return std::unexpected(failure(secrets.error()));
    }
    std::map<QString, std::int64_t> ids;
    for (const auto& secret : *secrets) {
        ids.emplace(secret.name, secret.id);
    }
    return ids;
}

/// Stored values are compared as stored (references not resolved), in constant time for equal sizes.
Outcome<Comparison> compare(model::Store& store, const std::map<QString, std::int64_t>& a,
                            const std::map<QString, std::int64_t>& b) {
    Comparison result;
    for (const auto& [name, id] : a) {
        const auto other = b.find(name);
        if (other == b.cend()) {
            result.onlyInA.append(name);
            continue;
        }
        const auto left = store.value(id);
        const auto right = store.value(other->second);
        if (!left || !right) {
            return std::unexpected(failure(left ? right.error() : left.error()));
        }
        (left->equals(right->bytes()) ? result.equal : result.different).append(name);
    }
    for (const auto& [name, id] : b) {
        if (!a.contains(name)) {
            result.onlyInB.append(name);
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
        const auto idsA = secretIds(store, *a);
        if (!idsA) {
            return std::unexpected(idsA.error());
        }
        const auto idsB = secretIds(store, *b);
        if (!idsB) {
            return std::unexpected(idsB.error());
        }
        const auto result = compare(store, *idsA, *idsB);
        if (!result) {
            return std::unexpected(result.error());
        }
        if (session.flag(u"json"_s)) {
            printJson(QJsonObject{{u"a"_s, a->text()},
                                  {u"b"_s, b->text()},
                                  {u"onlyInA"_s, QJsonArray::fromStringList(result->onlyInA)},
                                  {u"onlyInB"_s, QJsonArray::fromStringList(result->onlyInB)},
                                  {u"equal"_s, QJsonArray::fromStringList(result->equal)},
                                  {u"different"_s, QJsonArray::fromStringList(result->different)}});
            return {};
        }
        std::map<QString, QString> states;
        for (const auto& name : result->onlyInA) {
            states[name] = u"only in %1"_s.arg(a->text());
        }
        for (const auto& name : result->onlyInB) {
            states[name] = u"only in %1"_s.arg(b->text());
        }
        for (const auto& name : result->equal) {
            states[name] = u"equal"_s;
        }
        for (const auto& name : result->different) {
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
