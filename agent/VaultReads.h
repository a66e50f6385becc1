// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"
#include "model/Dotenv.h"
#include "model/ModelError.h"
#include "model/Store.h"

#include <QString>
#include <QStringList>

#include <expected>
#include <optional>
#include <vector>

/// The vault reads behind get, ls, export, run and inject, shared by coffer-cli's own unlock and the agent:
/// both gather the data with these functions, so a command prints the same thing, with the same errors,
/// whichever path it took. None of them audits: the caller audits once the read is approved (a terminal
/// confirmation locally, consent in the agent) and before anything is shown.
namespace coffer::agent::reads {

/// A failure with the model's code (which decides the exit code) and the whole sentence to print.
struct ReadError {
    model::ErrorCode code = model::ErrorCode::Io;
    QString message;
    QString reference;   ///< inject: the PROJECT/ENV/NAME that failed
    bool lookup = false; ///< inject: it failed while looking the reference up (not while resolving it)
};
template <typename T> using Read = std::expected<T, ReadError>;

[[nodiscard]] ReadError readError(const model::Error& error);

/// PROJECT/ENV/NAME (NAME may be empty: then PROJECT/ENV).
struct Path {
    QString project;
    QString environment;
    QString name;
    [[nodiscard]] QString text() const;
    [[nodiscard]] QString scope() const { return project + u'/' + environment; }
};

[[nodiscard]] Read<model::Environment> findEnvironment(model::Store& store, const Path& path);
/// A deleted secret only with `includeDeleted`; otherwise its NotFound message says how to bring it back.
[[nodiscard]] Read<model::SecretSummary> findSecret(model::Store& store, const model::Environment& environment,
                                                    const Path& path, bool includeDeleted);

struct ProjectRow {
    QString name;
    qint64 environments = 0; ///< only with counts
};
struct EnvironmentRow {
    QString name;
    bool isProtected = false;
    qint64 secrets = 0; ///< only with counts
};
struct EnvironmentRows {
    QString project; ///< the project's stored name
    std::vector<EnvironmentRow> rows;
};
struct SecretRows {
    QString environment; ///< the environment's stored name
    std::vector<model::SecretSummary> secrets;
};
[[nodiscard]] Read<std::vector<ProjectRow>> projectRows(model::Store& store, bool counts);
[[nodiscard]] Read<EnvironmentRows> environmentRows(model::Store& store, const QString& project, bool counts);
[[nodiscard]] Read<SecretRows> secretRows(model::Store& store, const Path& scope, bool includeDeleted);

/// One secret's value at `version` (the current one without), references resolved unless `raw`.
struct Revealed {
    crypto::SecureBuffer value;
    int version = 0;
    bool isProtected = false;
};
[[nodiscard]] Read<Revealed> reveal(model::Store& store, const Path& path, std::optional<int> version, bool raw);
[[nodiscard]] QString revealDetail(int version);

/// Named values: an environment's secrets, a run template's variables.
struct Variable {
    QString name;
    crypto::SecureBuffer value;
    bool secret = true; ///< run: masked in the child's output
};
struct Gathered {
    std::vector<Variable> variables;
    std::vector<crypto::SecureBuffer> referenced; ///< run: referenced secrets' own values (masked too)
    QStringList protectedScopes;                  ///< PROJECT/ENV of each protected environment read
};

/// export: the live secrets in name order, references resolved (model::dotenv::environmentEntries).
[[nodiscard]] Read<Gathered> exportValues(model::Store& store, const Path& scope);
/// run without a template: the live secrets, references resolved; errors name PROJECT/ENV/NAME.
[[nodiscard]] Read<Gathered> runValues(model::Store& store, const Path& scope);
/// run with a template: each (name, reference text) resolved in `scope`; `references` are the template's
/// coffer:// addresses, whose own values come back in `referenced`. `secret` says which values to mask.
struct TemplateLine {
    QString name;
    crypto::SecureBuffer text;
    bool secret = false;
};
[[nodiscard]] Read<Gathered> templateValues(model::Store& store, const Path& scope,
                                            const std::vector<TemplateLine>& lines,
                                            const std::vector<Path>& references);
/// inject: each distinct address's value, references resolved, in the order given.
[[nodiscard]] Read<Gathered> referenceValues(model::Store& store, const std::vector<Path>& references);

[[nodiscard]] QString runDetail(const QString& program, const QStringList& names);
[[nodiscard]] QString injectDetail(const QString& input, const QString& where, const QStringList& names);

} // namespace coffer::agent::reads
