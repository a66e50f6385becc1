// SPDX-License-Identifier: Apache-2.0
// The plaintext of a change and its encryption into a record (declared in Canonical.h). The value is a
// secret: it is written and read in place inside SecureBuffers, never through the vector-backed
// WireWriter/WireReader, so no copy of it lands in ordinary memory.
#include "sync/protocol/Canonical.h"

#include "crypto/Random.h"
#include "sync/protocol/Utf8.h"

#include <algorithm>
#include <cassert>

namespace coffer::protocol {

namespace {

constexpr std::string_view kTagChange = "coffer/change/v1";

class SecureWriter {
public:
    explicit SecureWriter(std::span<std::byte> out)
        : m_out(out) {}

    void u8(std::uint8_t value) { m_out[m_offset++] = static_cast<std::byte>(value); }
    void bytes(std::span<const std::byte> value) {
        const auto size = static_cast<std::uint32_t>(value.size());
        for (int shift = 24; shift >= 0; shift -= 8) {
            u8(static_cast<std::uint8_t>((size >> shift) & 0xffU));
        }
        std::ranges::copy(value, m_out.begin() + static_cast<std::ptrdiff_t>(m_offset));
        m_offset += value.size();
    }
    void text(std::string_view value) { bytes(std::as_bytes(std::span<const char>(value.data(), value.size()))); }
    [[nodiscard]] std::size_t offset() const noexcept { return m_offset; }

private:
    std::span<std::byte> m_out;
    std::size_t m_offset = 0;
};

// Reads fields as views into the input, so the value is copied only once, into its SecureBuffer.
class SpanReader {
public:
    explicit SpanReader(std::span<const std::byte> data)
        : m_data(data) {}

