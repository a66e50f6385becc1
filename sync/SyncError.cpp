// SPDX-License-Identifier: Apache-2.0
#include "sync/SyncError.h"

namespace coffer::sync {

std::unexpected<Error> fail(const model::Error& error) {
    return fail(ErrorCode::Vault, error.message());
}

std::unexpected<Error> failIntegrity(const QString& what, const protocol::Error& check) {
    // The detail is protocol text that never holds secret bytes (ProtocolError.h), so it may be shown.
    QString message = what + QStringLiteral(": ") +
                      QString::fromStdString(std::string(protocol::codeName(check.code))) + QStringLiteral(" at ") +
                      QString::number(check.position);
    if (!check.detail.empty())
        message += QStringLiteral(": ") + QString::fromStdString(check.detail);
    return std::unexpected(Error{ErrorCode::Integrity, std::move(message), check, 0});
}

QString codeName(ErrorCode code) {
    switch (code) {
    case ErrorCode::Offline:
        return QStringLiteral("offline");
    case ErrorCode::Tls:
        return QStringLiteral("tls");
    case ErrorCode::Redirect:
        return QStringLiteral("redirect");
    case ErrorCode::Server:
        return QStringLiteral("server");
    case ErrorCode::Refused:
        return QStringLiteral("refused");
    case ErrorCode::NotFound:
        return QStringLiteral("not-found");
    case ErrorCode::HostileResponse:
        return QStringLiteral("hostile-response");
    case ErrorCode::Integrity:
        return QStringLiteral("integrity");
    case ErrorCode::NotAllowed:
        return QStringLiteral("not-allowed");
    case ErrorCode::InvalidInput:
        return QStringLiteral("invalid-input");
    case ErrorCode::Conflict:
        return QStringLiteral("conflict");
    case ErrorCode::Vault:
        return QStringLiteral("vault");
    }
    return QStringLiteral("unknown");
}

} // namespace coffer::sync
