// SPDX-License-Identifier: Apache-2.0
#include "ui/Passwords.h"

#include <QByteArray>
#include <QLineEdit>

#include <span>

namespace coffer::ui {

int characterCount(const QString& text) {
    int count = 0;
    for (const QChar c : text) {
        if (!c.isLowSurrogate()) {
            ++count;
        }
    }
    return count;
}

crypto::SecureBuffer takePassword(QLineEdit& edit) {
    QByteArray utf8 = edit.text().toUtf8();
    const std::span<char> chars(utf8.data(), static_cast<std::size_t>(utf8.size()));
    auto password = crypto::SecureBuffer::copyOf(std::as_bytes(chars));
    crypto::wipe(std::as_writable_bytes(chars));
    edit.clear();
    return password;
}

} // namespace coffer::ui
