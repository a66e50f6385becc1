// SPDX-License-Identifier: Apache-2.0
#include "ui/ExportDialog.h"

#include "model/SafeFile.h"
#include "ui/Confirm.h"
#include "ui/DotenvChangeModel.h"
#include "ui/DotenvFormatBox.h"
#include "ui/MessageBanner.h"
#include "ui/PageLayout.h"
#include "ui/Text.h"

#include <QCheckBox>
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

using model::dotenv::Dialect;
using model::dotenv::TargetChange;

namespace {

constexpr std::chrono::milliseconds kTypingPause{400};

DotenvChangeModel::Row rowFor(const model::dotenv::TargetName& name) {
    using Tone = DotenvChangeModel::Tone;
    switch (name.change) {
    case TargetChange::Added:
        return {name.name, ExportDialog::tr("Added"), Tone::New};
    case TargetChange::Changed:
        return {name.name, ExportDialog::tr("Changed"), Tone::Different};
    case TargetChange::Removed:
        return {name.name, ExportDialog::tr("Removed"), Tone::Gone};
    case TargetChange::Kept:
        return {name.name, ExportDialog::tr("Kept (not from Coffer)"), Tone::Same};
    case TargetChange::Unchanged:
        break;
    }
    return {name.name, ExportDialog::tr("Unchanged"), Tone::Same};
}

} // namespace

ExportDialog::ExportDialog(model::Store& store, QString projectName, model::Environment environment, QWidget* parent)
    : QDialog(parent)
    , m_store(store)
    , m_projectName(std::move(projectName))
    , m_environment(std::move(environment)) {
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(tr("Export %1 as .env").arg(m_environment.name));
    setMinimumSize(600, 520);

    auto* scope = new QLabel(this);
    scope->setObjectName(QStringLiteral("exportScopeLabel"));
    scope->setTextFormat(Qt::PlainText);
    scope->setText(DotenvChangeModel::scopeText(m_projectName, m_environment.name, m_environment.isProtected));

    m_format = new DotenvFormatBox(this);
    m_format->setObjectName(QStringLiteral("exportFormatBox"));
    m_format->setAccessibleName(tr("File format"));
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("exportPathEdit"));
    m_path->setAccessibleName(tr("File to write"));
    m_path->setPlaceholderText(
        tr("The full path of the file, e.g. %1").arg(QDir::home().filePath(QStringLiteral("src/app/.env"))));
    m_browse = new QPushButton(tr("&Browse…"), this);
    m_browse->setObjectName(QStringLiteral("exportBrowseButton"));
    m_browse->setAccessibleName(tr("Choose the file to write"));
    auto* fileRow = new QHBoxLayout;
    fileRow->setSpacing(6);
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(m_browse);
    m_merge = new QCheckBox(tr("&Merge: update only these names in an existing file, keep its other lines"), this);
    m_merge->setObjectName(QStringLiteral("exportMergeCheck"));
    m_merge->setToolTip(tr("Other variables, comments and blank lines stay as they are (dotenv format only)."));

    auto* form = page::makeForm();
    form->addRow(tr("From:"), scope);
    auto* formatLabel = new QLabel(tr("F&ormat:"), this);
    formatLabel->setBuddy(m_format);
    form->addRow(formatLabel, m_format);
    auto* fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_path);
    form->addRow(fileLabel, fileRow);
    form->addRow(QString(), m_merge);

    m_gitBanner = new MessageBanner(this);
    m_gitBanner->setObjectName(QStringLiteral("exportGitBanner"));
    m_gitignore = new QPushButton(this);
    m_gitignore->setObjectName(QStringLiteral("gitignoreButton"));
    m_gitignore->setAccessibleName(tr("Add the file to .gitignore"));
    m_gitignore->hide();
    auto* gitRow = new QHBoxLayout;
    gitRow->setSpacing(8);
    gitRow->addWidget(m_gitBanner, 1);
    gitRow->addWidget(m_gitignore, 0, Qt::AlignVCenter);

    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("exportBanner"));

    const DotenvChangeModel::Preview preview = DotenvChangeModel::makePreview(
        QStringLiteral("export"),
        tr("Choose where to write: the preview shows which names the file gains, changes or loses. "
           "Values are never shown."),
        tr("What the export changes in the file, by name"), this);
    m_changes = preview.model;
    m_table = preview.table;
    m_hint = preview.hint;
    m_previewStack = preview.stack;
    m_summary = preview.summary;

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(QStringLiteral("exportButtons"));
    m_export = m_buttons->button(QDialogButtonBox::Ok);
    m_export->setObjectName(QStringLiteral("exportButton"));
    m_export->setText(tr("&Export"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 18, 18, 14);
    layout->setSpacing(12);
    layout->addLayout(form);
    layout->addLayout(gitRow);
    layout->addWidget(m_banner);
    layout->addWidget(m_previewStack, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_buttons);
    setTabOrder(m_format, m_path);
    setTabOrder(m_path, m_browse);
    setTabOrder(m_browse, m_merge);
    setTabOrder(m_merge, m_gitignore);
    setTabOrder(m_gitignore, m_table);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kTypingPause);
    connect(&m_refreshTimer, &QTimer::timeout, this, &ExportDialog::refresh);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ExportDialog::onExportClicked);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_browse, &QPushButton::clicked, this, &ExportDialog::onBrowseClicked);
    connect(m_path, &QLineEdit::textEdited, this, &ExportDialog::onPathEdited);
    connect(m_path, &QLineEdit::editingFinished, this, &ExportDialog::refresh);
    connect(m_format, &QComboBox::activated, this, &ExportDialog::onFormatActivated);
    connect(m_merge, &QCheckBox::toggled, this, &ExportDialog::refresh);
    connect(m_gitignore, &QPushButton::clicked, this, &ExportDialog::onGitignoreClicked);

    auto entries = model::dotenv::environmentEntries(m_store, m_environment.id);
    if (entries) {
        m_entries = std::move(*entries);
    } else {
        showError(entries.error().message);
    }
    refresh();
}

