// SPDX-License-Identifier: Apache-2.0
// init, passwd and info: the vault file itself.
#include "cli/Commands.h"
#include "cli/Output.h"
#include "cli/Session.h"
#include "model/Store.h"
#include "model/Vault.h"

#include <QFileInfo>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace coffer::cli::commands {

namespace {

QString describeCost(const model::KdfCost& cost) {
    return u"Argon2id, %1 passes over %2 MiB"_s.arg(cost.passes).arg(cost.memoryMiB);
}

} // namespace

Outcome<void> init(Session& session) {
    const auto cost = session.kdfCost(model::KdfCost::defaults());
    if (!cost) {
        return std::unexpected(cost.error());
    }
    const QString path = session.vaultPath();
    // Say so before asking for a password that would be wasted.
    if (QFileInfo(path).exists()) {
        return fail(ExitCode::Failed, u"a file already exists at %1 and init never overwrites one; choose another "
                                      u"path with --vault PATH"_s.arg(path));
    }
    const auto password = session.newPassword(u"password-file"_s);
    if (!password) {
        return std::unexpected(password.error());
    }
    const model::KdfCost chosen = cost->value_or(model::KdfCost::defaults());
    auto vault = model::Vault::create(path, password->bytes(), chosen);
    if (!vault) {
        return std::unexpected(failure(vault.error()));
    }
    printLine(u"Created the vault %1 (%2)."_s.arg(vault->path(), describeCost(chosen)));
    return {};
}

Outcome<void> passwd(Session& session) {
    // Check what was typed and read a new-password file first, so mistakes fail before the slow unlock.
    if (auto cost = session.kdfCost(model::KdfCost::defaults()); !cost) {
        return std::unexpected(cost.error());
    }
    std::optional<crypto::SecureBuffer> fromFile;
    if (session.option(u"new-password-file"_s)) {
        auto password = session.newPassword(u"new-password-file"_s);
        if (!password) {
            return std::unexpected(password.error());
        }
        fromFile = std::move(*password);
    }
    auto vault = session.unlock();
    if (!vault) {
        return std::unexpected(vault.error());
    }
    const auto cost = session.kdfCost(vault->info().cost);
    if (!cost) {
        return std::unexpected(cost.error());
    }
    auto password =
        fromFile ? Outcome<crypto::SecureBuffer>(std::move(*fromFile)) : session.newPassword(u"new-password-file"_s);
    if (!password) {
        return std::unexpected(password.error());
    }
    if (auto changed = vault->changePassword(password->bytes(), *cost); !changed) {
        return std::unexpected(failure(changed.error()));
    }
    printLine(u"Changed the password of %1 (%2)."_s.arg(vault->path(), describeCost(vault->info().cost)));
    return {};
}

Outcome<void> info(Session& session) {
    auto vault = session.unlock();
    if (!vault) {
        return std::unexpected(vault.error());
    }
    model::Store store(*vault, Session::author());
    const auto counts = store.counts();
    if (!counts) {
        return std::unexpected(failure(counts.error()));
    }
    const model::VaultInfo facts = vault->info();
    if (session.flag(u"json"_s)) {
        printJson(QJsonObject{
            {u"path"_s, facts.path},
            {u"formatVersion"_s, facts.formatVersion},
            {u"cipherFormat"_s, facts.cipherFormat},
            {u"schemaVersion"_s, facts.schemaVersion},
            {u"kdf"_s, QJsonObject{{u"algorithm"_s, u"argon2id"_s},
                                   {u"passes"_s, static_cast<qint64>(facts.cost.passes)},
                                   {u"memoryMiB"_s, static_cast<qint64>(facts.cost.memoryMiB)}}},
            {u"fileSize"_s, static_cast<qint64>(facts.fileSize)},
            {u"projects"_s, static_cast<qint64>(counts->projects)},
            {u"environments"_s, static_cast<qint64>(counts->environments)},
            {u"secrets"_s, static_cast<qint64>(counts->secrets)},
            {u"versions"_s, static_cast<qint64>(counts->versions)},
            {u"auditEvents"_s, static_cast<qint64>(counts->auditEvents)},
        });
        return {};
    }
    printOut(formatTable({
        {u"Vault:"_s, facts.path},
        {u"Format:"_s, u"%1 (cipher format %2, schema %3)"_s.arg(facts.formatVersion)
                           .arg(facts.cipherFormat)
                           .arg(facts.schemaVersion)},
        {u"Key derivation:"_s, describeCost(facts.cost)},
        {u"File size:"_s, u"%1 bytes"_s.arg(facts.fileSize)},
        {u"Projects:"_s, QString::number(counts->projects)},
        {u"Environments:"_s, QString::number(counts->environments)},
        {u"Secrets:"_s, QString::number(counts->secrets)},
        {u"Versions:"_s, QString::number(counts->versions)},
        {u"Audit events:"_s, QString::number(counts->auditEvents)},
    }));
    return {};
}

} // namespace coffer::cli::commands
