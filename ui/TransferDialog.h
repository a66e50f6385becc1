// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/SecretTransfer.h"
#include "model/Store.h"

#include <QDialog>

#include <cstdint>
#include <vector>

class QDialogButtonBox;
class QLabel;
class QListWidget;
class QRadioButton;
class QTreeWidget;
class QWidget;

namespace coffer::ui {

class MessageBanner;

/// Picks the environment that secrets are duplicated, copied or moved to: a tree of every project's environments
/// (the source one disabled), the names that go, and, when some already exist there, whether to overwrite them
/// (a new version) or skip them.
class TransferDialog : public QDialog {
    Q_OBJECT
public:
    enum class Mode { Duplicate, Copy, Move };

    /// `secrets` live in `sourceEnvironmentId` of `store`, which must outlive the dialog.
    TransferDialog(Mode mode, model::Store& store, std::vector<model::SecretSummary> secrets,
                   std::int64_t sourceEnvironmentId, QWidget* parent = nullptr);

    /// Selects a target by name; false when there is no such environment or it is the source.
    bool selectTarget(const QString& projectName, const QString& environmentName);
    /// The chosen environment, or 0.
    [[nodiscard]] std::int64_t targetEnvironmentId() const;
    /// "project › environment" of the chosen target.
    [[nodiscard]] QString targetText() const;
    [[nodiscard]] bool targetIsProtected() const;
    /// The names already taken in the chosen target.
    [[nodiscard]] const QStringList& conflicts() const noexcept { return m_conflicts; }
    [[nodiscard]] model::ExistingSecrets existing() const;
    [[nodiscard]] const std::vector<model::SecretSummary>& secrets() const noexcept { return m_secrets; }
    void showError(const QString& text);

private:
    void onTargetChanged();
    void fillTargets(std::int64_t sourceEnvironmentId);

    model::Store& m_store;
    std::vector<model::SecretSummary> m_secrets;
    QStringList m_conflicts;
    QTreeWidget* m_targets = nullptr;
    QListWidget* m_names = nullptr;
    QLabel* m_conflictText = nullptr;
    QWidget* m_conflictChoice = nullptr;
    QRadioButton* m_overwrite = nullptr;
    QRadioButton* m_skip = nullptr;
    MessageBanner* m_banner = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace coffer::ui
