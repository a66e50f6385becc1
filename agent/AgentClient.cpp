// SPDX-License-Identifier: Apache-2.0
#include "agent/AgentClient.h"

#include "agent/LocalSocket.h"

#include <QDateTime>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::agent::client {

namespace {

constexpr QChar kTagSeparator = QChar(0x1f);

std::unexpected<Refusal> refused(AgentError error) {
    return std::unexpected(Refusal{error, {}});
}

void addPath(wire::Message& request, const reads::Path& path) {
    request.add("project", path.project);
    request.add("environment", path.environment);
    request.add("name", path.name);
}

void addReferences(wire::Message& request, const std::vector<reads::Path>& references) {
    for (const auto& reference : references) {
        request.add("ref-project", reference.project);
        request.add("ref-environment", reference.environment);
        request.add("ref-name", reference.name);
    }
}

Answer<reads::Gathered> gathered(Answer<wire::Message>&& reply) {
    if (!reply) {
        return std::unexpected(reply.error());
    }
    const auto names = reply->all("name");
    const auto values = reply->all("value");
    const auto secrets = reply->all("secret");
    if (names.size() != values.size() || names.size() != secrets.size()) {
        return refused(AgentError::Malformed);
    }
    reads::Gathered result;
    for (std::size_t i = 0; i < names.size(); ++i) {
        result.variables.push_back(reads::Variable{QString::fromUtf8(names[i].view()),
                                                   crypto::SecureBuffer::copyOf(values[i].bytes),
                                                   secrets[i].view() == "1"});
    }
    for (const auto value : reply->all("referenced")) {
        result.referenced.push_back(crypto::SecureBuffer::copyOf(value.bytes));
    }
    return result;
}

} // namespace

Answer<wire::Message> call(const Target& target, wire::Message request) {
    request.add("vault", target.vaultPath);
    const auto fd = sockets::connectTo(local::encodedPath(target.socketPath));
    if (!fd) {
        return refused(fd.error());
    }
    auto sent = wire::writeFrame(*fd, request, std::chrono::seconds(10));
    // A refusal (another uid) may arrive before the request is even read: read the reply either way.
    auto reply = wire::readFrame(*fd, wire::kMaxResponseBytes, target.timeout);
    ::close(*fd);
    if (!reply) {
        return refused(sent ? reply.error() : sent.error());
    }
    if (reply->textOr("status") == u"ok") {
        return std::move(*reply);
    }
    const auto error = errorFromWireName(reply->textOr("error"));
    if (!error) {
        return refused(AgentError::Malformed);
    }
    Refusal refusal{*error, {}};
    if (*error == AgentError::VaultError) {
        const auto code = reply->number("code").value_or(static_cast<int>(model::ErrorCode::Io));
        refusal.vault = reads::ReadError{static_cast<model::ErrorCode>(code), reply->textOr("message"),
                                         reply->textOr("reference"), reply->flag("lookup")};
    }
    return std::unexpected(refusal);
}

Answer<Status> status(const Target& target) {
    auto reply = call(target, wire::Message(u"status"_s));
    if (!reply) {
        return std::unexpected(reply.error());
    }
    return Status{reply->textOr("vault"),
                  reply->number("pid").value_or(0),
                  reply->number("started").value_or(0),
                  reply->number("idle-timeout").value_or(0),
                  reply->number("lifetime").value_or(0),
                  reply->number("served").value_or(0)};
}

Answer<void> lock(const Target& target) {
    auto reply = call(target, wire::Message(u"lock"_s));
    if (!reply) {
        return std::unexpected(reply.error());
    }
    return {};
}

Answer<std::vector<reads::ProjectRow>> projects(const Target& target, bool counts) {
    wire::Message request(u"ls"_s);
    request.addNumber("depth", 0);
    request.addFlag("counts", counts);
    auto reply = call(target, std::move(request));
    if (!reply) {
        return std::unexpected(reply.error());
    }
    const QStringList names = reply->texts("name");
    const QStringList numbers = reply->texts("count");
    if (names.size() != numbers.size()) {
        return refused(AgentError::Malformed);
    }
    std::vector<reads::ProjectRow> rows;
    for (qsizetype i = 0; i < names.size(); ++i) {
        rows.push_back(reads::ProjectRow{names.at(i), numbers.at(i).toLongLong()});
    }
    return rows;
}

