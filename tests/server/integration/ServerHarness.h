// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tests/server/client/ServerProcess.h"
#include "tests/server/postgres/PostgresTestDatabase.h"

#include <QTemporaryDir>

#include <expected>
#include <memory>
#include <string>
#include <vector>

namespace coffer::tests {

/// The backend a test executable runs on, from COFFER_TEST_BACKEND ("sqlite" or "postgres"; CTest
/// registers each integration test once per backend). Each harness has a database of its own: a fresh
/// database on the fixture's PostgreSQL (PostgresTestDatabase, dropped with the harness), or an SQLite
/// file in a private temporary folder. Stop the servers before the harness goes.
class ServerHarness {
public:
    ServerHarness();

    /// Empty when the backend is usable; otherwise why not (the test fails, never skips).
    [[nodiscard]] std::string problem() const;
    [[nodiscard]] bool postgres() const noexcept { return m_postgres; }
    [[nodiscard]] const std::string& databaseUrl() const noexcept { return m_databaseUrl; }
    [[nodiscard]] static std::string serverBinary();

    /// Writes a config file into the private folder; returns its path.
    [[nodiscard]] std::string writeConfig(const std::string& name, const std::string& text) const;

    /// Starts `coffer-server serve` on 127.0.0.1:0 over this backend (with a config file when given).
    [[nodiscard]] std::expected<std::unique_ptr<ServerProcess>, std::string>
    startServer(const std::string& configFile = {}) const;

    /// Runs `coffer-server team-code` `count` times now and keeps the codes for teamCode(): call it
    /// before a server holds the database, so the tests do not depend on the command running beside it
    /// (teamCodeWhileServing tests that on its own).
    [[nodiscard]] std::expected<void, std::string> prepareTeamCodes(int count);
    /// A single-use team code: one prepared earlier, else a fresh one from `coffer-server team-code`.
    [[nodiscard]] std::expected<std::string, std::string> teamCode();
    /// Always runs `coffer-server team-code` now.
    [[nodiscard]] std::expected<std::string, std::string> freshTeamCode() const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<server::testing::PostgresTestDatabase> m_database;
    bool m_postgres = false;
    std::string m_databaseUrl;
    std::string m_problem;
    std::vector<std::string> m_codes;
};

} // namespace coffer::tests

/// QVERIFY for std::expected: shows the error text on failure.
#define COFFER_VERIFY_OK(expr)                                                                                         \
    do {                                                                                                               \
        const auto& ok_ = (expr);                                                                                      \
        QVERIFY2(ok_.has_value(), ok_.has_value() ? "" : std::string(ok_.error()).c_str());                            \
    } while (false)

/// Checks an ApiResponse's status and shows the body when it differs.
#define COFFER_EXPECT_STATUS(response, expected)                                                                       \
    do {                                                                                                               \
        const auto& r_ = (response);                                                                                   \
        QVERIFY2(r_.status == (expected),                                                                              \
                 ("expected " + std::to_string(expected) + ", got " + r_.describe()).c_str());                         \
    } while (false)
