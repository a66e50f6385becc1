// SPDX-License-Identifier: Apache-2.0
#include "agent/Operations.h"

#include "model/Store.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace coffer::agent::ops {

namespace {

/// Tags travel joined by the ASCII unit separator, which a tag cannot hold.
constexpr QChar kTagSeparator = QChar(0x1f);

using Reply = std::expected<Prepared, wire::Message>;

std::unexpected<wire::Message> refuse(AgentError error) {
    return std::unexpected(errorReply(error));
}

std::unexpected<wire::Message> refuse(const reads::ReadError& error) {
    return std::unexpected(vaultErrorReply(error));
}

wire::Message okReply() {
    wire::Message reply;
    reply.add("status", u"ok"_s);
    return reply;
}

reads::Path pathOf(const wire::Message& request) {
    return reads::Path{request.textOr("project"), request.textOr("environment"), request.textOr("name")};
}

std::vector<reads::Path> referencesOf(const wire::Message& request) {
    std::vector<reads::Path> references;
    const QStringList projects = request.texts("ref-project");
    const QStringList environments = request.texts("ref-environment");
    const QStringList names = request.texts("ref-name");
    for (qsizetype i = 0; i < projects.size() && i < environments.size() && i < names.size(); ++i) {
        references.push_back(reads::Path{projects.at(i), environments.at(i), names.at(i)});
    }
    return references;
}

void addVariables(wire::Message& reply, const reads::Gathered& gathered) {
    for (const auto& variable : gathered.variables) {
        reply.add("name", variable.name);
        reply.add("value", variable.value.bytes());
        reply.addFlag("secret", variable.secret);
    }
    for (const auto& value : gathered.referenced) {
        reply.add("referenced", value.bytes());
    }
}

QStringList namesOf(const reads::Gathered& gathered) {
    QStringList names;
    for (const auto& variable : gathered.variables) {
        names << variable.name;
    }
    return names;
}

Reply list(model::Store& store, const wire::Message& request) {
    Prepared prepared{u"ls"_s, {}, {}, u"list"_s, {}, {}, {}, {}, okReply(), false};
    const auto depth = request.number("depth").value_or(0);
    const bool counts = request.flag("counts");
    const reads::Path scope = pathOf(request);
    if (depth == 0) {
        const auto rows = reads::projectRows(store, counts);
        if (!rows) {
            return refuse(rows.error());
        }
        for (const auto& row : *rows) {
            prepared.reply.add("name", row.name);
            prepared.reply.addNumber("count", row.environments);
        }
        prepared.auditDetail = u"coffer-cli ls"_s;
        return prepared;
    }
    prepared.auditProject = scope.project;
    prepared.scope = scope.project;
    if (depth == 1) {
        const auto rows = reads::environmentRows(store, scope.project, counts);
        if (!rows) {
            return refuse(rows.error());
        }
        prepared.reply.add("project", rows->project);
        for (const auto& row : rows->rows) {
            prepared.reply.add("name", row.name);
            prepared.reply.addFlag("protected", row.isProtected);
            prepared.reply.addNumber("count", row.secrets);
        }
        prepared.auditDetail = u"coffer-cli ls %1"_s.arg(scope.project);
        return prepared;
    }
    if (depth != 2) {
        return refuse(AgentError::Malformed);
    }
    const auto rows = reads::secretRows(store, scope, request.flag("deleted"));
    if (!rows) {
        return refuse(rows.error());
    }
    prepared.scope = scope.scope();
    prepared.auditEnvironment = scope.environment;
    prepared.auditDetail = u"coffer-cli ls %1"_s.arg(scope.scope());
    prepared.reply.add("environment", rows->environment);
    for (const auto& secret : rows->secrets) {
        prepared.reply.add("name", secret.name);
        prepared.reply.addNumber("version", secret.version);
        prepared.reply.addNumber("updated", secret.updatedAt.toMSecsSinceEpoch());
        prepared.reply.add("by", secret.updatedBy);
        prepared.reply.add("tags", secret.tags.join(kTagSeparator));
        prepared.reply.add("note", secret.note);
        prepared.reply.addFlag("deleted", secret.deleted);
    }
    return prepared;
}

Reply get(model::Store& store, const wire::Message& request) {
    const reads::Path path = pathOf(request);
    std::optional<int> version;
    if (const auto number = request.number("version")) {
        version = static_cast<int>(*number);
    }
    auto revealed = reads::reveal(store, path, version, request.flag("raw"));
    if (!revealed) {
        return refuse(revealed.error());
    }
    Prepared prepared{u"get"_s,     path.text(),
                      {},           u"reveal"_s,
                      path.project, path.environment,
                      path.name,    reads::revealDetail(revealed->version),
                      okReply(),    false};
    if (revealed->isProtected) {
        prepared.protectedScopes << path.scope();
    }
    prepared.reply.add("value", revealed->value.bytes());
    return prepared;
}

Reply exportValues(model::Store& store, const wire::Message& request) {
    const reads::Path scope = pathOf(request);
    auto gathered = reads::exportValues(store, scope);
    if (!gathered) {
        return refuse(gathered.error());
    }
    // The detail model::dotenv::auditExport() writes.
    Prepared prepared{u"export"_s,
                      scope.scope(),
                      gathered->protectedScopes,
                      u"export"_s,
                      scope.project,
                      scope.environment,
                      {},
                      u"%1, %2 secrets"_s.arg(request.textOr("where", u"stdout"_s)).arg(gathered->variables.size()),
                      okReply(),
                      false};
    addVariables(prepared.reply, *gathered);
    return prepared;
}

Reply run(model::Store& store, const wire::Message& request) {
    const reads::Path scope = pathOf(request);
    reads::Read<reads::Gathered> gathered;
    if (request.flag("template")) {
        std::vector<reads::TemplateLine> lines;
        const auto names = request.all("line-name");
        const auto texts = request.all("line-text");
        const auto secrets = request.all("line-secret");
        if (names.size() != texts.size() || names.size() != secrets.size()) {
            return refuse(AgentError::Malformed);
        }
        for (std::size_t i = 0; i < names.size(); ++i) {
            lines.push_back(reads::TemplateLine{QString::fromUtf8(names[i].view()),
                                                crypto::SecureBuffer::copyOf(texts[i].bytes),
                                                secrets[i].view() == "1"});
        }
        gathered = reads::templateValues(store, scope, lines, referencesOf(request));
    } else {
        gathered = reads::runValues(store, scope);
    }
    if (!gathered) {
        return refuse(gathered.error());
    }
    Prepared prepared{u"run"_s,
                      scope.scope(),
                      gathered->protectedScopes,
                      u"run"_s,
                      scope.project,
                      scope.environment,
                      {},
                      reads::runDetail(request.textOr("program"), namesOf(*gathered)),
                      okReply(),
                      false};
    addVariables(prepared.reply, *gathered);
    return prepared;
}

Reply inject(model::Store& store, const wire::Message& request) {
    const auto references = referencesOf(request);
    auto gathered = reads::referenceValues(store, references);
    if (!gathered) {
        return refuse(gathered.error());
    }
    Prepared prepared{u"inject"_s,
                      gathered->protectedScopes.join(u", "_s),
                      gathered->protectedScopes,
                      u"inject"_s,
                      {},
                      {},
                      {},
                      reads::injectDetail(request.textOr("input"), request.textOr("where"), namesOf(*gathered)),
                      okReply(),
                      false};
    addVariables(prepared.reply, *gathered);
    return prepared;
}

} // namespace

