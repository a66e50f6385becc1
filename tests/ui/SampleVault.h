// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"

#include <QString>

#include <span>
#include <string_view>

namespace coffer::model {
class Vault;
}

namespace coffer::test {

/// The bytes of `text`, for passwords and values in tests.
[[nodiscard]] inline std::span<const std::byte> bytesOf(std::string_view text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

/// What fillSampleVault() writes, for assertions.
struct SampleCounts {
    static constexpr int projects = 2;
    static constexpr int environmentsPerProject = 3;
    static constexpr int paymentsDevSecrets = 3;
    static constexpr int paymentsProdSecrets = 5;
    static constexpr int secrets = 16;
};

/// Fills an open, empty vault with a realistic team vault: projects "payments-api" and "web-frontend", each
/// with dev, staging and prod (prod protected), secrets such as DATABASE_URL and STRIPE_SECRET_KEY with
/// notes, tags and three authors; payments-api/prod/DATABASE_URL ends at version 3.
[[nodiscard]] model::Result<void> fillSampleVault(model::Vault& vault);

/// Creates a vault at `path` with the minimum KDF cost and fills it with fillSampleVault(), then closes it.
[[nodiscard]] model::Result<void> createSampleVault(const QString& path, std::string_view password);

} // namespace coffer::test
