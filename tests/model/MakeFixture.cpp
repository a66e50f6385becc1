// SPDX-License-Identifier: Apache-2.0
// Writes the stored schema-version-1 vault that TestVault migrates: tests/data/vault-v1.coffer.
// Run once and commit the output; never regenerate a fixture that has shipped (old vaults do not change).
//   MakeFixture tests/data/vault-v1.coffer
// Password "fixture-password", KDF minimum cost. Contents: project "demo" with environments "dev" and
// "prod" (protected), and in dev the secret DATABASE_URL = "postgres://demo@localhost/demo" (version 1).
// The version-1 schema has no environments.colour column, so rows are inserted with plain SQL.

#include "model/Database.h"
#include "model/Schema.h"
#include "model/VaultFile.h"

#include <QCoreApplication>
#include <QStringList>
#include <QTextStream>

#include <string_view>

using namespace coffer::model;

namespace {

constexpr std::string_view kPassword = "fixture-password";

// Fixed times keep the fixture's contents reproducible (the salt is random, so its bytes are not).
constexpr std::string_view kRows = R"sql(
INSERT INTO projects (id, name, position, created_at) VALUES (1, 'demo', 0, 1700000000000);
INSERT INTO environments (id, project_id, name, position, is_protected, created_at)
    VALUES (1, 1, 'dev', 0, 0, 1700000000000), (2, 1, 'prod', 1, 1, 1700000000000);
INSERT INTO secrets (id, environment_id, name, value, note, tags, version, deleted, updated_at, updated_by)
    VALUES (1, 1, 'DATABASE_URL', CAST('postgres://demo@localhost/demo' AS BLOB), 'the demo database', '', 1, 0,
            1700000000000, 'fixture');
INSERT INTO secret_versions (secret_id, version, kind, name, value, note, tags, deleted, restored_from, at, author)
    SELECT id, version, 'created', name, value, note, tags, deleted, 0, updated_at, updated_by FROM secrets;
)sql";

Result<void> makeFixture(const QString& path) {
    const VaultHeader header = VaultHeader::generate(KdfCost::minimum());
    auto key = vaultfile::deriveKey(std::as_bytes(std::span(kPassword)), header);
    if (!key) {
        return std::unexpected(key.error());
    }
    if (auto ok = vaultfile::makeParentFolders(path); !ok) {
        return ok;
    }
    if (auto ok = vaultfile::createEmptyFile(path); !ok) {
        return ok;
    }
    auto fill = [&]() -> Result<void> {
        auto db = vaultfile::openKeyed(path, *key, header);
        if (!db) {
            return std::unexpected(db.error());
        }
        if (auto ok = createSchema(*db, 1); !ok) {
            return ok;
        }
        return db->transaction([&]() { return db->exec(kRows); });
    };
    auto filled = fill();
    if (!filled) {
        vaultfile::removeVaultFiles(path); // ours: created above
    }
    return filled;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QTextStream err(stderr);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 2) {
        err << "usage: MakeFixture OUTPUT.coffer\n";
        return 2;
    }
    if (auto ok = makeFixture(args.at(1)); !ok) {
        err << ok.error().message() << '\n';
        return 1;
    }
    return 0;
}
