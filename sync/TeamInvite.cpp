// SPDX-License-Identifier: Apache-2.0
// TeamService: invite codes (make one as an admin, join with one).
#include "sync/TeamService.h"

#include "crypto/Base64.h"
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
constexpr std::size_t kFixedBytes = 32 + 32 + kSecretBytes;
constexpr std::size_t kMaxUrlBytes = 2048;
constexpr std::chrono::seconds kMaxValidity = std::chrono::hours(24 * 7);

struct ParsedInvite {
    protocol::TeamId team{};
    protocol::MemberId admin{};
    std::array<std::byte, kSecretBytes> secret{};
    QString serverUrl;
};

std::unexpected<Error> malformed(const QString& why) {
    return fail(ErrorCode::InvalidInput,
                QStringLiteral("This is not a valid invite code: %1. Ask the admin who invited you for the whole "
                               "code (it starts with \"coffer-invite-1:\").")
                    .arg(why));
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
    if (text.size() > (kFixedBytes + kMaxUrlBytes) * 4 / 3 + 4) {
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
    std::copy_n(bytes.data(), 32, out.team.bytes.begin());
    std::copy_n(bytes.data() + 32, 32, out.admin.bytes.begin());
    std::copy_n(bytes.data() + 64, kSecretBytes, out.secret.begin());
    const QByteArray urlBytes(reinterpret_cast<const char*>(bytes.data() + kFixedBytes),
                              static_cast<qsizetype>(bytes.size() - kFixedBytes));
    out.serverUrl = QString::fromUtf8(urlBytes);
    const QUrl url(out.serverUrl, QUrl::StrictMode);
    if (out.serverUrl.toUtf8() != urlBytes || !url.isValid() ||
        (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")) || url.host().isEmpty()) {
        return malformed(QStringLiteral("it holds no valid server URL"));
    }
    if (std::all_of(out.team.bytes.begin(), out.team.bytes.end(), [](std::byte b) { return b == std::byte{0}; })) {
        return malformed(QStringLiteral("it names no team"));
    }
    return out;
}

// The server's invite code: base64url of the secret (32 characters).
std::string serverCode(const std::array<std::byte, kSecretBytes>& secret) {
    return crypto::toBase64url(secret);
}

} // namespace

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

    const QByteArray url = (*session)->state().record().serverUrl.toUtf8();
    crypto::SecureBuffer raw(kFixedBytes + static_cast<std::size_t>(url.size()));
    std::copy(team.bytes.begin(), team.bytes.end(), raw.data());
    std::copy((*session)->state().me().id.bytes.begin(), (*session)->state().me().id.bytes.end(), raw.data() + 32);
    std::copy(secret.begin(), secret.end(), raw.data() + 64);
    std::copy_n(reinterpret_cast<const std::byte*>(url.constData()), url.size(), raw.data() + kFixedBytes);
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
    // A vault that was removed from the team may be invited back: it keeps its verified roster and pins.
    bool rejoin = false;
    if (auto existing = loadTeam(m_vault.database(), parsed->team); existing) {
        auto state = TeamState::load(m_vault.database(), parsed->team);
        if (!state) {
            return std::unexpected(state.error());
        }
        const protocol::RosterMember* me = state->hasRoster() ? state->roster().member(state->me().id) : nullptr;
        if (me == nullptr || !me->removed) {
            // A removed member is refused the roster, so it may not have read its own Remove event: ask the server.
            // Accepting again adds nobody (an admin still compares fingerprints), so its word is enough here.
            auto session = detail::TeamSession::open(m_vault, m_engine, parsed->team);
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
    options.baseUrl = parsed->serverUrl;
    options.caFile = caFile;
    auto transport = m_engine.transports()(options);
    if (!transport) {
        return std::unexpected(transport.error());
    }
    ServerClient client(**transport, identity->sign);
    std::string code = serverCode(parsed->secret);
    crypto::wipe(std::span<std::byte>(parsed->secret));
    auto accepted = client.acceptInvite(parsed->team, code, identity->identity);
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
        record.team = parsed->team;
        record.name = QStringLiteral("team-%1").arg(detail::hexText(parsed->team.span()).left(8));
        record.serverUrl = parsed->serverUrl;
        record.caFile = caFile;
        record.invitedBy = parsed->admin;
        if (auto stored = storeTeam(m_vault.database(), record); !stored) {
            return std::unexpected(stored.error());
        }
    }
    JoinResult result;
    result.team = parsed->team;
    result.teamFingerprint = teamFingerprint(parsed->team);
    // The code carries the admin's member id (a hash of their keys), not the keys: it is shown as hex, and the
    // first roster read checks that this member is an admin of the roster (Integrity otherwise).
    const QString adminHex = detail::hexText(parsed->admin.span()).left(16);
    for (int i = 0; i < 4; ++i) {
        result.adminFingerprint += (i ? QStringLiteral(" ") : QString()) + adminHex.mid(i * 4, 4);
    }
    result.myFingerprint = detail::fingerprintOf(identity->identity);
    return result;
}

} // namespace coffer::sync
