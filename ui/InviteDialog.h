// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"

#include <QDialog>

class QLineEdit;

namespace coffer::ui {

class ClipboardGuard;

/// Shows a new invite code once: Copy puts it on the clipboard through the ClipboardGuard (cleared after a
/// while); closing the dialog wipes it from the field. The code is a secret until used.
class InviteDialog : public QDialog {
    Q_OBJECT
public:
    InviteDialog(const QString& teamName, const crypto::SecureBuffer& code, const QString& myFingerprint,
                 ClipboardGuard& clipboard, QWidget* parent = nullptr);
    ~InviteDialog() override;

    void copyCode();

protected:
    void done(int result) override;

private:
    ClipboardGuard& m_clipboard;
    QLineEdit* m_code = nullptr;
};

} // namespace coffer::ui
