// SPDX-License-Identifier: Apache-2.0
#include "tests/server/postgres/PostgresTestDatabase.h"

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <random>

#include <unistd.h>

namespace coffer::server::testing {
namespace {

std::string percentEncode(const std::string& text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        const bool plain = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                           (byte >= '0' && byte <= '9') || c == '-' || c == '_' || c == '.' || c == '~' || c == '/';
        if (plain) {
            out += c;
        } else {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 0x0f];
        }
    }
    return out;
}

std::string trimmed(const char* message) {
    std::string text = message != nullptr ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

std::expected<void, std::string> runOn(const std::string& url, const std::string& sql) {
    PGconn* connection = PQconnectdb(url.c_str());
    if (PQstatus(connection) != CONNECTION_OK) {
        std::string error = "cannot connect: " + trimmed(PQerrorMessage(connection));
        PQfinish(connection);
        return std::unexpected(error);
    }
    PQsetNoticeProcessor(
        connection, [](void*, const char*) {}, nullptr);
    PGresult* result = PQexec(connection, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    std::string error;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        error = trimmed(PQresultErrorMessage(result));
    }
    PQclear(result);
    PQfinish(connection);
    if (!error.empty()) {
        return std::unexpected(error);
    }
    return {};
}

/// The same server and role as `baseUrl`, another database.
std::expected<std::string, std::string> urlWithDatabase(const std::string& baseUrl, const std::string& name) {
    char* parseError = nullptr;
    PQconninfoOption* options = PQconninfoParse(baseUrl.c_str(), &parseError);
    if (options == nullptr) {
        std::string error = "cannot parse COFFER_TEST_POSTGRES_URL: " + trimmed(parseError);
        PQfreemem(parseError);
        return std::unexpected(error);
    }
    std::string query;
    for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
        const std::string keyword = option->keyword;
        if (option->val == nullptr || keyword == "dbname") {
            continue;
        }
        query += (query.empty() ? "?" : "&") + keyword + "=" + percentEncode(option->val);
    }
    PQconninfoFree(options);
    return "postgresql:///" + name + query;
}

} // namespace

std::string postgresFixtureUrl() {
    const char* url = std::getenv("COFFER_TEST_POSTGRES_URL");
    return url != nullptr ? std::string(url) : std::string();
}

std::expected<std::unique_ptr<PostgresTestDatabase>, std::string> PostgresTestDatabase::create() {
    const std::string baseUrl = postgresFixtureUrl();
    if (baseUrl.empty()) {
        return std::unexpected(std::string("COFFER_TEST_POSTGRES_URL is not set: run this test through ctest, "
                                           "which starts the PostgreSQL fixture (coffer_postgres)"));
    }
    static std::atomic<unsigned> serial{0};
    std::random_device random;
    // Digits only: a database name cannot be a bound parameter, so it is built from nothing but numbers.
    const std::string name = "coffer_t" + std::to_string(::getpid()) + "_" + std::to_string(++serial) + "_" +
                             std::to_string(random() % 1000000U);
    auto url = urlWithDatabase(baseUrl, name);
    if (!url) {
        return std::unexpected(url.error());
    }
    if (auto created = runOn(baseUrl, "CREATE DATABASE " + name); !created) {
        return std::unexpected("CREATE DATABASE failed: " + created.error());
    }
    return std::unique_ptr<PostgresTestDatabase>(new PostgresTestDatabase(baseUrl, name, *url));
}

PostgresTestDatabase::PostgresTestDatabase(std::string baseUrl, std::string name, std::string url)
    : m_baseUrl(std::move(baseUrl))
    , m_name(std::move(name))
    , m_url(std::move(url)) {}

PostgresTestDatabase::~PostgresTestDatabase() {
    (void)runOn(m_baseUrl, "DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)");
}

std::expected<void, std::string> PostgresTestDatabase::exec(const std::string& sql) const {
    return runOn(m_url, sql);
}

} // namespace coffer::server::testing
