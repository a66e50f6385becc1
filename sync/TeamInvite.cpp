// SPDX-License-Identifier: Apache-2.0
// TeamService: invite codes (make one as an admin, join with one).
#include "sync/TeamService.h"

#include "crypto/Base64.h"
#include "crypto/Fingerprint.h"
#include "crypto/Hash.h"
#include "crypto/Random.h"
#include "crypto/SecureBuffer.h"
#include "model/Vault.h"
#include "sync/ServerClient.h"
#include "sync/TeamState.h"
#include "sync/TeamSupport.h"
#include "sync/protocol/Canonical.h"

#include <QUrl>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace coffer::sync {

namespace {

constexpr std::string_view kInvitePrefix = "coffer-invite-1:";
constexpr std::size_t kSecretBytes = 24;
// team id, the admin's signing and box keys, the secret, and the team name's length byte.
constexpr std::size_t kFixedBytes = 32 + 32 + 32 + kSecretBytes + 1;
constexpr std::size_t kMaxUrlBytes = 2048;
constexpr std::size_t kMaxTeamNameBytes = 255;
constexpr std::chrono::seconds kMaxValidity = std::chrono::hours(24 * 7);

struct ParsedInvite {
    InviteCode info;
    protocol::MemberId admin{};
    std::array<std::byte, kSecretBytes> secret{};
};

std::unexpected<Error> malformed(const QString& why) {
    return fail(ErrorCode::InvalidInput,
                QStringLiteral("This is not a valid invite code: %1. Ask the admin who invited you for the whole "
                               "code (it starts with \"coffer-invite-1:\").")
                    .arg(why));
}

bool isZero(std::span<const std::byte> bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](std::byte b) { return b == std::byte{0}; });
}

Result<ParsedInvite> parseInvite(const crypto::SecureBuffer& code) {
    std::string_view text(reinterpret_cast<const char*>(code.data()), code.size());
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    if (text.empty()) {
        return malformed(QStringLiteral("it is empty"));
    }
    if (!text.starts_with(kInvitePrefix)) {
        return malformed(QStringLiteral("it does not start with \"coffer-invite-1:\""));
    }
    text.remove_prefix(kInvitePrefix.size());
    if (text.size() > (kFixedBytes + kMaxTeamNameBytes + kMaxUrlBytes) * 4 / 3 + 4) {
        return malformed(QStringLiteral("it is too long"));
    }
    auto raw = crypto::fromBase64url(text);
    if (!raw) {
        return malformed(QStringLiteral("it is damaged (not base64url after the prefix)"));
    }
    crypto::SecureBuffer bytes(raw->size());
    std::copy(raw->begin(), raw->end(), bytes.data());
    crypto::wipe(std::span<std::byte>(*raw));
    if (bytes.size() <= kFixedBytes) {
        return malformed(QStringLiteral("it is truncated"));
    }
    ParsedInvite out;
    const std::byte* at = bytes.data();
    std::copy_n(at, 32, out.info.team.bytes.begin());
    crypto::SignPublicKey adminSign;
    crypto::BoxPublicKey adminBox;
    std::copy_n(at + 32, 32, adminSign.bytes.begin());
    std::copy_n(at + 64, 32, adminBox.bytes.begin());
    std::copy_n(at + 96, kSecretBytes, out.secret.begin());
    const auto nameBytes = static_cast<std::size_t>(at[kFixedBytes - 1]);
    if (bytes.size() <= kFixedBytes + nameBytes) {
        return malformed(QStringLiteral("it is truncated"));
    }
    const QByteArray name(reinterpret_cast<const char*>(at + kFixedBytes), static_cast<qsizetype>(nameBytes));
    out.info.teamName = QString::fromUtf8(name);
    if (nameBytes == 0 || out.info.teamName.toUtf8() != name ||
        std::any_of(out.info.teamName.begin(), out.info.teamName.end(),
                    [](QChar c) { return c.category() == QChar::Other_Control; })) {
        return malformed(QStringLiteral("it holds no valid team name"));
    }
    const QByteArray urlBytes(reinterpret_cast<const char*>(at + kFixedBytes + nameBytes),
                              static_cast<qsizetype>(bytes.size() - kFixedBytes - nameBytes));
    out.info.serverUrl = QString::fromUtf8(urlBytes);
    const QUrl url(out.info.serverUrl, QUrl::StrictMode);
    if (urlBytes.size() > static_cast<qsizetype>(kMaxUrlBytes) || out.info.serverUrl.toUtf8() != urlBytes ||
        !url.isValid() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")) ||
        url.host().isEmpty()) {
        return malformed(QStringLiteral("it holds no valid server URL"));
    }
    if (isZero(out.info.team.span())) {
        return malformed(QStringLiteral("it names no team"));
    }
    if (isZero(adminSign.span()) || isZero(adminBox.span())) {
        return malformed(QStringLiteral("it names no admin"));
    }
    out.admin = protocol::memberId(adminSign, adminBox);
    out.info.teamFingerprint = teamFingerprint(out.info.team);
    out.info.adminFingerprint = QString::fromStdString(crypto::fingerprint(adminSign, adminBox));
    return out;
}

