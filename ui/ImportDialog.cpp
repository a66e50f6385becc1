// SPDX-License-Identifier: Apache-2.0
#include "ui/ImportDialog.h"

#include "ui/Confirm.h"
#include "ui/DotenvChangeModel.h"
#include "ui/DotenvFormatBox.h"
#include "ui/MessageBanner.h"
#include "ui/PageLayout.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <utility>

namespace coffer::ui {

using model::dotenv::Change;

namespace {

DotenvChangeModel::Row rowFor(const QString& name, Change change) {
    switch (change) {
    case Change::Added:
        return {name, ImportDialog::tr("Added"), DotenvChangeModel::Tone::New};
    case Change::Changed:
        return {name, ImportDialog::tr("Changed"), DotenvChangeModel::Tone::Different};
    case Change::Unchanged:
        break;
    }
    return {name, ImportDialog::tr("Unchanged"), DotenvChangeModel::Tone::Same};
}

} // namespace

ImportDialog::ImportDialog(model::Store& store, QString projectName, model::Environment environment, QWidget* parent)
    : QDialog(parent)
    , m_store(store)
    , m_projectName(std::move(projectName))
    , m_environment(std::move(environment)) {
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(tr("Import .env into %1").arg(m_environment.name));
    setMinimumSize(560, 460);

    auto* scope = new QLabel(this);
    scope->setObjectName(QStringLiteral("importScopeLabel"));
    scope->setTextFormat(Qt::PlainText);
    scope->setText(DotenvChangeModel::scopeText(m_projectName, m_environment.name, m_environment.isProtected));

    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("importPathEdit"));
    m_path->setAccessibleName(tr("File to import"));
    m_path->setPlaceholderText(tr("A .env, JSON or YAML file"));
    m_browse = new QPushButton(tr("&Browse…"), this);
    m_browse->setObjectName(QStringLiteral("importBrowseButton"));
    m_browse->setAccessibleName(tr("Choose the file to import"));
    auto* fileRow = new QHBoxLayout;
    fileRow->setSpacing(6);
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(m_browse);

    m_format = new DotenvFormatBox(this);
    m_format->setObjectName(QStringLiteral("importFormatBox"));
    m_format->setAccessibleName(tr("File format"));

    auto* form = page::makeForm();
    form->addRow(tr("Into:"), scope);
    auto* fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_path);
    form->addRow(fileLabel, fileRow);
    auto* formatLabel = new QLabel(tr("F&ormat:"), this);
    formatLabel->setBuddy(m_format);
    form->addRow(formatLabel, m_format);

    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("importBanner"));

    const DotenvChangeModel::Preview preview = DotenvChangeModel::makePreview(
        QStringLiteral("import"), tr("Choose a file to see which names it adds or changes. Values are never shown."),
        tr("What the import changes, by name"), this);
    m_changes = preview.model;
    m_table = preview.table;
    m_hint = preview.hint;
    m_previewStack = preview.stack;
    m_summary = preview.summary;

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(QStringLiteral("importButtons"));
    m_import = m_buttons->button(QDialogButtonBox::Ok);
    m_import->setObjectName(QStringLiteral("importButton"));
    m_import->setText(tr("&Import"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 18, 18, 14);
    layout->setSpacing(12);
    layout->addLayout(form);
    layout->addWidget(m_banner);
    layout->addWidget(m_previewStack, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_buttons);
    setTabOrder(m_path, m_browse);
    setTabOrder(m_browse, m_format);
    setTabOrder(m_format, m_table);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &ImportDialog::onImportClicked);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_browse, &QPushButton::clicked, this, &ImportDialog::onBrowseClicked);
    connect(m_path, &QLineEdit::editingFinished, this, &ImportDialog::refresh);
    connect(m_format, &QComboBox::activated, this, &ImportDialog::onFormatActivated);
    m_browse->setDefault(true);
    refresh();
}

ImportDialog::~ImportDialog() = default;

void ImportDialog::setPath(const QString& path) {
    m_path->setText(path);
    refresh();
}

QString ImportDialog::path() const {
    return m_path->text().trimmed();
}

