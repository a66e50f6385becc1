// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/DotenvImport.h"
#include "model/Store.h"

#include <QDialog>

#include <optional>

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

/// File > Import .env…: reads a .env (or docker, shell, systemd, JSON, YAML) file and previews, by name only,
/// what it adds to and changes in one environment; Import writes it all in one transaction, or nothing. Values
/// from the file are never shown. A file that cannot be read shows why, with the line, and cannot be imported.
/// A protected environment asks for confirmation first.
class ImportDialog : public QDialog {
    Q_OBJECT
public:
    /// Imports into `environment` of project `projectName`. `store` must stay open while the dialog is (close the
    /// dialog when the vault locks).
    ImportDialog(model::Store& store, QString projectName, model::Environment environment, QWidget* parent = nullptr);
    ~ImportDialog() override;

    /// Reads `path` and shows its preview, the format following its extension until one is chosen (the file
    /// picker's result; tests call it instead of picking).
    void setPath(const QString& path);
    [[nodiscard]] QString path() const;
    /// The plan shown, or nullptr when there is none (no file, or an error).
    [[nodiscard]] const model::dotenv::ImportPlan* plan() const noexcept { return m_plan ? &*m_plan : nullptr; }

Q_SIGNALS:
    /// The file was imported; `summary` says what changed ("2 added, 1 changed, 0 unchanged").
    void imported(const QString& summary);

private:
    void onBrowseClicked();
    void onFormatActivated();
    void onImportClicked();
    void refresh();
    void showError(const QString& text);

    model::Store& m_store;
    QString m_projectName;
    model::Environment m_environment;
    std::optional<model::dotenv::ImportPlan> m_plan;
    bool m_formatChosen = false;

    QLineEdit* m_path = nullptr;
    QPushButton* m_browse = nullptr;
    DotenvFormatBox* m_format = nullptr;
    MessageBanner* m_banner = nullptr;
    QStackedWidget* m_previewStack = nullptr;
    QLabel* m_hint = nullptr;
    QTableView* m_table = nullptr;
    DotenvChangeModel* m_changes = nullptr;
    QLabel* m_summary = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_import = nullptr;
};

} // namespace coffer::ui
