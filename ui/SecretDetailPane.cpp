// SPDX-License-Identifier: Apache-2.0
#include "ui/SecretDetailPane.h"

#include "ui/ClipboardGuard.h"
#include "ui/Confirm.h"
#include "ui/HistoryModel.h"
#include "ui/MessageBanner.h"
#include "ui/Text.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace coffer::ui {
namespace {

QLabel* makeSectionHeading(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setWeight(QFont::DemiBold);
    label->setFont(font);
    return label;
}

QLabel* makeValueLabel(const QString& objectName, QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

// Empty fields say so in a quieter colour rather than leaving a gap.
void setTextOrPlaceholder(QLabel* label, const QString& text, const QString& placeholder) {
    label->setText(text.isEmpty() ? placeholder : text);
    label->setForegroundRole(text.isEmpty() ? QPalette::PlaceholderText : QPalette::WindowText);
}

} // namespace

SecretDetailPane::SecretDetailPane(ClipboardGuard& clipboard, QWidget* parent)
    : QWidget(parent)
    , m_clipboard(clipboard)
    , m_history(new HistoryModel(this)) {
    setObjectName(QStringLiteral("secretDetailPane"));
    m_remaskTimer.setSingleShot(true);
    connect(&m_remaskTimer, &QTimer::timeout, this, &SecretDetailPane::mask);

    m_emptyHint = new QLabel(tr("Select a secret to see its value, note and history."), this);
    m_emptyHint->setObjectName(QStringLiteral("detailEmptyHint"));
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setForegroundRole(QPalette::PlaceholderText);
    m_emptyHint->setMargin(24);
    m_details = createDetails();

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_emptyHint);
    m_stack->addWidget(m_details);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    clear();
}

QWidget* SecretDetailPane::createDetails() {
    auto* details = new QWidget(this);
    m_name = makeValueLabel(QStringLiteral("detailName"), details);
    QFont nameFont = m_name->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.15);
    nameFont.setWeight(QFont::DemiBold);
    m_name->setFont(nameFont);
    m_version = makeValueLabel(QStringLiteral("detailVersion"), details);
    m_version->setForegroundRole(QPalette::PlaceholderText);
    m_banner = new MessageBanner(details);
    m_banner->setObjectName(QStringLiteral("detailBanner"));

    m_value = new QPlainTextEdit(details);
    m_value->setObjectName(QStringLiteral("detailValue"));
    m_value->setReadOnly(true);
    // No selection: Ctrl+C must reach the Copy action (and the clipboard guard), never copy the text directly.
    m_value->setTextInteractionFlags(Qt::NoTextInteraction);
    m_value->setContextMenuPolicy(Qt::NoContextMenu);
    m_value->setFocusPolicy(Qt::NoFocus);
    m_value->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_value->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_value->setWordWrapMode(QTextOption::WrapAnywhere);
    m_value->setFixedHeight(m_value->fontMetrics().lineSpacing() * 4 + 12);
    m_value->setAccessibleName(tr("Value"));
    m_reveal = new QPushButton(tr("&Reveal"), details);
    m_reveal->setObjectName(QStringLiteral("revealButton"));
    m_reveal->setCheckable(true);
    m_reveal->setAccessibleName(tr("Reveal value"));
    m_copy = new QPushButton(tr("&Copy"), details);
    m_copy->setObjectName(QStringLiteral("copyValueButton"));
    m_copy->setAccessibleName(tr("Copy value"));
    auto* valueButtons = new QHBoxLayout;
    valueButtons->setSpacing(6);
    valueButtons->addWidget(m_reveal);
    valueButtons->addWidget(m_copy);
    valueButtons->addStretch(1);
    auto* valueBox = new QVBoxLayout;
    valueBox->setSpacing(6);
    valueBox->addWidget(m_value);
    valueBox->addLayout(valueButtons);

    m_note = makeValueLabel(QStringLiteral("detailNote"), details);
    m_tags = makeValueLabel(QStringLiteral("detailTags"), details);
    auto* form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setHorizontalSpacing(12);
    form->setVerticalSpacing(8);
    form->addRow(tr("Value:"), valueBox);
    form->addRow(tr("Note:"), m_note);
    form->addRow(tr("Tags:"), m_tags);

    m_historyTable = new QTableView(details);
    m_historyTable->setObjectName(QStringLiteral("historyTable"));
    m_historyTable->setModel(m_history);
    m_historyTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_historyTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_historyTable->setAlternatingRowColors(true);
    m_historyTable->setShowGrid(false);
    m_historyTable->setWordWrap(false);
    m_historyTable->setCornerButtonEnabled(false);
    m_historyTable->setTabKeyNavigation(false); // Tab goes on to the next control

    m_historyTable->verticalHeader()->hide();
    m_historyTable->horizontalHeader()->setHighlightSections(false);
    // The columns fit the pane: the change description takes what the others leave.
    m_historyTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_historyTable->horizontalHeader()->setSectionResizeMode(HistoryModel::KindColumn, QHeaderView::Stretch);
    m_historyTable->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_historyTable->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_historyTable->setAccessibleName(tr("History"));
    m_restore = new QPushButton(tr("Re&store This Version…"), details);
    m_restore->setObjectName(QStringLiteral("restoreButton"));
    m_restore->setAccessibleName(tr("Restore the selected version"));
    m_restore->setEnabled(false);
    auto* historyHeading = new QHBoxLayout;
    historyHeading->addWidget(makeSectionHeading(tr("History"), details));
    historyHeading->addStretch(1);
    historyHeading->addWidget(m_restore);

    auto* layout = new QVBoxLayout(details);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    layout->addWidget(m_name);
    layout->addWidget(m_version);
    layout->addWidget(m_banner);
    layout->addSpacing(4);
    layout->addLayout(form);
    layout->addSpacing(8);
    layout->addLayout(historyHeading);
    layout->addWidget(m_historyTable, 1);

    connect(m_reveal, &QPushButton::toggled, this, &SecretDetailPane::onRevealToggled);
    connect(m_copy, &QPushButton::clicked, this, &SecretDetailPane::onCopyClicked);
    connect(m_restore, &QPushButton::clicked, this, &SecretDetailPane::onRestoreClicked);
    connect(m_historyTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SecretDetailPane::onHistorySelectionChanged);
    return details;
}