Answer<reads::EnvironmentRows> environments(const Target& target, const QString& project, bool counts) {
    wire::Message request(u"ls"_s);
    request.addNumber("depth", 1);
    request.addFlag("counts", counts);
    request.add("project", project);
    auto reply = call(target, std::move(request));
    if (!reply) {
        return std::unexpected(reply.error());
    }
    const QStringList names = reply->texts("name");
    const QStringList flags = reply->texts("protected");
    const QStringList numbers = reply->texts("count");
    if (names.size() != flags.size() || names.size() != numbers.size()) {
        return refused(AgentError::Malformed);
    }
    reads::EnvironmentRows rows{reply->textOr("project"), {}};
    for (qsizetype i = 0; i < names.size(); ++i) {
        rows.rows.push_back(reads::EnvironmentRow{names.at(i), flags.at(i) == u"1", numbers.at(i).toLongLong()});
    }
    return rows;
}

Answer<reads::SecretRows> secrets(const Target& target, const reads::Path& scope, bool includeDeleted) {
    wire::Message request(u"ls"_s);
    request.addNumber("depth", 2);
    request.addFlag("deleted", includeDeleted);
    addPath(request, scope);
    auto reply = call(target, std::move(request));
    if (!reply) {
        return std::unexpected(reply.error());
    }
    const QStringList names = reply->texts("name");
    const QStringList versions = reply->texts("version");
    const QStringList updated = reply->texts("updated");
    const QStringList authors = reply->texts("by");
    const QStringList tags = reply->texts("tags");
    const QStringList notes = reply->texts("note");
    const QStringList deleted = reply->texts("deleted");
    const qsizetype count = names.size();
    if (versions.size() != count || updated.size() != count || authors.size() != count || tags.size() != count ||
        notes.size() != count || deleted.size() != count) {
        return refused(AgentError::Malformed);
    }
    reads::SecretRows rows{reply->textOr("environment"), {}};
    for (qsizetype i = 0; i < count; ++i) {
        model::SecretSummary secret;
        secret.name = names.at(i);
        secret.version = versions.at(i).toInt();
        secret.versionCount = secret.version;
        secret.updatedAt = QDateTime::fromMSecsSinceEpoch(updated.at(i).toLongLong(), Qt::UTC);
        secret.updatedBy = authors.at(i);
        secret.tags = tags.at(i).isEmpty() ? QStringList() : tags.at(i).split(kTagSeparator);
        secret.note = notes.at(i);
        secret.deleted = deleted.at(i) == u"1";
        rows.secrets.push_back(std::move(secret));
    }
    return rows;
}

Answer<crypto::SecureBuffer> reveal(const Target& target, const reads::Path& path, std::optional<int> version,
                                    bool raw) {
    wire::Message request(u"get"_s);
    addPath(request, path);
    if (version) {
        request.addNumber("version", *version);
    }
    request.addFlag("raw", raw);
    auto reply = call(target, std::move(request));
    if (!reply) {
        return std::unexpected(reply.error());
    }
    const auto value = reply->find("value");
    if (!value) {
        return refused(AgentError::Malformed);
    }
    return crypto::SecureBuffer::copyOf(value->bytes);
}

Answer<reads::Gathered> exportValues(const Target& target, const reads::Path& scope, const QString& where) {
    wire::Message request(u"export"_s);
    addPath(request, scope);
    request.add("where", where);
    return gathered(call(target, std::move(request)));
}

Answer<reads::Gathered> runValues(const Target& target, const reads::Path& scope, const QString& program,
                                  const std::optional<std::vector<reads::TemplateLine>>& lines,
                                  const std::vector<reads::Path>& references) {
    wire::Message request(u"run"_s);
    addPath(request, scope);
    request.add("program", program);
    request.addFlag("template", lines.has_value());
    if (lines) {
        for (const auto& line : *lines) {
            request.add("line-name", line.name);
            request.add("line-text", line.text.bytes());
            request.addFlag("line-secret", line.secret);
        }
    }
    addReferences(request, references);
    return gathered(call(target, std::move(request)));
}

Answer<reads::Gathered> injectValues(const Target& target, const std::vector<reads::Path>& references,
                                     const QString& input, const QString& where) {
    wire::Message request(u"inject"_s);
    addReferences(request, references);
    request.add("input", input);
    request.add("where", where);
    return gathered(call(target, std::move(request)));
}

} // namespace coffer::agent::client
