// SPDX-License-Identifier: Apache-2.0
// SqlStore: the two chains, the roster and the environment logs, with compare-and-append.
//
// Compare-and-append runs in one transaction: read the head, compare it with `expected`, insert the rows
// with seq = head + 1, +2... The decision belongs to the database, not to this process: two writers that
// both saw the same head both insert the same (team, [env,] seq) key, and the primary key lets exactly one
// commit. On SQLite, BEGIN IMMEDIATE already serialises writers (and one instance holds the file); on
// PostgreSQL (READ COMMITTED) the loser blocks on the winner's key and gets a unique violation, rolls back,
// and answers with the head that won.
#include "server/SqlStore.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

namespace coffer::server {

using sql::params;

namespace sql {

StoreResult<std::int64_t> toDb(std::uint64_t value, std::string_view what) {
    if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return std::unexpected(storeError(StoreErrorCode::Invalid, std::string(what) + " out of range"));
    }
    return static_cast<std::int64_t>(value);
}

bool sameHead(const ChainHead& current, const ChainHead& expected) noexcept {
    if (current.seq != expected.seq) {
        return false;
    }
    if (current.hash == expected.hash) {
        return true;
    }
    const bool emptyLog = current.seq == 0 && current.hash.empty();
    return emptyLog && expected.hash.size() == 64 &&
           std::all_of(expected.hash.begin(), expected.hash.end(), [](char c) { return c == '0'; });
}

} // namespace sql

namespace {

/// The rows of one append must continue the expected head: seq = expected.seq + 1, + 2...
template <typename Row> StoreResult<void> checkContinues(const ChainHead& expected, const std::vector<Row>& rows) {
    if (rows.empty()) {
        return std::unexpected(storeError(StoreErrorCode::Invalid, "nothing to append"));
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::uint64_t want = expected.seq + 1 + i;
        if (want <= expected.seq || rows[i].seq != want) {
            return std::unexpected(storeError(StoreErrorCode::Invalid, "rows must continue the head: expected seq " +
                                                                           std::to_string(want) + ", got " +
                                                                           std::to_string(rows[i].seq)));
        }
    }
    if (auto last = sql::toDb(rows.back().seq, "seq"); !last) {
        return std::unexpected(last.error());
    }
    return {};
}

constexpr std::size_t recordsPerInsert = 100;

/// "INSERT ... VALUES ($1..$8), ($9..$16)..." for `rows` rows: placeholders only, never a value.
std::string insertRecordsSql(std::size_t rows) {
    std::string sql = "INSERT INTO records (team_id, environment, seq, record_id, hash, author_id, batch_end, json) "
                      "VALUES ";
    for (std::size_t row = 0; row < rows; ++row) {
        sql += row == 0 ? "(" : ", (";
        for (std::size_t column = 1; column <= 8; ++column) {
            sql += (column == 1 ? "$" : ", $") + std::to_string(row * 8 + column);
        }
        sql += ")";
    }
    return sql;
}

} // namespace

StoreResult<std::optional<ChainHead>> SqlStore::readHead(SqlSession& session, std::string_view sql,
                                                         std::initializer_list<SqlValue> values) {
    auto rows = session.query(sql, params(values));
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::optional<ChainHead>{};
    }
    ChainHead head;
    head.seq = rows->front().nextCount();
    head.hash = rows->front().nextText();
    if (rows->front().error()) {
        return std::unexpected(*rows->front().error());
    }
    return std::optional<ChainHead>{std::move(head)};
}

StoreResult<void> SqlStore::requireTeam(SqlSession& session, std::string_view teamId) {
    auto rows = session.query("SELECT 1 FROM teams WHERE team_id = $1", params({teamId}));
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::unexpected(storeError(StoreErrorCode::Invalid, "unknown team"));
    }
    return {};
}

// Roster

namespace {
constexpr std::string_view rosterHeadSql =
    "SELECT seq, hash FROM roster_events WHERE team_id = $1 ORDER BY seq DESC LIMIT 1";
constexpr std::string_view recordHeadSql =
    "SELECT seq, hash FROM records WHERE team_id = $1 AND environment = $2 ORDER BY seq DESC LIMIT 1";
} // namespace