void SecretDetailPane::showSecret(model::Store& store, const Scope& scope, std::int64_t secretId) {
    mask();
    // The clipboard time is a setting that can change while the app runs: state the current one.
    m_copy->setToolTip(tr("Copy the value; the clipboard is cleared after %1 s")
                           .arg(std::chrono::duration_cast<std::chrono::seconds>(m_clipboard.clearAfter()).count()));
    m_banner->clearMessage();
    auto secret = store.secretById(secretId);
    if (!secret) {
        clear();
        return;
    }
    m_store = &store;
    m_scope = scope;
    m_secret = std::move(*secret);
    m_name->setText(m_secret->name);
    m_version->setText(
        tr("Version %1 · updated %2 by %3")
            .arg(m_secret->version)
            .arg(QLocale().toString(m_secret->updatedAt.toLocalTime(), QLocale::ShortFormat), m_secret->updatedBy));
    setTextOrPlaceholder(m_note, m_secret->note, tr("No note"));
    setTextOrPlaceholder(m_tags, m_secret->tags.join(QStringLiteral(", ")), tr("No tags"));
    m_reveal->setEnabled(!m_secret->deleted);
    m_copy->setEnabled(!m_secret->deleted);
    if (auto loaded = m_history->load(store, secretId); !loaded) {
        m_history->clear();
        showError(loaded.error().message());
    }
    onHistorySelectionChanged();
    m_stack->setCurrentWidget(m_details);
}

void SecretDetailPane::clear() {
    mask();
    m_store = nullptr;
    m_secret.reset();
    m_scope = {};
    m_history->clear();
    m_name->clear();
    m_version->clear();
    m_note->clear();
    m_tags->clear();
    m_banner->clearMessage();
    m_stack->setCurrentWidget(m_emptyHint);
}

void SecretDetailPane::mask() {
    m_remaskTimer.stop();
    m_revealed = false;
    // setPlainText() replaces the whole document, undo history included: nothing of the value stays behind in it.
    m_value->setPlainText(maskedValue());
    const QSignalBlocker blocker(m_reveal);
    m_reveal->setChecked(false);
    m_reveal->setText(tr("&Reveal"));
}

std::optional<QString> SecretDetailPane::readValue(const QString& auditAction) {
    if (m_store == nullptr || !m_secret) {
        return std::nullopt;
    }
    auto value = m_store->value(m_secret->id);
    if (!value) {
        showError(value.error().message());
        return std::nullopt;
    }
    if (auto audited = m_store->audit(auditAction, m_scope.project, m_scope.environment, m_secret->name); !audited) {
        // No audit record, no value: the log must not miss a read.
        showError(audited.error().message());
        return std::nullopt;
    }
    const std::string_view bytes = value->view();
    return QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size()));
}

void SecretDetailPane::onRevealToggled(bool reveal) {
    if (!reveal) {
        mask();
        return;
    }
    auto text = readValue(QStringLiteral("reveal"));
    if (!text) {
        mask();
        return;
    }
    m_value->setPlainText(*text);
    m_revealed = true;
    m_reveal->setText(tr("&Hide"));
    m_remaskTimer.start(m_revealDuration);
}

bool SecretDetailPane::copyValue() {
    auto text = readValue(QStringLiteral("copy"));
    if (!text) {
        return false;
    }
    m_clipboard.copy(*text);
    return true;
}

void SecretDetailPane::onCopyClicked() {
    static_cast<void>(copyValue());
}

void SecretDetailPane::onHistorySelectionChanged() {
    const QModelIndexList rows = m_historyTable->selectionModel()->selectedRows();
    // Restoring the current version would change nothing.
    m_restore->setEnabled(m_secret.has_value() && !m_scope.readOnly && rows.size() == 1 &&
                          rows.constFirst().row() != 0);
}

void SecretDetailPane::onRestoreClicked() {
    const QModelIndexList rows = m_historyTable->selectionModel()->selectedRows();
    if (m_store == nullptr || !m_secret || rows.size() != 1) {
        return;
    }
    const model::SecretVersion* version = m_history->version(rows.constFirst().row());
    if (version == nullptr) {
        return;
    }
    const int versionNumber = version->version;
    if (!confirm::ask(this, tr("Restore Version"),
                      tr("Restore version %1 of %2? Its value, note and tags become a new current version; "
                         "nothing is lost.")
                          .arg(versionNumber)
                          .arg(m_secret->name),
                      tr("Restore"))) {
        return;
    }
    // The vault may have locked (after idle) while the question was open: clear() forgot the store then.
    if (m_store == nullptr || !m_secret) {
        return;
    }
    const std::int64_t secretId = m_secret->id;
    auto restored = m_store->restoreVersion(secretId, versionNumber);
    if (!restored) {
        showError(restored.error().message());
        return;
    }
    Q_EMIT secretRestored(secretId);
}

void SecretDetailPane::showError(const QString& text) {
    m_banner->showMessage(MessageBanner::Kind::Error, text);
}

} // namespace coffer::ui
