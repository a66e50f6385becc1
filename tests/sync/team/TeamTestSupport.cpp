// SPDX-License-Identifier: Apache-2.0
#include "tests/sync/team/TeamTestSupport.h"

#include "sync/ServerClient.h"

#include <algorithm>

namespace coffer::sync::testing {

namespace {

/// Passes every exchange to the real transport and records "METHOD /path".
class RecordingTransport final : public Transport {
public:
    RecordingTransport(std::unique_ptr<Transport> inner, std::shared_ptr<std::vector<std::string>> log,
                       std::shared_ptr<TeamClient::Tamper> tamper, std::shared_ptr<TeamClient::Block> block)
        : m_inner(std::move(inner))
        , m_log(std::move(log))
        , m_tamper(std::move(tamper))
        , m_block(std::move(block)) {}
    Result<HttpResponse> send(const HttpRequest& request) override {
        if (*m_block && (*m_block)(request)) {
            return fail(ErrorCode::Offline, QStringLiteral("blocked by the test"));
        }
        m_log->push_back(request.method + " " + request.path);
        auto response = m_inner->send(request);
        if (response && *m_tamper) {
            (*m_tamper)(request, *response);
        }
        return response;
    }

private:
    std::unique_ptr<Transport> m_inner;
    std::shared_ptr<std::vector<std::string>> m_log;
    std::shared_ptr<TeamClient::Tamper> m_tamper;
    std::shared_ptr<TeamClient::Block> m_block;
};

} // namespace

QString TeamServer::start(int codes) {
    if (!m_dir.isValid()) {
        return QStringLiteral("no temporary folder");
    }
    const std::string database = "sqlite:" + m_dir.filePath(QStringLiteral("server.db")).toStdString();
    for (int i = 0; i < codes; ++i) {
        auto code = tests::makeTeamCode(COFFER_SERVER_PATH, database);
        if (!code) {
            return QString::fromStdString(code.error());
        }
        m_codes.push_back(*code);
    }
    m_server = std::make_unique<tests::ServerProcess>(COFFER_SERVER_PATH);
    tests::ServerOptions options;
    options.database = database;
    if (auto started = m_server->start(options); !started) {
        return QString::fromStdString(started.error());
    }
    return {};
}

QString TeamServer::url() const {
    return QStringLiteral("http://%1:%2").arg(QString::fromStdString(m_server->host())).arg(m_server->port());
}

crypto::SecureBuffer TeamServer::teamCode() {
    if (m_codes.empty()) {
        qFatal("no team code left: make more in TeamServer::start()");
    }
    const std::string code = m_codes.back();
    m_codes.pop_back();
    crypto::SecureBuffer out(code.size());
    std::copy_n(reinterpret_cast<const std::byte*>(code.data()), code.size(), out.data());
    return out;
}

void TeamServer::stop() {
    if (m_server) {
        (void)m_server->stop();
    }
}

TeamClient::TeamClient(const QString& folder, const QString& name)
    : m_name(name) {
    const QString path = folder + QLatin1Char('/') + name + QStringLiteral(".coffer");
    auto vault = model::Vault::create(path, bytesOf("correct horse"), model::KdfCost::minimum());
    if (!vault) {
        qWarning("cannot create the vault of %s: %s", qPrintable(name), qPrintable(vault.error().message()));
        return;
    }
    m_vault.emplace(std::move(*vault));
    m_store.emplace(*m_vault, name);
    auto log = requests;
    auto change = tamper;
    auto cut = block;
    TransportFactory factory = [log, change,
                                cut](const TransportOptions& options) -> Result<std::unique_ptr<Transport>> {
        auto inner = makeCurlTransport(options);
        if (!inner) {
            return std::unexpected(inner.error());
        }
        return std::make_unique<RecordingTransport>(std::move(*inner), log, change, cut);
    };
    m_engine = std::make_unique<SyncEngine>(*m_vault, *m_store, factory);
    m_service = std::make_unique<TeamService>(*m_vault, *m_store, *m_engine);
}

TeamClient::~TeamClient() {
    m_service.reset();
    m_engine.reset();
    m_store.reset();
    m_vault.reset();
}

Result<TeamState> TeamClient::refreshedState(const protocol::TeamId& team) {
    auto state = TeamState::load(m_vault->database(), team);
    if (!state) {
        return state;
    }
    auto transport = m_engine->transports()(state->transportOptions());
    if (!transport) {
        return std::unexpected(transport.error());
    }
    ServerClient client(**transport, state->me().sign);
    if (auto roster = state->refreshRoster(client); !roster) {
        return std::unexpected(roster.error());
    }
    if (auto grants = state->refreshGrants(client); !grants) {
        return std::unexpected(grants.error());
    }
    return state;
}

std::size_t TeamClient::writesSince(std::size_t from) const {
    return static_cast<std::size_t>(std::count_if(
        requests->begin() + static_cast<std::ptrdiff_t>(from), requests->end(),
        [](const std::string& request) { return request.starts_with("POST") || request.starts_with("PUT"); }));
}

crypto::SecureBuffer secretText(const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    crypto::SecureBuffer out(static_cast<std::size_t>(utf8.size()));
    std::copy_n(reinterpret_cast<const std::byte*>(utf8.constData()), utf8.size(), out.data());
    return out;
}

QString textOf(const crypto::SecureBuffer& buffer) {
    return QString::fromUtf8(reinterpret_cast<const char*>(buffer.data()), static_cast<qsizetype>(buffer.size()));
}

std::span<const std::byte> bytesOf(const QByteArray& data) {
    return std::as_bytes(std::span(data.constData(), static_cast<std::size_t>(data.size())));
}

} // namespace coffer::sync::testing
