// SPDX-License-Identifier: Apache-2.0
#include "sync/SyncDetail.h"

#include <QDateTime>

#include <array>

namespace coffer::sync::detail {

std::int64_t nowMs() {
    return static_cast<std::int64_t>(QDateTime::currentMSecsSinceEpoch());
}

QString digitGroups(const crypto::Hash256& hash) {
    constexpr std::size_t kGroups = 6;
    constexpr std::size_t kBytesPerGroup = 5;
    static_assert(kGroups * kBytesPerGroup <= crypto::Hash256::size);
    QString out;
    for (std::size_t group = 0; group < kGroups; ++group) {
        // 40 bits mod 100000, as crypto::fingerprint: the bias is far below what a reader could notice.
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < kBytesPerGroup; ++i)
            value = (value << 8) | std::to_integer<std::uint64_t>(hash.bytes[group * kBytesPerGroup + i]);
        if (group != 0)
            out += QLatin1Char(' ');
        out += QStringLiteral("%1").arg(static_cast<qulonglong>(value % 100'000), 5, 10, QLatin1Char('0'));
    }
    return out;
}

void recordEvidence(model::Database& db, const protocol::TeamId& team,
                    const std::optional<protocol::EnvironmentId>& environment, const protocol::Error& check,
                    const QString& message, std::span<const std::byte> bytes) {
    auto q = db.prepare("INSERT INTO sync_evidence (team, environment, check_name, position, message, bytes, at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!q)
        return;
    q->bindBlob(1, team.bytes);
    if (environment)
        q->bindBlob(2, *environment);
    else
        q->bindNull(2);
    q->bind(3, protocol::codeName(check.code));
    q->bind(4, static_cast<std::int64_t>(check.position));
    q->bind(5, message);
    q->bindBlob(6, bytes);
    q->bind(7, nowMs());
    // Evidence is best effort: the integrity error itself is what the caller reports.
    (void)q->run();
}

protocol::Error checkFromName(const QString& name, std::uint64_t position, const QString& detail) {
    using protocol::ErrorCode;
    constexpr std::array codes = {
        ErrorCode::Malformed,    ErrorCode::UnknownVersion, ErrorCode::BadSignature,  ErrorCode::SignerNotAuthorised,
        ErrorCode::Gap,          ErrorCode::Fork,           ErrorCode::Regression,    ErrorCode::BrokenChain,
        ErrorCode::WrongContext, ErrorCode::UnsignedTail,   ErrorCode::LimitExceeded, ErrorCode::StaleTime};
    for (const ErrorCode code : codes) {
        if (name == QLatin1StringView(protocol::codeName(code)))
            return protocol::Error{code, position, detail.toStdString()};
    }
    return protocol::Error{ErrorCode::Malformed, position, detail.toStdString()};
}

} // namespace coffer::sync::detail
