// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/DotenvExport.h"
#include "model/GitCheck.h"
#include "model/Store.h"

#include <QDialog>
#include <QTimer>

#include <optional>
#include <vector>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace coffer::ui {

class DotenvChangeModel;
class DotenvFormatBox;
class MessageBanner;

/// File > Export .env…: writes one environment's secrets (references resolved) to a file in a chosen format, or
/// merges them into an existing dotenv file. Before writing it previews, by name only, what changes in the file;
/// it refuses a file git tracks and warns about one git does not ignore, offering to add it to .gitignore. The
/// file is written atomically, owner-only (0600), never through a symlink, and the export is audited. A
/// protected environment asks for confirmation first.
class ExportDialog : public QDialog {
    Q_OBJECT
public:
    /// Exports `environment` of project `projectName`. `store` must stay open while the dialog is (close the
    /// dialog when the vault locks).
    ExportDialog(model::Store& store, QString projectName, model::Environment environment, QWidget* parent = nullptr);
    ~ExportDialog() override;

    /// Sets the target file and checks it now (the file picker's result; tests call it instead of picking). The
    /// format follows the extension until one is chosen.
    void setTargetPath(const QString& path);
    [[nodiscard]] QString targetPath() const;
    void setDialect(model::dotenv::Dialect dialect);
    void setMerge(bool merge);
    /// Checks the target (git, writability) and renders the preview again; typing does this after a pause.
    void refresh();
    /// Where the target stands with git after the last refresh().
    [[nodiscard]] const model::GitStatus& gitStatus() const noexcept { return m_git; }

Q_SIGNALS:
    /// The file was written with `count` secrets.
    void exported(const QString& path, int count);

private:
    void onBrowseClicked();
    void onFormatActivated();
    void onPathEdited();
    void onGitignoreClicked();
    void onExportClicked();
    void showGit();
    void showPreview(const model::dotenv::ExportPreview& preview);
    void showError(const QString& text);
    [[nodiscard]] model::dotenv::ExportTarget target() const;

    model::Store& m_store;
    QString m_projectName;
    model::Environment m_environment;
    std::optional<std::vector<model::dotenv::Entry>> m_entries;
    model::GitStatus m_git;
    bool m_formatChosen = false;
    bool m_ready = false;
    QTimer m_refreshTimer;

    DotenvFormatBox* m_format = nullptr;
    QLineEdit* m_path = nullptr;
    QPushButton* m_browse = nullptr;
    QCheckBox* m_merge = nullptr;
    MessageBanner* m_gitBanner = nullptr;
    QPushButton* m_gitignore = nullptr;
    MessageBanner* m_banner = nullptr;
    QStackedWidget* m_previewStack = nullptr;
    QLabel* m_hint = nullptr;
    QTableView* m_table = nullptr;
    DotenvChangeModel* m_changes = nullptr;
    QLabel* m_summary = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_export = nullptr;
};

} // namespace coffer::ui
