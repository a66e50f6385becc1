// SPDX-License-Identifier: Apache-2.0
#include "ServerHarness.h"

#include <QFile>

#include <cstdlib>

namespace coffer::tests {

ServerHarness::ServerHarness() {
    const char* backend = std::getenv("COFFER_TEST_BACKEND");
    const std::string name = backend != nullptr ? backend : "sqlite";
    if (!m_dir.isValid()) {
        m_problem = "cannot create a temporary folder";
    } else if (name == "postgres") {
        m_postgres = true;
        if (server::testing::postgresFixtureUrl().empty()) {
            m_problem = "COFFER_TEST_BACKEND=postgres but COFFER_TEST_POSTGRES_URL is not set (run through ctest: "
                        "the coffer_postgres fixture starts the server)";
        } else if (auto database = server::testing::PostgresTestDatabase::create(); !database) {
            m_problem = "cannot create a PostgreSQL test database: " + database.error();
        } else {
            m_database = std::move(*database);
            m_databaseUrl = m_database->url();
        }
    } else if (name == "sqlite") {
        m_databaseUrl = "sqlite:" + m_dir.filePath(QStringLiteral("coffer-server.db")).toStdString();
    } else {
        m_problem = "unknown COFFER_TEST_BACKEND '" + name + "'";
    }
}

std::string ServerHarness::problem() const {
    return m_problem;
}

std::string ServerHarness::serverBinary() {
    return COFFER_SERVER_PATH;
}

std::string ServerHarness::writeConfig(const std::string& name, const std::string& text) const {
    const QString path = m_dir.filePath(QString::fromStdString(name));
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        file.write(text.data(), static_cast<qint64>(text.size()));
    }
    return path.toStdString();
}

std::expected<std::unique_ptr<ServerProcess>, std::string>
ServerHarness::startServer(const std::string& configFile) const {
    if (!m_problem.empty()) {
        return std::unexpected(m_problem);
    }
    auto server = std::make_unique<ServerProcess>(serverBinary());
    ServerOptions options;
    options.database = m_databaseUrl;
    if (!configFile.empty()) {
        options.configFile = configFile;
    }
    if (auto started = server->start(options); !started) {
        return std::unexpected(started.error());
    }
    return server;
}

std::expected<void, std::string> ServerHarness::prepareTeamCodes(int count) {
    for (int i = 0; i < count; ++i) {
        auto code = freshTeamCode();
        if (!code) {
            return std::unexpected(code.error());
        }
        m_codes.push_back(std::move(*code));
    }
    return {};
}

std::expected<std::string, std::string> ServerHarness::teamCode() {
    if (!m_codes.empty()) {
        std::string code = std::move(m_codes.back());
        m_codes.pop_back();
        return code;
    }
    return freshTeamCode();
}

std::expected<std::string, std::string> ServerHarness::freshTeamCode() const {
    if (!m_problem.empty()) {
        return std::unexpected(m_problem);
    }
    return makeTeamCode(serverBinary(), m_databaseUrl);
}

} // namespace coffer::tests
