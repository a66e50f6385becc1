// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/SqlDatabase.h"

#include <memory>
#include <string>

namespace coffer::server {

/// PostgreSQL behind SqlStore, through libpq: a small pool of connections lent to one thread at a time,
/// every value sent as a parameter (PQexecParams), never spliced into SQL. Opening connects once, so an
/// unreachable server fails here (Unavailable) and not on the first request. A connect_timeout of 10 s
/// applies unless the URL sets one. Migrations take pg_advisory_xact_lock, so instances that start
/// together apply each one once.
[[nodiscard]] StoreResult<std::unique_ptr<SqlDatabase>> openPostgresDatabase(const std::string& url);

} // namespace coffer::server