wire::Message errorReply(AgentError error) {
    wire::Message reply;
    reply.add("status", u"error"_s);
    reply.add("error", wireName(error));
    return reply;
}

wire::Message vaultErrorReply(const reads::ReadError& error) {
    wire::Message reply = errorReply(AgentError::VaultError);
    reply.addNumber("code", static_cast<int>(error.code));
    reply.add("message", error.message);
    reply.add("reference", error.reference);
    reply.addFlag("lookup", error.lookup);
    return reply;
}

std::expected<Prepared, wire::Message> prepare(model::Store& store, const wire::Message& request,
                                               const ServerInfo& info, const local::Peer& peer) {
    const auto operation = request.text("op");
    if (!operation) {
        return refuse(AgentError::Malformed);
    }
    const QString vault = request.textOr("vault");
    if (*operation == u"status") {
        Prepared prepared{u"status"_s, {}, {}, {}, {}, {}, {}, {}, okReply(), false};
        prepared.reply.add("vault", info.vaultPath);
        prepared.reply.addNumber("pid", info.pid);
        prepared.reply.addNumber("started", info.startedAtMs);
        prepared.reply.addNumber("idle-timeout", info.idleTimeoutMs);
        prepared.reply.addNumber("lifetime", info.lifetimeMs);
        prepared.reply.addNumber("served", info.served);
        return prepared;
    }
    // Every other operation names the vault it means: an agent for another vault must not answer it.
    if (vault != info.vaultPath) {
        return refuse(AgentError::OtherVault);
    }
    if (*operation == u"lock") {
        return Prepared{u"lock"_s, {},  {}, u"lock"_s, {}, {}, {}, u"agent locked by pid %1"_s.arg(peer.pid),
                        okReply(), true};
    }
    if (*operation == u"ls") {
        return list(store, request);
    }
    if (*operation == u"get") {
        return get(store, request);
    }
    if (*operation == u"export") {
        return exportValues(store, request);
    }
    if (*operation == u"run") {
        return run(store, request);
    }
    if (*operation == u"inject") {
        return inject(store, request);
    }
    return refuse(AgentError::UnknownOperation);
}

} // namespace coffer::agent::ops
