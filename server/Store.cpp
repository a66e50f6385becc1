// SPDX-License-Identifier: Apache-2.0
#include "server/Store.h"

#include "server/PostgresStore.h"
#include "server/SqlStore.h"
#include "server/SqliteStore.h"

namespace coffer::server {

StoreResult<std::unique_ptr<Store>> openStore(std::string_view databaseUrl) {
    return openStore(databaseUrl, StoreOptions{});
}

StoreResult<std::unique_ptr<Store>> openStore(std::string_view databaseUrl, const StoreOptions& options) {
    StoreResult<std::unique_ptr<SqlDatabase>> database;
    if (databaseUrl.starts_with("sqlite:")) {
        database = openSqliteDatabase(std::string(databaseUrl.substr(7)), options.instanceLock);
    } else if (databaseUrl.starts_with("postgresql://") || databaseUrl.starts_with("postgres://")) {
        database = openPostgresDatabase(std::string(databaseUrl));
    } else {
        // The URL itself is not repeated: a PostgreSQL URL may carry a password.
        return std::unexpected(storeError(StoreErrorCode::Invalid,
                                          "unsupported database URL: expected sqlite:PATH, postgresql://... or "
                                          "postgres://..."));
    }
    if (!database) {
        return std::unexpected(database.error());
    }
    auto store = std::make_unique<SqlStore>(std::move(*database));
    if (auto migrated = store->migrate(); !migrated) {
        return std::unexpected(migrated.error());
    }
    return store;
}

} // namespace coffer::server
