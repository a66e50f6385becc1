// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Store.h"

#include <QTimer>
#include <QWidget>

#include <chrono>
#include <cstdint>
#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace coffer::ui {

class ClipboardGuard;
class HistoryModel;
class MessageBanner;

/// The selected secret, on the right of the main page: name, the value masked with Reveal (masked again after
/// revealDuration(), 30 s by default) and Copy (through the ClipboardGuard), note, tags, and its history with
/// Restore of a chosen version. Reveal and copy are written to the audit log.
class SecretDetailPane : public QWidget {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kDefaultRevealDuration{30'000};

    /// Where the secret lives, for the audit log.
    struct Scope {
        QString project;
        QString environment;
        bool readOnly = false; ///< shared with read access only: no restoring of an older version
    };

    SecretDetailPane(ClipboardGuard& clipboard, QWidget* parent = nullptr);

    /// Shows `secretId` of `store` (which must outlive the pane's use of it, until clear()). Masks the value.
    void showSecret(model::Store& store, const Scope& scope, std::int64_t secretId);
    /// Shows the "nothing selected" hint and forgets the store and everything shown.
    void clear();

    void setRevealDuration(std::chrono::milliseconds duration) noexcept { m_revealDuration = duration; }
    [[nodiscard]] std::chrono::milliseconds revealDuration() const noexcept { return m_revealDuration; }
    [[nodiscard]] bool isRevealed() const noexcept { return m_revealed; }
    [[nodiscard]] std::int64_t secretId() const noexcept { return m_secret ? m_secret->id : 0; }
    [[nodiscard]] HistoryModel* historyModel() const noexcept { return m_history; }

    /// Copies the shown secret's value (Ctrl+C on the table). False when nothing is shown or it failed.
    bool copyValue();

Q_SIGNALS:
    /// A version was restored: the secret's summary changed.
    void secretRestored(std::int64_t secretId);

private:
    void onRevealToggled(bool reveal);
    void onCopyClicked();
    void onRestoreClicked();
    void onHistorySelectionChanged();
    void mask();
    void showError(const QString& text);
    [[nodiscard]] std::optional<QString> readValue(const QString& auditAction);
    [[nodiscard]] QWidget* createDetails();

    ClipboardGuard& m_clipboard;
    model::Store* m_store = nullptr;
    Scope m_scope;
    std::optional<model::SecretSummary> m_secret;
    std::chrono::milliseconds m_revealDuration = kDefaultRevealDuration;
    bool m_revealed = false;
    QTimer m_remaskTimer;

    HistoryModel* m_history = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_emptyHint = nullptr;
    QWidget* m_details = nullptr;
    QLabel* m_name = nullptr;
    QLabel* m_version = nullptr;
    MessageBanner* m_banner = nullptr;
    QPlainTextEdit* m_value = nullptr;
    QPushButton* m_reveal = nullptr;
    QPushButton* m_copy = nullptr;
    QLabel* m_note = nullptr;
    QLabel* m_tags = nullptr;
    QTableView* m_historyTable = nullptr;
    QPushButton* m_restore = nullptr;
};

} // namespace coffer::ui
