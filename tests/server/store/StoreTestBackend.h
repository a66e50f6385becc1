// SPDX-License-Identifier: Apache-2.0
#pragma once

// The backend TestStore runs against: TestStoreSqlite (COFFER_TEST_POSTGRES=0) gets a fresh SQLite file per
// test, TestStorePostgres (COFFER_TEST_POSTGRES=1) a fresh database on the fixture's PostgreSQL. rawExec()
// reaches under the Store for the tests that tamper with the schema.

#include "server/Store.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <string>
#include <vector>

#if COFFER_TEST_POSTGRES
#include "tests/server/postgres/PostgresTestDatabase.h"
#else
#include <sqlite3.h>
#endif

namespace coffer::server::testing {

class StoreTestBackend {
public:
    [[nodiscard]] static constexpr bool postgres() noexcept { return COFFER_TEST_POSTGRES != 0; }

    /// The URL of a new, empty database; "" with `error` set when none can be made.
    [[nodiscard]] std::string freshUrl(std::string& error) {
#if COFFER_TEST_POSTGRES
        auto database = PostgresTestDatabase::create();
        if (!database) {
            error = database.error();
            return {};
        }
        m_databases.push_back(std::move(*database));
        return m_databases.back()->url();
#else
        if (!m_dir.isValid()) {
            error = "no temporary folder";
            return {};
        }
        return "sqlite:" + m_dir.filePath(QStringLiteral("store%1.db").arg(++m_serial)).toStdString();
#endif
    }

    /// Runs SQL directly on the database behind `url` (a URL freshUrl returned).
    [[nodiscard]] bool rawExec(const std::string& url, const std::string& sql, std::string& error) {
#if COFFER_TEST_POSTGRES
        for (const auto& database : m_databases) {
            if (database->url() == url) {
                auto ran = database->exec(sql);
                if (!ran) {
                    error = ran.error();
                }
                return ran.has_value();
            }
        }
        error = "unknown test database";
        return false;
#else
        sqlite3* db = nullptr;
        bool ok = sqlite3_open_v2(url.substr(7).c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK &&
                  sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
        if (!ok) {
            error = db != nullptr ? sqlite3_errmsg(db) : "cannot open";
        }
        sqlite3_close_v2(db);
        return ok;
#endif
    }

    /// Drops the databases made so far (PostgreSQL; SQLite files go with the folder).
    void clear() {
#if COFFER_TEST_POSTGRES
        m_databases.clear();
#endif
    }

    [[nodiscard]] QString folder() const {
        return m_dir.path();
    }

private:
    QTemporaryDir m_dir;
    int m_serial = 0;
#if COFFER_TEST_POSTGRES
    std::vector<std::unique_ptr<PostgresTestDatabase>> m_databases;
#endif
};

} // namespace coffer::server::testing