StoreResult<AppendOutcome> SqlStore::appendRoster(std::string_view teamId, const ChainHead& expected,
                                                  const std::vector<RosterRow>& events,
                                                  const std::vector<MemberRow>& members) {
    if (auto ok = checkContinues(expected, events); !ok) {
        return std::unexpected(ok.error());
    }
    if (members.empty()) {
        return std::unexpected(storeError(StoreErrorCode::Invalid, "a roster append replaces the members: none given"));
    }
    bool lost = false;
    auto outcome = transact(true, [&](SqlSession& session) -> StoreResult<AppendOutcome> {
        lost = false;
        auto head = readHead(session, rosterHeadSql, {teamId});
        if (!head) {
            return std::unexpected(head.error());
        }
        if (!*head) {
            return std::unexpected(storeError(StoreErrorCode::Invalid, "unknown team"));
        }
        if (!sql::sameHead(**head, expected)) {
            return AppendOutcome{false, **head};
        }
        for (const RosterRow& event : events) {
            auto inserted =
                session.execute("INSERT INTO roster_events (team_id, seq, hash, json) VALUES ($1, $2, $3, $4)",
                                params({teamId, static_cast<std::int64_t>(event.seq), event.hash, event.json}));
            if (!inserted) {
                lost = session.lastFailure() == SqlFailure::UniqueViolation;
                return std::unexpected(inserted.error());
            }
        }
        if (auto cleared = session.execute("DELETE FROM members WHERE team_id = $1", params({teamId})); !cleared) {
            return std::unexpected(cleared.error());
        }
        for (const MemberRow& member : members) {
            auto inserted = session.execute(
                "INSERT INTO members (team_id, member_id, sign_key, role, removed) VALUES ($1, $2, $3, $4, $5)",
                params({teamId, member.memberId, member.signKey, member.role, member.removed}));
            if (!inserted) {
                return std::unexpected(inserted.error());
            }
        }
        return AppendOutcome{true, ChainHead{events.back().seq, events.back().hash}};
    });
    // Before this returns, so that the next request of a removed member is refused (even after a failure:
    // a commit that reported an error may still have happened).
    m_cache.invalidate();
    if (!outcome && lost) {
        // Another instance appended onto the same head first: answer with the head that won.
        auto head = rosterHead(teamId);
        if (!head) {
            return std::unexpected(head.error());
        }
        return AppendOutcome{false, *head};
    }
    return outcome;
}

StoreResult<std::vector<RosterRow>> SqlStore::readRoster(std::string_view teamId, std::uint64_t fromSeq) {
    auto from = sql::toDb(fromSeq, "seq");
    if (!from) {
        return std::vector<RosterRow>{};
    }
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    auto rows = (*lease)->query("SELECT seq, hash, json FROM roster_events WHERE team_id = $1 AND seq >= $2 "
                                "ORDER BY seq",
                                params({teamId, *from}));
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<RosterRow> out;
    out.reserve(rows->size());
    for (auto& row : *rows) {
        RosterRow event;
        event.seq = row.nextCount();
        event.hash = row.nextText();
        event.json = row.nextText();
        if (row.error()) {
            return std::unexpected(*row.error());
        }
        out.push_back(std::move(event));
    }
    return out;
}

StoreResult<ChainHead> SqlStore::rosterHead(std::string_view teamId) {
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    auto head = readHead(**lease, rosterHeadSql, {teamId});
    if (!head) {
        return std::unexpected(head.error());
    }
    return head->value_or(ChainHead{});
}

StoreResult<std::optional<MemberRow>> SqlStore::memberBySignKey(std::string_view teamId, std::string_view signKey) {
    if (auto cached = m_cache.member(teamId, signKey)) {
        return cached;
    }
    const std::uint64_t generation = m_cache.generation();
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    // A current member wins over a removed row with the same key (a key can only be re-added as a new member).
    auto rows = (*lease)->query("SELECT member_id, sign_key, role, removed FROM members "
                                "WHERE team_id = $1 AND sign_key = $2 ORDER BY removed, member_id LIMIT 1",
                                params({teamId, signKey}));
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::optional<MemberRow>{};
    }
    SqlRow& row = rows->front();
    MemberRow member;
    member.memberId = row.nextText();
    member.signKey = row.nextText();
    member.role = row.nextText();
    member.removed = row.nextBool();
    if (row.error()) {
        return std::unexpected(*row.error());
    }
    m_cache.putMember(teamId, signKey, member, generation);
    return std::optional<MemberRow>{std::move(member)};
}

// Environment logs