void ImportDialog::onBrowseClicked() {
    const QString start = path().isEmpty() ? QDir::homePath() : QFileInfo(path()).absolutePath();
    const QString chosen = QFileDialog::getOpenFileName(
        this, tr("Import .env"), start,
        tr("Environment files (*.env .env* *.json *.yaml *.yml *.sh *.conf);;All files (*)"), nullptr,
        QFileDialog::DontResolveSymlinks);
    if (!chosen.isEmpty()) {
        setPath(chosen);
    }
}

void ImportDialog::onFormatActivated() {
    m_formatChosen = true;
    refresh();
}

void ImportDialog::showError(const QString& text) {
    m_banner->showMessage(MessageBanner::Kind::Error, text);
}

void ImportDialog::refresh() {
    m_plan.reset();
    m_changes->clear();
    m_banner->clearMessage();
    m_summary->clear();
    m_import->setEnabled(false);
    const QString file = path();
    if (file.isEmpty()) {
        m_previewStack->setCurrentWidget(m_hint);
        m_browse->setDefault(true);
        return;
    }
    if (!m_formatChosen) {
        m_format->setDialect(model::dotenv::dialectForPath(file));
    }
    m_previewStack->setCurrentWidget(m_table);
    auto entries = model::dotenv::readFile(file, m_format->dialect());
    if (!entries) {
        const auto& error = entries.error();
        showError(
            error.line > 0
                ? tr("Line %1: %2. Nothing can be imported until the file is fixed.").arg(error.line).arg(error.message)
                : tr("%1: %2.").arg(QFileInfo(file).fileName(), error.message));
        m_summary->setText(tr("Nothing will be imported."));
        return;
    }
    auto plan = model::dotenv::planImport(m_store, m_environment.id, std::move(*entries));
    if (!plan) {
        const auto& error = plan.error();
        showError(
            error.line > 0
                ? tr("Line %1: %2. Nothing can be imported until the file is fixed.").arg(error.line).arg(error.message)
                : error.message);
        m_summary->setText(tr("Nothing will be imported."));
        return;
    }
    std::vector<DotenvChangeModel::Row> rows;
    rows.reserve(plan->entries.size());
    for (std::size_t i = 0; i < plan->entries.size(); ++i) {
        rows.push_back(rowFor(plan->entries[i].name, plan->changes[i]));
    }
    m_changes->setRows(std::move(rows));
    const auto added = plan->count(Change::Added);
    const auto changed = plan->count(Change::Changed);
    const auto unchanged = plan->count(Change::Unchanged);
    if (plan->entries.empty()) {
        m_summary->setText(tr("The file defines no names: nothing to import."));
    } else if (added + changed == 0) {
        m_summary->setText(tr("Nothing to import: every name already has this value (%1 unchanged).").arg(unchanged));
    } else {
        m_summary->setText(tr("%1 added \u00b7 %2 changed \u00b7 %3 unchanged. Values are not shown.")
                               .arg(added)
                               .arg(changed)
                               .arg(unchanged));
    }
    m_import->setEnabled(added + changed > 0);
    if (m_import->isEnabled()) {
        m_import->setDefault(true);
    }
    m_plan = std::move(*plan);
}

void ImportDialog::onImportClicked() {
    if (!m_plan) {
        return;
    }
    const QString file = QFileInfo(path()).absoluteFilePath();
    const QString counts = m_plan->countsText();
    if (m_environment.isProtected &&
        !confirm::ask(this, tr("Import into a Protected Environment"),
                      tr("Import %1 into the protected environment %2 \u203a %3? %4.")
                          .arg(QFileInfo(file).fileName(), m_projectName, m_environment.name, counts),
                      tr("Import"))) {
        return;
    }
    if (auto applied = model::dotenv::applyImport(m_store, m_projectName, m_environment, *m_plan, file); !applied) {
        showError(tr("Nothing was imported: %1").arg(applied.error().message()));
        return;
    }
    m_plan.reset(); // the values leave memory now, not when the dialog is destroyed
    Q_EMIT imported(counts);
    accept();
}

} // namespace coffer::ui
