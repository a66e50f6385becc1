// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>
#include <string_view>

/// The schema migrations compiled into this build (server/migrations/<backend>/NNN_name.sql, embedded by
/// CMake into StoreMigrationsData.cpp). Versions run 1, 2, 3... without gaps; the last is the schema
/// version this build writes.
namespace coffer::server {

struct Migration {
    int version = 0;
    std::string_view name;
    std::string_view sql;
};

[[nodiscard]] std::span<const Migration> sqliteMigrations() noexcept;
[[nodiscard]] std::span<const Migration> postgresMigrations() noexcept;

} // namespace coffer::server
