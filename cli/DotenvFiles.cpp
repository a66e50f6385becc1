// SPDX-License-Identifier: Apache-2.0
#include "cli/DotenvFiles.h"

#include "cli/Session.h"
#include "cli/Terminal.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::cli {

Outcome<model::dotenv::Dialect> dialectFor(const Session& session, const QString& path) {
    if (const auto name = session.option(u"format"_s)) {
        if (const auto dialect = model::dotenv::dialectFromName(*name)) {
            return *dialect;
        }
        return usageError(u"unknown format '%1': use dotenv, docker, shell, systemd, json or yaml"_s.arg(*name));
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"json"_s) {
        return model::dotenv::Dialect::Json;
    }
    if (suffix == u"yaml"_s || suffix == u"yml"_s) {
        return model::dotenv::Dialect::Yaml;
    }
    return model::dotenv::Dialect::Dotenv;
}

Outcome<std::vector<model::dotenv::Entry>> readEntries(const QString& path, model::dotenv::Dialect dialect) {
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return fail(ExitCode::Failed, u"cannot open %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    }
    auto text = readAll(fd, kMaxDotenvFileBytes + 1, path);
    ::close(fd);
    if (!text) {
        return std::unexpected(text.error());
    }
    if (text->size() > kMaxDotenvFileBytes) {
        return fail(ExitCode::Failed, u"%1 is larger than %2 MiB"_s.arg(path).arg(kMaxDotenvFileBytes >> 20));
    }
    auto entries = model::dotenv::read(dialect, text->bytes());
    if (!entries) {
        return fail(ExitCode::Failed, u"%1:%2: %3"_s.arg(path).arg(entries.error().line).arg(entries.error().message));
    }
    // The reader already lets the last value win; this makes sure each name appears once whatever it does.
    std::vector<model::dotenv::Entry> unique;
    QHash<QString, std::size_t> seen;
    for (auto& entry : *entries) {
        if (const auto it = seen.constFind(entry.name); it != seen.cend()) {
            unique[*it].value = std::move(entry.value);
            continue;
        }
        seen.insert(entry.name, unique.size());
        unique.push_back(std::move(entry));
    }
    return unique;
}

} // namespace coffer::cli
