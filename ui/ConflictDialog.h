// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"
#include "model/Store.h"
#include "sync/SyncEngine.h"

#include <QDialog>

#include <functional>
#include <span>
#include <vector>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace coffer::ui {

class MessageBanner;

/// The open sync conflicts, one at a time, side by side: the current version (the later one in the team's log)
/// and the other one, each with its version, author and time. Values stay masked until Reveal, and are wiped
/// from the widgets again when hidden, when another conflict is shown and when the dialog closes. Keep Current,
/// Keep Other and Edit… resolve it (SyncEngine::resolveConflict through `Source::resolve`, a local change that
/// syncs like any edit), then the next open conflict is shown; the dialog closes when none is left.
class ConflictDialog : public QDialog {
    Q_OBJECT
public:
    /// Where the conflicts come from and go to (in the app: the GUI thread's SyncEngine and Store).
    struct Source {
        std::function<sync::Result<std::vector<sync::ConflictInfo>>()> conflicts;
        std::function<model::Result<std::vector<model::SecretVersion>>(std::int64_t secretId)> history;
        std::function<model::Result<crypto::SecureBuffer>(std::int64_t secretId, int version)> value;
        std::function<sync::Result<void>(std::int64_t conflictId, sync::Resolution resolution,
                                         std::span<const std::byte> value)>
            resolve;
    };
    enum class Side { Current, Other };

    explicit ConflictDialog(Source source, QWidget* parent = nullptr);
    ~ConflictDialog() override;

    /// Reads the open conflicts again, keeping the shown one when it is still open.
    void refresh();
    [[nodiscard]] int conflictCount() const noexcept { return static_cast<int>(m_conflicts.size()); }
    [[nodiscard]] const sync::ConflictInfo* currentConflict() const;
    /// Shows the conflict at `index` (masked).
    void showConflict(int index);
    /// Reveal on or off (the Reveal button).
    void setRevealed(bool revealed);
    [[nodiscard]] bool isRevealed() const noexcept { return m_revealed; }
    /// What a side's value box shows now (the mask while hidden).
    [[nodiscard]] QString shownValue(Side side) const;
    /// Resolves the shown conflict; for Edit, `value` is the new content. False (with the error shown) on failure.
    bool resolve(sync::Resolution resolution, std::span<const std::byte> value = {});

Q_SIGNALS:
    /// A conflict was resolved (the main window reloads the secret).
    void resolved(std::int64_t environmentId, std::int64_t secretId);

protected:
    void hideEvent(QHideEvent* event) override;

private:
    void onEditTriggered();
    void fill();
    void mask();
    [[nodiscard]] QString versionLine(int version, const QString& author) const;

    Source m_source;
    std::vector<sync::ConflictInfo> m_conflicts;
    std::vector<model::SecretVersion> m_history;
    int m_index = -1;
    bool m_revealed = false;
    QComboBox* m_picker = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_explanation = nullptr;
    MessageBanner* m_banner = nullptr;
    QLabel* m_currentHeading = nullptr;
    QLabel* m_currentMeta = nullptr;
    QPlainTextEdit* m_currentValue = nullptr;
    QLabel* m_otherHeading = nullptr;
    QLabel* m_otherMeta = nullptr;
    QPlainTextEdit* m_otherValue = nullptr;
    QPushButton* m_reveal = nullptr;
    QPushButton* m_keepCurrent = nullptr;
    QPushButton* m_keepOther = nullptr;
    QPushButton* m_edit = nullptr;
};

} // namespace coffer::ui
