// SPDX-License-Identifier: Apache-2.0
#include "tests/sync/integration/TamperingTransport.h"

#include "crypto/Random.h"
#include "crypto/SealedBox.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>

namespace coffer::tests {

namespace {

std::optional<nlohmann::json> parse(const std::string& body) {
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return std::nullopt;
    }
    return json;
}

} // namespace

const char* tamperName(Tamper mode) {
    switch (mode) {
    case Tamper::None:
        return "none";
    case Tamper::FlipByteSigned:
        return "flip a byte of the signed record";
    case Tamper::FlipByteInBatch:
        return "flip a byte inside a batch";
    case Tamper::SwapEnvironments:
        return "swap records between environments";
    case Tamper::DropRecord:
        return "drop a record";
    case Tamper::ReplayOldRecord:
        return "replay an old record";
    case Tamper::ForeignKeyAsGrant:
        return "serve another key as the member's grant";
    case Tamper::UnsignedRosterEvent:
        return "insert an unsigned roster event";
    case Tamper::NonAdminRosterEvent:
        return "insert a roster event signed by a non-admin";
    case Tamper::AppendRecords:
        return "append records from a colluder";
    }
    return "?";
}

TamperingTransport::TamperingTransport(TamperPlan plan)
    : m_plan(std::move(plan)) {}

void TamperingTransport::install(NetworkControl& control, const std::shared_ptr<TamperingTransport>& tamperer) {
    control.setInterpose([tamperer](const sync::HttpRequest& request, sync::Transport& server) {
        return tamperer->exchange(request, server);
    });
}

sync::Result<sync::HttpResponse> TamperingTransport::exchange(const sync::HttpRequest& request,
                                                              sync::Transport& server) {
    auto response = server.send(request);
    if (!response || response->status != 200 || request.method != "GET") {
        return response;
    }
    const std::string recordsPath = "/environments/" + protocol::hex(m_plan.target) + "/records";
    bool changed = false;
    switch (m_plan.mode) {
    case Tamper::None:
        break;
    case Tamper::FlipByteSigned:
    case Tamper::FlipByteInBatch:
    case Tamper::SwapEnvironments:
    case Tamper::DropRecord:
    case Tamper::ReplayOldRecord:
    case Tamper::AppendRecords:
        if (request.path.ends_with(recordsPath)) {
            changed = tamperRecords(response->body);
        }
        break;
    case Tamper::ForeignKeyAsGrant:
        if (request.path.ends_with("/grants") && request.query.empty()) {
            changed = tamperGrants(response->body);
        }
        break;
    case Tamper::UnsignedRosterEvent:
    case Tamper::NonAdminRosterEvent:
        if (request.path.ends_with("/roster")) {
            changed = tamperRoster(response->body);
        }
        break;
    }
    if (changed) {
        ++m_tampered;
    }
    return response;
}

bool TamperingTransport::tamperRecords(std::string& body) const {
    auto json = parse(body);
    if (!json || !json->contains("records") || !(*json)["records"].is_array()) {
        return false;
    }
    std::vector<protocol::ChangeRecord> records;
    for (const auto& item : (*json)["records"]) {
        auto record = protocol::recordFromJson(item);
        if (!record) {
            return false;
        }
        records.push_back(std::move(*record));
    }
    if (m_plan.mode == Tamper::AppendRecords) {
        auto head = protocol::headFromJson((*json)["head"]);
        if (!head || m_plan.appended.empty() || m_plan.appended.front().seq != head->seq + 1) {
            return false;
        }
        records.insert(records.end(), m_plan.appended.begin(), m_plan.appended.end());
        (*json)["head"] = protocol::toJson(protocol::Head{records.back().seq, protocol::recordHash(records.back())});
    } else if (records.empty()) {
        return false;
    }
    switch (m_plan.mode) {
    case Tamper::AppendRecords:
        break;
    case Tamper::FlipByteSigned:
        records.back().ciphertext.front() ^= std::byte{0x01};
        break;
    case Tamper::FlipByteInBatch:
        if (records.size() < 2 || records.front().batchSignature) {
            return false;
        }
        records.front().ciphertext.front() ^= std::byte{0x01};
        break;
    case Tamper::SwapEnvironments: {
        bool any = false;
        for (auto& record : records) {
            const auto other =
                std::ranges::find_if(m_plan.otherEnvironment, [&](const protocol::ChangeRecord& candidate) {
                    return candidate.seq == record.seq;
                });
            if (other != m_plan.otherEnvironment.end()) {
                record = *other;
                any = true;
            }
        }
        if (!any) {
            return false;
        }
        break;
    }
    case Tamper::DropRecord:
        if (records.size() < 2) {
            return false;
        }
        records.erase(records.begin());
        break;
    case Tamper::ReplayOldRecord: {
        const auto old = std::ranges::find_if(m_plan.oldRecords, [&](const protocol::ChangeRecord& candidate) {
            return candidate.seq < records.front().seq;
        });
        if (old == m_plan.oldRecords.end()) {
            return false;
        }
        records.insert(records.begin(), *old);
        break;
    }
    default:
        return false;
    }
    nlohmann::json out = nlohmann::json::array();
    for (const auto& record : records) {
        out.push_back(protocol::toJson(record));
    }
    (*json)["records"] = std::move(out);
    body = json->dump();
    return true;
}

bool TamperingTransport::tamperGrants(std::string& body) const {
    auto json = parse(body);
    if (!json || !json->contains("grants") || !(*json)["grants"].is_array()) {
        return false;
    }
    bool any = false;
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : (*json)["grants"]) {
        auto grant = protocol::grantFromJson(item);
        if (!grant) {
            return false;
        }
        if (grant->member == m_plan.victim) {
            // A key the server chose, sealed to the victim: a sealed box alone proves nothing about its sender.
            const auto foreignKey = crypto::randomArray<32>();
            grant->sealedKey = crypto::seal(m_plan.victimBoxKey, foreignKey);
            any = true;
        }
        out.push_back(protocol::toJson(*grant));
    }
    if (!any) {
        return false;
    }
    (*json)["grants"] = std::move(out);
    body = json->dump();
    return true;
}

bool TamperingTransport::tamperRoster(std::string& body) const {
    auto json = parse(body);
    if (!json || !json->contains("head") || !json->contains("events") || !(*json)["events"].is_array()) {
        return false;
    }
    auto head = protocol::headFromJson((*json)["head"]);
    if (!head) {
        return false;
    }
    protocol::RosterEvent event;
    event.team = m_plan.team;
    event.seq = head->seq + 1;
    event.previous = head->hash;
    event.kind = protocol::RosterEventKind::Add;
    event.subject = m_plan.stranger;
    event.role = protocol::Role::Admin;
    event.time = static_cast<std::int64_t>(std::time(nullptr));
    if (m_plan.mode == Tamper::UnsignedRosterEvent) {
        event.signer = m_plan.admin; // signature left all-zero
    } else {
        event.signer = m_plan.colluder;
        protocol::signRosterEvent(event, m_plan.colluderKey->secretKey);
    }
    (*json)["events"].push_back(protocol::toJson(event));
    (*json)["head"] = protocol::toJson(protocol::Head{event.seq, protocol::rosterEventHash(event)});
    body = json->dump();
    return true;
}

} // namespace coffer::tests
