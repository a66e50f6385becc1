// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>

namespace coffer::server {

/// The bounds the API enforces (config keys in parentheses). Every one is a defence against a
/// client, hostile or buggy, that would otherwise take the memory, the disk or the CPU.
struct Limits {
    std::size_t maxBodyBytes = 4 * 1024 * 1024; ///< (max_body_bytes) larger bodies: 413
    std::size_t maxRecordsPerPush = 1000;       ///< (max_records_per_push) also bounds roster events and grants
    std::size_t maxRecordBytes = 64 * 1024;     ///< (max_record_bytes) ciphertext of one record
    double rateLimitPerSecond = 200;            ///< (rate_limit_per_second) requests per member per instance
    double rateLimitBurst = 400;                ///< (rate_limit_burst) bucket size
    std::size_t maxPageRecords = 1000;          ///< records per GET page (a page still ends on a batch end)
    std::size_t maxAccessLogEntries = 1000;     ///< entries per access-log page
};

} // namespace coffer::server
