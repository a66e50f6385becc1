// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/protocol/ProtocolError.h"
#include "sync/protocol/Types.h"

#include <string_view>
#include <vector>

namespace coffer::protocol {

/// A pull reply: {"records": [ChangeRecord...], "head": Head, "more": bool}.
struct RecordPageReply {
    std::vector<ChangeRecord> records;
    Head head;
    bool more = false;
};

/// Decodes a pull reply straight from its text, with no JSON DOM in between (a page of 1,000 records built
/// one, ~11,000 map nodes and strings, for a pull of 100k records a tenth of the client's time).
///
/// As strict as parseJson() followed by recordFromJson()/headFromJson() on each part, and refusing exactly
/// what they refuse: the JSON grammar and UTF-8 of nlohmann's lexer, no NUL byte, nesting bounded by 16, no
/// key twice in an object, exactly the fields named (each record's "batchSignature" optional), each of its
/// type and size (lowercase hex, strict base64url, unsigned integers), a record's version judged first
/// (UnknownVersion). On failure, `detail` holds the whole problem as ServerClient quotes it ("not JSON (...)",
/// "field \"records[3]\": ...", "the reply lacks the field \"more\"", ...); it never holds a value from the
/// text, only field names the decoder knows (an unexpected top-level one cut to 40 bytes).
[[nodiscard]] Result<RecordPageReply> decodeRecordPage(std::string_view text);

} // namespace coffer::protocol