ExportDialog::~ExportDialog() = default;

void ExportDialog::setTargetPath(const QString& path) {
    m_path->setText(path);
    refresh();
}

QString ExportDialog::targetPath() const {
    return m_path->text().trimmed();
}

void ExportDialog::setDialect(Dialect dialect) {
    m_formatChosen = true;
    m_format->setDialect(dialect);
    refresh();
}

void ExportDialog::setMerge(bool merge) {
    m_merge->setChecked(merge); // toggled() refreshes when it changes
    refresh();
}

model::dotenv::ExportTarget ExportDialog::target() const {
    const Dialect dialect = m_format->dialect();
    return {targetPath(), dialect, dialect == Dialect::Dotenv && m_merge->isChecked()};
}

void ExportDialog::onBrowseClicked() {
    const QString start = targetPath().isEmpty() ? QDir::home().filePath(QStringLiteral(".env")) : targetPath();
    const QString chosen =
        QFileDialog::getSaveFileName(this, tr("Export .env"), start, tr("All files (*)"), nullptr,
                                     QFileDialog::DontConfirmOverwrite | QFileDialog::DontResolveSymlinks);
    if (!chosen.isEmpty()) {
        setTargetPath(chosen); // the preview says what happens to an existing file
    }
}

void ExportDialog::onFormatActivated() {
    m_formatChosen = true;
    refresh();
}

void ExportDialog::onPathEdited() {
    // Checking asks git, so it waits for a pause in typing; until then there is nothing to export.
    m_ready = false;
    m_export->setEnabled(false);
    m_refreshTimer.start();
}

void ExportDialog::showError(const QString& text) {
    m_banner->showMessage(MessageBanner::Kind::Error, text);
}

void ExportDialog::refresh() {
    m_refreshTimer.stop();
    m_ready = false;
    m_export->setEnabled(false);
    m_changes->clear();
    m_summary->clear();
    m_gitBanner->clearMessage();
    m_gitignore->hide();
    m_git = {};
    if (!m_entries) {
        return; // the environment could not be read: its error stays shown
    }
    m_banner->clearMessage();
    const QString path = targetPath();
    if (!m_formatChosen && !path.isEmpty()) {
        m_format->setDialect(model::dotenv::dialectForPath(path));
    }
    m_merge->setEnabled(m_format->dialect() == Dialect::Dotenv);
    if (path.isEmpty()) {
        m_previewStack->setCurrentWidget(m_hint);
        return;
    }
    m_previewStack->setCurrentWidget(m_table);
    if (!QFileInfo(path).isAbsolute()) {
        showError(tr("Give the full path of the file (it starts with /), or choose it with Browse…"));
        return;
    }
    if (auto writable = model::checkWritableTarget(path); !writable) {
        showError(tr("Cannot export to %1: %2").arg(path, writable.error().detail));
        return;
    }
    m_git = model::gitStatus(path);
    showGit();
    if (m_git.state == model::GitState::Tracked) {
        return;
    }
    const auto preview = model::dotenv::previewExport(target(), *m_entries);
    if (!preview) {
        showError(preview.error().message);
        return;
    }
    // Rendering now finds what the format cannot carry (a multiline value in docker) before anyone clicks.
    if (auto rendered = model::dotenv::render(target(), *m_entries); !rendered) {
        showError(rendered.error().message);
        return;
    }
    showPreview(*preview);
    m_ready = true;
    m_export->setEnabled(true);
    m_export->setDefault(true);
}

