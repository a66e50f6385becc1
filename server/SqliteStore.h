// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/SqlDatabase.h"

#include <memory>
#include <string>

namespace coffer::server {

/// SQLite behind SqlStore: one connection to PATH, shared by the threads of one process through a mutex
/// (SQLite writes one transaction at a time anyway). The file is created 0600 before SQLite opens it (its
/// -wal and -shm take the same mode), then WAL, synchronous=NORMAL, busy_timeout and foreign keys.
/// With `instanceLock` the database holds an exclusive flock on PATH.lock for its lifetime, so a second
/// server on the same file fails at once with Unavailable instead of sharing it. Nonces live in the
/// database, so a restart within the clock-skew window still refuses a replay.
/// Errors: Invalid (empty path), Unavailable (cannot create or open the file, lock held), Corrupt (not a
/// database).
[[nodiscard]] StoreResult<std::unique_ptr<SqlDatabase>> openSqliteDatabase(const std::string& path, bool instanceLock);

} // namespace coffer::server