// The server's invite code: base64url of the secret (32 characters).
std::string serverCode(const std::array<std::byte, kSecretBytes>& secret) {
    return crypto::toBase64url(secret);
}

} // namespace

Result<InviteCode> readInviteCode(const crypto::SecureBuffer& code) {
    auto parsed = parseInvite(code);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    crypto::wipe(std::span<std::byte>(parsed->secret));
    return parsed->info;
}

Result<crypto::SecureBuffer> TeamService::invite(const protocol::TeamId& team, std::chrono::seconds validity) {
    if (validity <= std::chrono::seconds(0) || validity > kMaxValidity) {
        return fail(ErrorCode::InvalidInput, QStringLiteral("An invite is valid for up to 7 days."));
    }
    auto session = detail::TeamSession::open(m_vault, m_engine, team);
    if (!session) {
        return std::unexpected(session.error());
    }
    if (auto refreshed = (*session)->refresh(false, false); !refreshed) {
        return std::unexpected(refreshed.error());
    }
    if (auto admin = (*session)->requireAdmin(QStringLiteral("invite members")); !admin) {
        return std::unexpected(admin.error());
    }
    auto secret = crypto::randomArray<kSecretBytes>();
    std::string text = serverCode(secret);
    const protocol::Hash codeHash = crypto::blake2b(crypto::asBytes(text));
    crypto::wipe(text);
    auto created = (*session)->client().createInvite(team, codeHash, detail::nowSeconds() + validity.count());
    if (!created) {
        crypto::wipe(std::span<std::byte>(secret));
        return std::unexpected(created.error());
    }

    const TeamRecord& record = (*session)->state().record();
    const protocol::MemberIdentity& me = (*session)->state().me().identity;
    const QByteArray url = record.serverUrl.toUtf8();
    QByteArray name = record.name.toUtf8();
    while (static_cast<std::size_t>(name.size()) > kMaxTeamNameBytes) { // cut on a character boundary
        name = QString::fromUtf8(name.left(name.size() - 1)).toUtf8();
    }
    crypto::SecureBuffer raw(kFixedBytes + static_cast<std::size_t>(name.size() + url.size()));
    std::byte* at = raw.data();
    std::copy(team.bytes.begin(), team.bytes.end(), at);
    std::copy(me.signKey.bytes.begin(), me.signKey.bytes.end(), at + 32);
    std::copy(me.boxKey.bytes.begin(), me.boxKey.bytes.end(), at + 64);
    std::copy(secret.begin(), secret.end(), at + 96);
    at[kFixedBytes - 1] = static_cast<std::byte>(name.size());
    std::copy_n(reinterpret_cast<const std::byte*>(name.constData()), name.size(), at + kFixedBytes);
    std::copy_n(reinterpret_cast<const std::byte*>(url.constData()), url.size(), at + kFixedBytes + name.size());
    crypto::wipe(std::span<std::byte>(secret));
    std::string encoded = crypto::toBase64url(std::span<const std::byte>(raw.data(), raw.size()));
    crypto::SecureBuffer out(kInvitePrefix.size() + encoded.size());
    std::copy_n(reinterpret_cast<const std::byte*>(kInvitePrefix.data()), kInvitePrefix.size(), out.data());
    std::copy_n(reinterpret_cast<const std::byte*>(encoded.data()), encoded.size(), out.data() + kInvitePrefix.size());
    crypto::wipe(encoded);
    return out;
}