    Result<std::uint8_t> u8() {
        if (m_offset >= m_data.size()) {
            return fail(ErrorCode::Malformed, m_offset, "truncated");
        }
        return std::to_integer<std::uint8_t>(m_data[m_offset++]);
    }
    Result<std::span<const std::byte>> bytes(std::size_t maxSize) {
        const std::size_t start = m_offset;
        if (m_data.size() - m_offset < 4) {
            return fail(ErrorCode::Malformed, start, "truncated");
        }
        std::uint32_t size = 0;
        for (int i = 0; i < 4; ++i) {
            size = (size << 8) | std::to_integer<std::uint32_t>(m_data[m_offset++]);
        }
        if (size > m_data.size() - m_offset) {
            return fail(ErrorCode::Malformed, start, "length past the end of the data");
        }
        if (size > maxSize) {
            return fail(ErrorCode::LimitExceeded, start, "field too long");
        }
        const auto field = m_data.subspan(m_offset, size);
        m_offset += size;
        return field;
    }
    Result<std::string> text(std::size_t maxSize) {
        const std::size_t start = m_offset;
        auto raw = bytes(maxSize);
        if (!raw) {
            return std::unexpected(raw.error());
        }
        std::string out(reinterpret_cast<const char*>(raw->data()), raw->size());
        if (!isValidUtf8(out)) {
            return fail(ErrorCode::Malformed, start, "text is not valid UTF-8");
        }
        return out;
    }
    [[nodiscard]] bool atEnd() const noexcept { return m_offset == m_data.size(); }
    [[nodiscard]] std::size_t offset() const noexcept { return m_offset; }

private:
    std::span<const std::byte> m_data;
    std::size_t m_offset = 0;
};

} // namespace

crypto::SecureBuffer encodeChange(const Change& change) {
    const std::size_t size = 4 + kTagChange.size() + 1 + 4 + change.name.size() + 4 + change.value.size() + 4 +
                             change.note.size() + 4 + change.baseRecord.size();
    crypto::SecureBuffer out(size);
    SecureWriter writer(out.bytes());
    writer.text(kTagChange);
    writer.u8(static_cast<std::uint8_t>(change.op));
    writer.text(change.name);
    writer.bytes(change.value.bytes());
    writer.text(change.note);
    writer.bytes(change.baseRecord);
    assert(writer.offset() == size);
    return out;
}

Result<ChangeView> decodeChangeView(std::span<const std::byte> bytes) {
    SpanReader reader(bytes);
    auto tag = reader.text(64);
    if (!tag) {
        return fail(ErrorCode::Malformed, 0, "no domain tag");
    }
    if (*tag != kTagChange) {
        if (tag->starts_with("coffer/change/v")) {
            return fail(ErrorCode::UnknownVersion, 0, "unknown change format \"" + *tag + "\"");
        }
        return fail(ErrorCode::Malformed, 0, "unexpected domain tag");
    }
    ChangeView change;
    auto op = reader.u8();
    if (!op) {
        return std::unexpected(op.error());
    }
    if (*op != static_cast<std::uint8_t>(ChangeOp::Set) && *op != static_cast<std::uint8_t>(ChangeOp::Delete)) {
        return fail(ErrorCode::Malformed, reader.offset(), "unknown change operation");
    }
    change.op = static_cast<ChangeOp>(*op);
    auto name = reader.text(kMaxChangeNameBytes);
    if (!name) {
        return std::unexpected(name.error());
    }
    if (name->empty()) {
        return fail(ErrorCode::Malformed, reader.offset(), "empty secret name");
    }
    change.name = std::move(*name);
    auto value = reader.bytes(kMaxChangeValueBytes);
    if (!value) {
        return std::unexpected(value.error());
    }
    if (change.op == ChangeOp::Delete && !value->empty()) {
        return fail(ErrorCode::Malformed, reader.offset(), "a delete carries no value");
    }
    change.value = *value;
    auto note = reader.text(kMaxChangeNoteBytes);
    if (!note) {
        return std::unexpected(note.error());
    }
    change.note = std::move(*note);
    auto base = reader.bytes(change.baseRecord.size());
    if (!base || base->size() != change.baseRecord.size()) {
        return fail(ErrorCode::Malformed, reader.offset(), "base record of the wrong size");
    }
    std::ranges::copy(*base, change.baseRecord.begin());
    if (!reader.atEnd()) {
        return fail(ErrorCode::Malformed, reader.offset(), "trailing bytes after the change");
    }
    return change;
}

Result<Change> decodeChange(std::span<const std::byte> bytes) {
    auto view = decodeChangeView(bytes);
    if (!view) {
        return std::unexpected(view.error());
    }
    Change change;
    change.op = view->op;
    change.name = std::move(view->name);
    auto secure = crypto::SecureBuffer::create(view->value.size());
    if (!secure) {
        return fail(ErrorCode::LimitExceeded, 0, "no secure memory left for the value");
    }
    std::ranges::copy(view->value, secure->data());
    change.value = std::move(*secure);
    change.note = std::move(view->note);
    change.baseRecord = view->baseRecord;
    return change;
}

void sealChange(ChangeRecord& record, const Change& change, const crypto::AeadKey& environmentKey) {
    record.nonce = crypto::randomArray<crypto::aead::kNonceBytes>();
    const crypto::SecureBuffer plaintext = encodeChange(change);
    record.ciphertext =
        crypto::aead::encrypt(environmentKey, record.nonce, plaintext.bytes(), recordAssociatedData(record));
}

Result<Change> openChange(const ChangeRecord& record, const crypto::AeadKey& environmentKey) {
    auto plaintext =
        crypto::aead::decrypt(environmentKey, record.nonce, record.ciphertext, recordAssociatedData(record));
    if (!plaintext) {
        // Wrong key, tampered bytes or a record moved to another context: one answer for all.
        return fail(ErrorCode::BadSignature, record.seq, "the change does not open under this key and context");
    }
    auto change = decodeChange(plaintext->bytes());
    if (!change) {
        Error error = change.error();
        error.position = record.seq;
        return std::unexpected(std::move(error));
    }
    return change;
}

void sealAndSignBatch(std::span<ChangeRecord> records, std::span<const Change> changes, const Head& head,
                      const crypto::AeadKey& environmentKey, const crypto::SignSecretKey& authorKey) {
    assert(records.size() == changes.size());
    Head current = head;
    for (std::size_t i = 0; i < records.size(); ++i) {
        records[i].seq = current.seq + 1;
        records[i].previous = current.hash;
        records[i].batchSignature.reset();
        sealChange(records[i], changes[i], environmentKey);
        current = Head{records[i].seq, recordHash(records[i])};
    }
    chainAndSignBatch(records, head, authorKey);
}

Result<ChangeView> openChangeInto(const ChangeRecord& record, const crypto::AeadKey& environmentKey,
                                  std::span<std::byte> plaintext) {
    if (!crypto::aead::decryptInto(plaintext, environmentKey, record.nonce, record.ciphertext,
                                   recordAssociatedData(record))) {
        return fail(ErrorCode::BadSignature, record.seq, "the change does not open under this key and context");
    }
    auto change = decodeChangeView(plaintext);
    if (!change) {
        Error error = change.error();
        error.position = record.seq;
        return std::unexpected(std::move(error));
    }
    return change;
}

void sealAndSignBatch(std::span<ChangeRecord> records, std::span<const ChangeView> changes, const Head& head,
                      const crypto::AeadKey& environmentKey, const crypto::SignSecretKey& authorKey) {
    assert(records.size() == changes.size());
    const auto encodedSize = [](const ChangeView& change) {
        return 4 + kTagChange.size() + 1 + 4 + change.name.size() + 4 + change.value.size() + 4 + change.note.size() +
               4 + change.baseRecord.size();
    };
    std::size_t largest = 0;
    for (const ChangeView& change : changes) {
        largest = std::max(largest, encodedSize(change));
    }
    // One guarded scratch buffer for every plaintext of the batch.
    crypto::SecureBuffer scratch(largest);
    Head current = head;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const ChangeView& change = changes[i];
        const std::size_t size = encodedSize(change);
        SecureWriter writer(scratch.bytes().first(size));
        writer.text(kTagChange);
        writer.u8(static_cast<std::uint8_t>(change.op));
        writer.text(change.name);
        writer.bytes(change.value);
        writer.text(change.note);
        writer.bytes(change.baseRecord);
        assert(writer.offset() == size);
        ChangeRecord& record = records[i];
        record.seq = current.seq + 1;
        record.previous = current.hash;
        record.batchSignature.reset();
        record.nonce = crypto::randomArray<crypto::aead::kNonceBytes>();
        record.ciphertext = crypto::aead::encrypt(environmentKey, record.nonce, scratch.bytes().first(size),
                                                  recordAssociatedData(record));
        current = Head{record.seq, recordHash(record)};
    }
    crypto::wipe(scratch.bytes());
    chainAndSignBatch(records, head, authorKey);
}

} // namespace coffer::protocol
