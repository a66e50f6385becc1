// SPDX-License-Identifier: Apache-2.0
#include "agent/AgentError.h"

namespace coffer::agent {

namespace {

QString fromView(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace

QString describe(AgentError error) {
    return fromView(sentenceFor(error));
}

QString wireName(AgentError error) {
    return fromView(wireNameOf(error));
}

std::optional<AgentError> errorFromWireName(const QString& name) {
    const QByteArray utf8 = name.toUtf8();
    return errorNamed(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
}

} // namespace coffer::agent
