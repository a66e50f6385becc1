// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"
#include "crypto/Sign.h"
#include "sync/Transport.h"
#include "sync/protocol/Types.h"
#include "tests/sync/integration/ControlledTransport.h"

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace coffer::tests {

/// What a tampering server does to the replies one member gets.
enum class Tamper {
    None,
    FlipByteSigned,      ///< one ciphertext bit of the last record of a pulled page (the one carrying the signature)
    FlipByteInBatch,     ///< one ciphertext bit of the first record of a pulled page of two or more
    SwapEnvironments,    ///< the target environment's records replaced by another environment's (same seq)
    DropRecord,          ///< the first record of a pulled page of two or more left out
    ReplayOldRecord,     ///< an old record of the environment (already applied) served again in front of the page
    ForeignKeyAsGrant,   ///< the victim's grants carry another key, sealed to the victim (signature kept)
    UnsignedRosterEvent, ///< an Add event for a stranger, "signed by" an admin with an all-zero signature
    NonAdminRosterEvent, ///< an Add event for a stranger, validly signed by a member who is not an admin
    AppendRecords,       ///< records the server was given by a colluder, appended at the end of a pull (`appended`)
};

/// What the tamperer needs to know; the server it imitates has all of this (records, grants, the roster), and
/// for NonAdminRosterEvent a member who colludes with it and signs.
struct TamperPlan {
    Tamper mode = Tamper::None;
    protocol::TeamId team{};
    protocol::EnvironmentId target{};                     ///< the environment whose pulls are tampered
    std::vector<protocol::ChangeRecord> otherEnvironment; ///< SwapEnvironments: records of another environment
    std::vector<protocol::ChangeRecord> oldRecords;       ///< ReplayOldRecord: records already served earlier
    protocol::MemberId victim{};                          ///< ForeignKeyAsGrant
    crypto::BoxPublicKey victimBoxKey{};                  ///< ForeignKeyAsGrant
    protocol::MemberIdentity stranger;                    ///< the roster events' subject
    protocol::MemberId admin{};                           ///< UnsignedRosterEvent: the signer it claims
    protocol::MemberId colluder{};                        ///< NonAdminRosterEvent: the signer
    std::shared_ptr<const crypto::SigningKeyPair> colluderKey;
    std::vector<protocol::ChangeRecord> appended; ///< AppendRecords: chained onto the head the server serves
};

/// A tampering server as a Transport decorator: every exchange goes to the real server, and the replies the
/// plan names are rewritten before the client sees them (through NetworkControl::setInterpose). It counts the
/// replies it changed, so a test knows the attack happened.
class TamperingTransport {
public:
    explicit TamperingTransport(TamperPlan plan);

    /// Routes `control`'s exchanges through this tamperer (the control keeps a reference to it).
    static void install(NetworkControl& control, const std::shared_ptr<TamperingTransport>& tamperer);

    [[nodiscard]] sync::Result<sync::HttpResponse> exchange(const sync::HttpRequest& request, sync::Transport& server);
    [[nodiscard]] int tampered() const noexcept { return m_tampered; }

private:
    [[nodiscard]] bool tamperRecords(std::string& body) const;
    [[nodiscard]] bool tamperGrants(std::string& body) const;
    [[nodiscard]] bool tamperRoster(std::string& body) const;

    TamperPlan m_plan;
    std::atomic<int> m_tampered{0};
};

/// A readable name of a mode (data rows).
[[nodiscard]] const char* tamperName(Tamper mode);

} // namespace coffer::tests
