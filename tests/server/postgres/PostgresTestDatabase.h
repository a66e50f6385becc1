// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <expected>
#include <memory>
#include <string>

/// For tests on the real PostgreSQL the fixture starts (tests/server/postgres/Postgres.cmake): each test
/// takes a fresh, empty database of its own, so test executables that ctest runs in parallel never see
/// each other's rows or schema. No Qt: any test may use it (link coffer_test_postgres).
namespace coffer::server::testing {

/// COFFER_TEST_POSTGRES_URL (set by coffer_use_postgres), or "" when the test runs without the fixture.
[[nodiscard]] std::string postgresFixtureUrl();

class PostgresTestDatabase {
public:
    /// Creates an empty database on the fixture's server; the error says why not (no fixture URL,
    /// server down).
    [[nodiscard]] static std::expected<std::unique_ptr<PostgresTestDatabase>, std::string> create();

    /// Drops the database, closing any connection still open to it.
    ~PostgresTestDatabase();
    PostgresTestDatabase(const PostgresTestDatabase&) = delete;
    PostgresTestDatabase& operator=(const PostgresTestDatabase&) = delete;

    /// A postgresql:// URL of this database (the fixture's socket folder, port and role).
    [[nodiscard]] const std::string& url() const noexcept { return m_url; }
    [[nodiscard]] const std::string& name() const noexcept { return m_name; }

    /// Runs SQL in this database (tests that tamper with a schema); the error is libpq's message.
    [[nodiscard]] std::expected<void, std::string> exec(const std::string& sql) const;

private:
    PostgresTestDatabase(std::string baseUrl, std::string name, std::string url);

    std::string m_baseUrl;
    std::string m_name;
    std::string m_url;
};

} // namespace coffer::server::testing