StoreResult<AppendOutcome> SqlStore::appendRecords(std::string_view teamId, std::string_view environment,
                                                   const ChainHead& expected, const std::vector<RecordRow>& records) {
    if (auto ok = checkContinues(expected, records); !ok) {
        return std::unexpected(ok.error());
    }
    if (!records.back().batchEnd) {
        // readRecords ends pages on a batch end; a batch without one would make the log unreadable.
        return std::unexpected(storeError(StoreErrorCode::Invalid, "the last record of a batch must be its batch end"));
    }
    bool lost = false;
    auto outcome = transact(true, [&](SqlSession& session) -> StoreResult<AppendOutcome> {
        lost = false;
        if (auto team = requireTeam(session, teamId); !team) {
            return std::unexpected(team.error());
        }
        auto head = readHead(session, recordHeadSql, {teamId, environment});
        if (!head) {
            return std::unexpected(head.error());
        }
        const ChainHead current = head->value_or(ChainHead{});
        if (!sql::sameHead(current, expected)) {
            return AppendOutcome{false, current};
        }
        // Many rows per statement: one round trip per chunk rather than per record on PostgreSQL.
        for (std::size_t start = 0; start < records.size(); start += recordsPerInsert) {
            const std::size_t count = std::min(recordsPerInsert, records.size() - start);
            std::vector<SqlValue> values;
            values.reserve(count * 8);
            for (std::size_t i = start; i < start + count; ++i) {
                const RecordRow& record = records[i];
                values.insert(values.end(),
                              {teamId, environment, static_cast<std::int64_t>(record.seq), record.recordId, record.hash,
                               record.authorId, record.batchEnd, record.json});
            }
            auto inserted = session.execute(insertRecordsSql(count), values);
            if (!inserted) {
                lost = session.lastFailure() == SqlFailure::UniqueViolation;
                return std::unexpected(inserted.error());
            }
        }
        return AppendOutcome{true, ChainHead{records.back().seq, records.back().hash}};
    });
    if (!outcome && lost) {
        // Either another instance appended onto this head first (the head moved: a conflict for the
        // client), or a record id is already in this log (the head did not move: the caller's mistake).
        auto head = environmentHead(teamId, environment);
        if (!head) {
            return std::unexpected(head.error());
        }
        if (sql::sameHead(*head, expected)) {
            return std::unexpected(storeError(StoreErrorCode::Invalid, "a record id is already in this environment"));
        }
        return AppendOutcome{false, *head};
    }
    return outcome;
}

StoreResult<std::vector<RecordRow>> SqlStore::readRecords(std::string_view teamId, std::string_view environment,
                                                          std::uint64_t afterSeq, std::size_t limit) {
    if (limit == 0) {
        return std::vector<RecordRow>{};
    }
    auto after = sql::toDb(afterSeq, "seq");
    if (!after) {
        return std::vector<RecordRow>{};
    }
    // Seqs are contiguous from 1, so "the first `limit` rows after afterSeq" is seq <= afterSeq + limit; the
    // page then runs on to the first batch end at or after that bound. One statement, one snapshot.
    const auto room = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() - *after);
    const std::int64_t bound = *after + static_cast<std::int64_t>(std::min<std::uint64_t>(limit, room));
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    auto rows = (*lease)->query(
        "SELECT seq, record_id, hash, author_id, batch_end, json FROM records "
        "WHERE team_id = $1 AND environment = $2 AND seq > $3 AND seq <= COALESCE("
        "(SELECT MIN(seq) FROM records WHERE team_id = $1 AND environment = $2 AND seq >= $4 AND batch_end), $4) "
        "ORDER BY seq",
        params({teamId, environment, *after, bound}));
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<RecordRow> out;
    out.reserve(rows->size());
    for (auto& row : *rows) {
        RecordRow record;
        record.seq = row.nextCount();
        record.recordId = row.nextText();
        record.hash = row.nextText();
        record.authorId = row.nextText();
        record.batchEnd = row.nextBool();
        record.json = row.nextText();
        if (row.error()) {
            return std::unexpected(*row.error());
        }
        out.push_back(std::move(record));
    }
    return out;
}

StoreResult<ChainHead> SqlStore::environmentHead(std::string_view teamId, std::string_view environment) {
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    auto head = readHead(**lease, recordHeadSql, {teamId, environment});
    if (!head) {
        return std::unexpected(head.error());
    }
    return head->value_or(ChainHead{});
}

StoreResult<std::uint64_t> SqlStore::recordCount() {
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    auto rows = (*lease)->query("SELECT COUNT(*) FROM records", {});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::unexpected(storeError(StoreErrorCode::Corrupt, "COUNT returned no row"));
    }
    const std::uint64_t count = rows->front().nextCount();
    if (rows->front().error()) {
        return std::unexpected(*rows->front().error());
    }
    return count;
}

} // namespace coffer::server