void ExportDialog::showGit() {
    const QString name = QFileInfo(targetPath()).fileName();
    switch (m_git.state) {
    case model::GitState::NotInWorkTree:
        return;
    case model::GitState::Ignored:
        m_gitBanner->showMessage(
            MessageBanner::Kind::Information,
            tr("git ignores %1 in %2: the secrets stay out of commits.").arg(name, m_git.workTree));
        return;
    case model::GitState::Tracked:
        m_gitBanner->showMessage(MessageBanner::Kind::Error,
                                 tr("git tracks %1 in %2: secrets written there would be committed. Untrack it first "
                                    "(git rm --cached -- %3) and add %3 to .gitignore, or choose another file.")
                                     .arg(name, m_git.workTree, m_git.ignoreLine.mid(1)));
        return;
    case model::GitState::NotIgnored:
        m_gitBanner->showMessage(MessageBanner::Kind::Warning,
                                 tr("%1 is inside the git work tree %2 and not ignored: one “git add” would commit the "
                                    "secrets.")
                                     .arg(name, m_git.workTree));
        m_gitignore->setText(tr("&Add to .gitignore"));
        m_gitignore->setToolTip(tr("Appends the line %1 to %2/.gitignore").arg(m_git.ignoreLine, m_git.workTree));
        m_gitignore->show();
        return;
    }
}

void ExportDialog::showPreview(const model::dotenv::ExportPreview& preview) {
    std::vector<DotenvChangeModel::Row> rows;
    rows.reserve(preview.names.size());
    for (const auto& name : preview.names) {
        rows.push_back(rowFor(name));
    }
    m_changes->setRows(std::move(rows));
    const QString secrets = countText(static_cast<qint64>(m_entries->size()), tr("secret"), tr("secrets"));
    if (!preview.targetExists) {
        m_summary->setText(tr("A new file with %1, readable by you only (0600). Values are not shown.").arg(secrets));
        return;
    }
    QString text = tr("%1 added \u00b7 %2 changed \u00b7 %3 removed \u00b7 %4 unchanged")
                       .arg(preview.count(TargetChange::Added))
                       .arg(preview.count(TargetChange::Changed))
                       .arg(preview.count(TargetChange::Removed))
                       .arg(preview.count(TargetChange::Unchanged));
    if (const auto kept = preview.count(TargetChange::Kept); kept > 0) {
        text += tr(" \u00b7 %1 other lines kept").arg(kept);
    }
    if (preview.targetUnreadable) {
        text = tr("The existing file is not valid %1: it is replaced whole by %2.")
                   .arg(model::dotenv::dialectName(m_format->dialect()), secrets);
    }
    m_summary->setText(text + tr(". Values are not shown."));
}

void ExportDialog::onGitignoreClicked() {
    if (auto added = model::addToGitignore(m_git); !added) {
        showError(tr("Cannot add the file to .gitignore: %1").arg(added.error().detail));
        return;
    }
    refresh();
}

void ExportDialog::onExportClicked() {
    refresh(); // the file or git may have changed since the preview
    if (!m_ready) {
        return;
    }
    const auto exportTarget = target();
    const std::size_t count = m_entries->size();
    if (m_environment.isProtected &&
        !confirm::ask(this, tr("Export a Protected Environment"),
                      tr("Export %1 of the protected environment %2 \u203a %3 to %4?")
                          .arg(countText(static_cast<qint64>(count), tr("secret"), tr("secrets")), m_projectName,
                               m_environment.name, exportTarget.path),
                      tr("Export"))) {
        return;
    }
    const auto bytes = model::dotenv::render(exportTarget, *m_entries);
    if (!bytes) {
        showError(bytes.error().message);
        return;
    }
    if (auto written =
            model::dotenv::writeExport(m_store, m_projectName, m_environment.name, exportTarget, *bytes, count);
        !written) {
        showError(written.error().message);
        return;
    }
    m_entries.reset(); // the values leave memory now, not when the dialog is destroyed
    Q_EMIT exported(exportTarget.path, static_cast<int>(count));
    accept();
}

} // namespace coffer::ui
