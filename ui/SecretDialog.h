// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"
#include "model/Store.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace coffer::ui {

class MessageBanner;

/// Adds a secret (name, value, note, tags) or edits one (value, note and tags; the name is changed by Rename).
/// When editing, the value is not shown: "Replace the value" opens an empty field for a new one, so editing a
/// note never reads the secret. "Generate…" next to the value fills it from the GeneratorDialog.
class SecretDialog : public QDialog {
    Q_OBJECT
public:
    /// An empty dialog for a new secret in `scopeText` ("project › environment").
    SecretDialog(const QString& scopeText, QWidget* parent = nullptr);
    /// A dialog for changing `secret`.
    SecretDialog(const QString& scopeText, const model::SecretSummary& secret, QWidget* parent = nullptr);

    [[nodiscard]] bool isEditing() const noexcept { return m_editing; }
    [[nodiscard]] QString name() const;
    /// Whether the value is to be set: always for a new secret, when "Replace the value" is ticked for an edit.
    [[nodiscard]] bool replacesValue() const;
    /// The value as UTF-8 in guarded memory; the text field is emptied.
    [[nodiscard]] crypto::SecureBuffer takeValue();
    [[nodiscard]] model::SecretEdit edit() const;

    /// Shows why the last attempt failed (the caller keeps the dialog open).
    void showError(const QString& text);

    /// Tags as typed: split on commas, trimmed, empty ones dropped.
    [[nodiscard]] static QStringList parseTags(const QString& text);

private:
    void build(const QString& scopeText);
    void onInputChanged();
    void onGenerateClicked();

    bool m_editing = false;
    QLineEdit* m_name = nullptr;
    QCheckBox* m_replaceValue = nullptr;
    QPlainTextEdit* m_value = nullptr;
    QPushButton* m_generate = nullptr;
    QLineEdit* m_note = nullptr;
    QLineEdit* m_tags = nullptr;
    MessageBanner* m_banner = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace coffer::ui