Result<JoinResult> TeamService::join(const crypto::SecureBuffer& inviteCode, const QString& displayName,
                                     const QString& caFile) {
    auto parsed = parseInvite(inviteCode);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    const protocol::TeamId& team = parsed->info.team;
    // A vault that was removed from the team may be invited back: it keeps its verified roster and pins.
    bool rejoin = false;
    if (auto existing = loadTeam(m_vault.database(), team); existing) {
        auto state = TeamState::load(m_vault.database(), team);
        if (!state) {
            return std::unexpected(state.error());
        }
        const protocol::RosterMember* me = state->hasRoster() ? state->roster().member(state->me().id) : nullptr;
        if (me == nullptr || !me->removed) {
            // A removed member is refused the roster, so it may not have read its own Remove event: ask the server.
            // Accepting again adds nobody (an admin still compares fingerprints), so its word is enough here.
            auto session = detail::TeamSession::open(m_vault, m_engine, team);
            if (!session) {
                return std::unexpected(session.error());
            }
            auto refreshed = (*session)->refresh(false, false);
            const TeamState& fresh = (*session)->state();
            const protocol::RosterMember* now = fresh.hasRoster() ? fresh.roster().member(fresh.me().id) : nullptr;
            const bool removed =
                now != nullptr && (now->removed || (!refreshed && refreshed.error().code == ErrorCode::Refused));
            if (!removed) {
                if (!refreshed && refreshed.error().code != ErrorCode::Refused) {
                    return std::unexpected(refreshed.error());
                }
                return fail(ErrorCode::NotAllowed, QStringLiteral("This vault already belongs to that team."));
            }
        }
        rejoin = true;
    } else if (existing.error().code != ErrorCode::NotFound) {
        return std::unexpected(existing.error());
    }
    auto identity = ensureIdentity(m_vault.database(), displayName);
    if (!identity) {
        return std::unexpected(identity.error());
    }
    TransportOptions options;
    options.baseUrl = parsed->info.serverUrl;
    options.caFile = caFile;
    auto transport = m_engine.transports()(options);
    if (!transport) {
        return std::unexpected(transport.error());
    }
    ServerClient client(**transport, identity->sign);
    std::string code = serverCode(parsed->secret);
    crypto::wipe(std::span<std::byte>(parsed->secret));
    auto accepted = client.acceptInvite(team, code, identity->identity);
    crypto::wipe(code);
    if (!accepted) {
        Error error = accepted.error();
        if (error.code == ErrorCode::Refused) {
            error.message = QStringLiteral("The server refused the invite: it is unknown, used or expired. Ask the "
                                           "admin for a new one.");
        } else if (error.code == ErrorCode::NotFound) {
            error.message = QStringLiteral("The server does not know the team this invite names.");
        }
        return std::unexpected(error);
    }
    if (*accepted != identity->id) {
        return fail(ErrorCode::HostileResponse,
                    QStringLiteral("The server answered the invite with another member id than this vault's."));
    }

    if (!rejoin) {
        TeamRecord record;
        record.team = team;
        record.name = parsed->info.teamName;
        record.serverUrl = parsed->info.serverUrl;
        record.caFile = caFile;
        record.invitedBy = parsed->admin;
        if (auto stored = storeTeam(m_vault.database(), record); !stored) {
            return std::unexpected(stored.error());
        }
    }
    JoinResult result;
    result.team = team;
    // The first roster read checks that the admin whose keys the code carries is an admin of that roster and that
    // the team id is its genesis hash (Integrity otherwise).
    result.teamFingerprint = parsed->info.teamFingerprint;
    result.adminFingerprint = parsed->info.adminFingerprint;
    result.myFingerprint = detail::fingerprintOf(identity->identity);
    return result;
}

} // namespace coffer::sync
