// SPDX-License-Identifier: Apache-2.0
#include "cli/DotenvFiles.h"

#include "cli/Session.h"

using namespace Qt::StringLiterals;

namespace coffer::cli {

Outcome<model::dotenv::Dialect> dialectFor(const Session& session, const QString& path) {
    if (const auto name = session.option(u"format"_s)) {
        if (const auto dialect = model::dotenv::dialectFromName(*name)) {
            return *dialect;
        }
        return usageError(u"unknown format '%1': use dotenv, docker, shell, systemd, json or yaml"_s.arg(*name));
    }
    return model::dotenv::dialectForPath(path);
}

Failure fileFailure(const QString& path, const model::dotenv::FileError& error, const QString& suffix) {
    const QString where = error.line > 0 ? u"%1:%2"_s.arg(path).arg(error.line) : path;
    return Failure{exitCodeFor(error.code), u"%1: %2%3"_s.arg(where, error.message, suffix)};
}

Outcome<std::vector<model::dotenv::Entry>> readEntries(const QString& path, model::dotenv::Dialect dialect) {
    auto entries = model::dotenv::readFile(path, dialect);
    if (!entries) {
        return std::unexpected(fileFailure(path, entries.error()));
    }
    return std::move(*entries);
}

} // namespace coffer::cli
