// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agent/core/AgentErrors.h"

#include <QString>

#include <optional>

namespace coffer::agent {

/// A sentence for people (never a secret).
[[nodiscard]] QString describe(AgentError error);

/// The stable wire name of `error` ("consent-denied", ...), and back.
[[nodiscard]] QString wireName(AgentError error);
[[nodiscard]] std::optional<AgentError> errorFromWireName(const QString& name);

} // namespace coffer::agent
