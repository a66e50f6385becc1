// SPDX-License-Identifier: Apache-2.0
#include "tests/sync/integration/SyncFixture.h"

#include "model/Database.h"
#include "model/VaultHeader.h"

#include <span>

namespace coffer::tests {

using namespace Qt::StringLiterals;

namespace {

std::span<const std::byte> bytesOf(const std::string& text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}
std::span<const std::byte> bytesOf(const QByteArray& text) {
    return std::as_bytes(std::span(text.constData(), static_cast<std::size_t>(text.size())));
}

std::expected<void, QString> openParts(VaultMember& member, model::Vault vault) {
    member.vault = std::make_unique<model::Vault>(std::move(vault));
    member.store = std::make_unique<model::Store>(*member.vault, member.name);
    member.engine =
        std::make_unique<sync::SyncEngine>(*member.vault, *member.store, controlledTransports(member.network));
    member.team = std::make_unique<sync::TeamService>(*member.vault, *member.store, *member.engine);
    return {};
}

} // namespace

QString describe(const sync::Error& error) {
    QString text = sync::codeName(error.code) + u": "_s + error.message;
    if (error.check) {
        text += u" [check "_s + QString::fromStdString(protocol::describe(*error.check)) + u"]"_s;
    }
    if (error.httpStatus != 0) {
        text += u" [HTTP %1]"_s.arg(error.httpStatus);
    }
    return text;
}

QString describe(const model::Error& error) {
    return error.message();
}

QString describe(const sync::SyncReport& report) {
    QStringList lines;
    for (const auto& error : report.teamErrors) {
        lines << u"team: "_s + describe(error);
    }
    for (const auto& environment : report.environments) {
        lines << u"%1/%2: pulled %3 pushed %4 conflicts %5%6"_s.arg(environment.project, environment.environment)
                     .arg(environment.pulled)
                     .arg(environment.pushed)
                     .arg(environment.newConflicts)
                     .arg(environment.error ? u" error "_s + describe(*environment.error) : QString());
    }
    lines << u"open conflicts %1, pending %2"_s.arg(report.openConflicts).arg(report.pending);
    return lines.join(u"; "_s);
}

const sync::EnvironmentSync* findEnvironment(const sync::SyncReport& report, std::int64_t environmentId) {
    for (const auto& environment : report.environments) {
        if (environment.environmentId == environmentId) {
            return &environment;
        }
    }
    return nullptr;
}

void VaultMember::close() {
    team.reset();
    engine.reset();
    store.reset();
    vault.reset();
}

std::expected<void, QString> VaultMember::reopen() {
    close();
    auto opened = model::Vault::unlock(path, bytesOf(password));
    if (!opened) {
        return std::unexpected(u"cannot reopen %1's vault: %2"_s.arg(name, opened.error().message()));
    }
    return openParts(*this, std::move(*opened));
}

std::expected<std::int64_t, QString> VaultMember::environmentId(const QString& project, const QString& environment) {
    auto p = store->project(project);
    if (!p) {
        return std::unexpected(u"%1 has no project %2: %3"_s.arg(name, project, p.error().message()));
    }
    auto e = store->environment(p->id, environment);
    if (!e) {
        return std::unexpected(
            u"%1 has no environment %2/%3: %4"_s.arg(name, project, environment, e.error().message()));
    }
    return e->id;
}

std::optional<QByteArray> VaultMember::value(std::int64_t environmentId, const QString& secretName) {
    auto secret = store->secret(environmentId, secretName);
    if (!secret) {
        return std::nullopt;
    }
    auto bytes = store->value(secret->id);
    if (!bytes) {
        return std::nullopt;
    }
    return QByteArray(reinterpret_cast<const char*>(bytes->data()), static_cast<qsizetype>(bytes->size()));
}

std::expected<void, QString> VaultMember::set(std::int64_t environmentId, const QString& secretName,
                                              const QByteArray& content) {
    auto done = store->setSecret(environmentId, secretName, bytesOf(content));
    if (!done) {
        return std::unexpected(u"%1 cannot set %2: %3"_s.arg(name, secretName, done.error().message()));
    }
    return {};
}

std::vector<QByteArray> VaultMember::historyValues(std::int64_t environmentId, const QString& secretName) {
    std::vector<QByteArray> values;
    auto secret = store->secret(environmentId, secretName, true);
    if (!secret) {
        return values;
    }
    auto versions = store->history(secret->id);
    if (!versions) {
        return values;
    }
    for (const auto& version : *versions) {
        if (auto bytes = store->value(secret->id, version.version)) {
            values.emplace_back(reinterpret_cast<const char*>(bytes->data()), static_cast<qsizetype>(bytes->size()));
        }
    }
    return values;
}

std::map<QString, QByteArray> VaultMember::snapshot() {
    std::map<QString, QByteArray> out;
    auto projects = store->projects();
    if (!projects) {
        return out;
    }
    for (const auto& project : *projects) {
        auto environments = store->environments(project.id);
        if (!environments) {
            continue;
        }
        for (const auto& environment : *environments) {
            auto secrets = store->secrets(environment.id, true);
            if (!secrets) {
                continue;
            }
            for (const auto& secret : *secrets) {
                QByteArray line = "v" + QByteArray::number(secret.version) + (secret.deleted ? " deleted " : " ");
                for (const QByteArray& value : historyValues(environment.id, secret.name)) {
                    line += value + "|";
                }
                out[project.name + u'/' + environment.name + u'/' + secret.name] = line;
            }
        }
    }
    return out;
}

std::int64_t VaultMember::scalar(const QString& sql) {
    const QByteArray text = sql.toUtf8();
    auto statement =
        vault->database().prepare(std::string_view(text.constData(), static_cast<std::size_t>(text.size())));
    if (!statement) {
        return -1;
    }
    auto row = statement->step();
    if (!row || !*row) {
        return -1;
    }
    return statement->columnInt(0);
}

sync::Result<sync::LocalIdentity> VaultMember::identity() {
    return sync::loadIdentity(vault->database());
}

SyncFixture::SyncFixture() = default;

SyncFixture::~SyncFixture() {
    if (m_server) {
        (void)m_server->stop();
    }
}

std::expected<void, QString> SyncFixture::start(int teamCodes) {
    if (!m_dir.isValid()) {
        return std::unexpected(u"no temporary folder"_s);
    }
    if (const std::string problem = m_harness.problem(); !problem.empty()) {
        return std::unexpected(QString::fromStdString(problem));
    }
    if (auto codes = m_harness.prepareTeamCodes(teamCodes); !codes) {
        return std::unexpected(QString::fromStdString(codes.error()));
    }
    auto server = m_harness.startServer();
    if (!server) {
        return std::unexpected(QString::fromStdString(server.error()));
    }
    m_server = std::move(*server);
    return {};
}

std::expected<void, QString> SyncFixture::stopServer() {
    if (!m_server) {
        return {};
    }
    auto stopped = m_server->stop();
    m_server.reset();
    if (!stopped) {
        return std::unexpected(QString::fromStdString(stopped.error()));
    }
    return {};
}

QString SyncFixture::serverUrl() const {
    return u"http://%1:%2"_s.arg(QString::fromStdString(m_server->host())).arg(m_server->port());
}

QString SyncFixture::sqlitePath() const {
    const std::string& url = m_harness.databaseUrl();
    if (url.starts_with("sqlite:")) {
        return QString::fromStdString(url.substr(7));
    }
    return {};
}

std::expected<std::unique_ptr<VaultMember>, QString> SyncFixture::makeMember(const QString& name) {
    auto member = std::make_unique<VaultMember>();
    member->name = name;
    member->path = m_dir.filePath(name + u".coffer"_s);
    member->password = "correct horse " + name.toStdString();
    auto created = model::Vault::create(member->path, bytesOf(member->password), model::KdfCost::minimum());
    if (!created) {
        return std::unexpected(u"cannot create %1's vault: %2"_s.arg(name, created.error().message()));
    }
    if (auto opened = openParts(*member, std::move(*created)); !opened) {
        return std::unexpected(opened.error());
    }
    return member;
}

std::expected<TeamWorld, QString> SyncFixture::buildTeam(VaultMember& alice, std::vector<Invitee> invitees,
                                                         const QString& serverUrl) {
    TeamWorld world;
    auto code = m_harness.teamCode();
    if (!code) {
        return std::unexpected(QString::fromStdString(code.error()));
    }
    const auto teamCode = crypto::SecureBuffer::copyOf(std::string_view(*code));
    auto created =
        alice.team->createTeam(serverUrl.isEmpty() ? this->serverUrl() : serverUrl, u"acme"_s, alice.name, teamCode);
    if (!created) {
        return std::unexpected(u"createTeam: "_s + describe(created.error()));
    }
    world.team = created->team;

    auto project = alice.store->addProject(u"app"_s);
    if (!project) {
        return std::unexpected(u"addProject: "_s + project.error().message());
    }
    world.projectId = project->id;
    const std::vector<std::pair<QString, QStringList>> content = {
        {u"dev"_s, {u"DB_URL"_s, u"API_KEY"_s}},
        {u"staging"_s, {u"DB_URL"_s, u"S3_SECRET"_s}},
        {u"prod"_s, {u"DB_URL"_s, u"API_KEY"_s, u"STRIPE_KEY"_s, u"SMTP_PASSWORD"_s}},
    };
    for (const auto& [environment, names] : content) {
        auto added = alice.store->addEnvironment(project->id, environment);
        if (!added) {
            return std::unexpected(u"addEnvironment: "_s + added.error().message());
        }
        world.aliceEnvironments[environment] = added->id;
        for (const QString& name : names) {
            if (auto set = alice.set(added->id, name, (environment + u"-"_s + name + u"-v1"_s).toUtf8()); !set) {
                return std::unexpected(set.error());
            }
        }
    }
    auto shared = alice.team->shareProject(world.team, project->id);
    if (!shared) {
        return std::unexpected(u"shareProject: "_s + describe(shared.error()));
    }
    for (const auto& environment : *shared) {
        world.shared[environment.environment] = environment;
    }
    if (world.shared.size() != 3) {
        return std::unexpected(u"shareProject shared %1 environments, not 3"_s.arg(world.shared.size()));
    }
    for (const Invitee& invitee : invitees) {
        if (auto added = addMember(alice, world, invitee); !added) {
            return std::unexpected(added.error());
        }
    }
    for (const Invitee& invitee : invitees) {
        auto synced = invitee.member->engine->syncAll();
        if (!synced) {
            return std::unexpected(invitee.member->name + u" syncAll: "_s + describe(synced.error()));
        }
        if (!synced->ok()) {
            return std::unexpected(invitee.member->name + u" first sync: "_s + describe(*synced));
        }
    }
    return world;
}

std::expected<void, QString> SyncFixture::addMember(VaultMember& alice, const TeamWorld& world,
                                                    const Invitee& invitee) {
    VaultMember& member = *invitee.member;
    auto code = alice.team->invite(world.team);
    if (!code) {
        return std::unexpected(u"invite: "_s + describe(code.error()));
    }
    auto joined = member.team->join(*code, member.name);
    if (!joined) {
        return std::unexpected(member.name + u" join: "_s + describe(joined.error()));
    }
    if (joined->team != world.team) {
        return std::unexpected(member.name + u" joined another team id than the invite's"_s);
    }
    auto members = alice.team->members(world.team);
    if (!members) {
        return std::unexpected(u"members: "_s + describe(members.error()));
    }
    const sync::MemberInfo* pending = nullptr;
    for (const auto& info : *members) {
        if (info.name == member.name && info.status == sync::MemberInfo::Status::Pending) {
            pending = &info;
        }
    }
    if (pending == nullptr) {
        return std::unexpected(u"alice does not see %1 as pending"_s.arg(member.name));
    }
    // Both sides compute the fingerprint from the same keys: what the invitee reads out is what the admin sees.
    if (pending->fingerprint != joined->myFingerprint) {
        return std::unexpected(u"fingerprints differ: alice sees %1, %2 reads %3"_s.arg(
            pending->fingerprint, member.name, joined->myFingerprint));
    }
    auto confirmed = alice.team->confirm(world.team, pending->id, invitee.role, joined->myFingerprint);
    if (!confirmed) {
        return std::unexpected(u"confirm: "_s + describe(confirmed.error()));
    }
    std::vector<sync::AccessChange> changes;
    for (const auto& [environment, access] : invitee.access) {
        const auto found = world.shared.find(environment);
        if (found == world.shared.end()) {
            return std::unexpected(u"no shared environment "_s + environment);
        }
        changes.push_back(sync::AccessChange{pending->id, found->second.environmentId, access});
    }
    if (!changes.empty()) {
        auto applied = alice.team->applyAccess(world.team, changes);
        if (!applied) {
            return std::unexpected(u"applyAccess: "_s + describe(applied.error()));
        }
    }
    return {};
}

} // namespace coffer::tests
