// SPDX-License-Identifier: Apache-2.0
#include "ui/ConflictDialog.h"

#include "ui/MessageBanner.h"
#include "ui/TeamText.h"
#include "ui/Text.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>

namespace coffer::ui {
namespace {

QLabel* makeHeading(QWidget* parent, const char* name) {
    auto* label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(name));
    QFont font = label->font();
    font.setWeight(QFont::DemiBold);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    label->setFont(font);
    label->setTextFormat(Qt::PlainText);
    return label;
}

QLabel* makeMeta(QWidget* parent, const char* name) {
    auto* label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(name));
    label->setTextFormat(Qt::PlainText);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

QPlainTextEdit* makeValueBox(QWidget* parent, const char* name) {
    auto* box = new QPlainTextEdit(parent);
    box->setObjectName(QString::fromLatin1(name));
    box->setReadOnly(true);
    box->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    box->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    // Most values are one line; a few (certificates, JSON) are longer and scroll.
    box->setFixedHeight(box->fontMetrics().lineSpacing() * 5 + 12);
    box->setFocusPolicy(Qt::ClickFocus);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return box;
}

// Clears a value box and the undo history that could hold the old text.
void wipe(QPlainTextEdit* box) {
    box->clear();
    box->document()->clearUndoRedoStacks();
}

} // namespace

ConflictDialog::ConflictDialog(Source source, QWidget* parent)
    : QDialog(parent)
    , m_source(std::move(source)) {
    setObjectName(QStringLiteral("conflictDialog"));
    setWindowTitle(tr("Sync Conflicts"));

    m_picker = new QComboBox(this);
    m_picker->setObjectName(QStringLiteral("conflictPicker"));
    m_picker->setAccessibleName(tr("Conflict"));
    m_title = makeHeading(this, "conflictTitle");
    m_title->setWordWrap(true);
    m_explanation = makeMeta(this, "conflictExplanation");
    m_explanation->setWordWrap(true);
    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("conflictBanner"));

    const auto makeSide = [this](QLabel*& heading, QLabel*& meta, QPlainTextEdit*& value, const char* prefix) {
        auto* frame = new QFrame(this);
        frame->setObjectName(QStringLiteral("%1Side").arg(QString::fromLatin1(prefix)));
        frame->setFrameShape(QFrame::StyledPanel);
        auto* column = new QVBoxLayout(frame);
        column->setContentsMargins(10, 8, 10, 10);
        column->setSpacing(4);
        heading =
            makeHeading(frame, QStringLiteral("%1Heading").arg(QString::fromLatin1(prefix)).toLatin1().constData());
        meta = makeMeta(frame, QStringLiteral("%1Meta").arg(QString::fromLatin1(prefix)).toLatin1().constData());
        value = makeValueBox(frame, QStringLiteral("%1Value").arg(QString::fromLatin1(prefix)).toLatin1().constData());
        column->addWidget(heading);
        column->addWidget(meta);
        column->addWidget(value);
        return frame;
    };
    auto* sides = new QHBoxLayout;
    sides->setSpacing(12);
    sides->addWidget(makeSide(m_currentHeading, m_currentMeta, m_currentValue, "conflictCurrent"), 1);
    sides->addWidget(makeSide(m_otherHeading, m_otherMeta, m_otherValue, "conflictOther"), 1);

    m_reveal = new QPushButton(tr("&Reveal"), this);
    m_reveal->setObjectName(QStringLiteral("conflictRevealButton"));
    m_reveal->setCheckable(true);
    m_reveal->setAutoDefault(false);
    m_reveal->setAccessibleName(tr("Reveal both values"));
    m_keepCurrent = new QPushButton(tr("Keep &Current"), this);
    m_keepCurrent->setObjectName(QStringLiteral("conflictKeepCurrentButton"));
    m_keepCurrent->setAutoDefault(false);
    m_keepOther = new QPushButton(tr("Keep &Other"), this);
    m_keepOther->setObjectName(QStringLiteral("conflictKeepOtherButton"));
    m_keepOther->setAutoDefault(false);
    m_edit = new QPushButton(tr("&Edit\u2026"), this);
    m_edit->setObjectName(QStringLiteral("conflictEditButton"));
    m_edit->setAutoDefault(false);
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    close->setObjectName(QStringLiteral("conflictButtons"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_reveal);
    buttons->addStretch(1);
    buttons->addWidget(m_keepCurrent);
    buttons->addWidget(m_keepOther);
    buttons->addWidget(m_edit);
    buttons->addSpacing(12);
    buttons->addWidget(close);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->setSpacing(8);
    layout->addWidget(m_picker);
    layout->addWidget(m_title);
    layout->addWidget(m_explanation);
    layout->addWidget(m_banner);
    layout->addLayout(sides);
    layout->addStretch(1);
    layout->addLayout(buttons);

    connect(m_picker, &QComboBox::currentIndexChanged, this, &ConflictDialog::showConflict);
    connect(m_reveal, &QPushButton::toggled, this, &ConflictDialog::setRevealed);
    connect(m_keepCurrent, &QPushButton::clicked, this, [this] { resolve(sync::Resolution::KeepCurrent); });
    connect(m_keepOther, &QPushButton::clicked, this, [this] { resolve(sync::Resolution::KeepOther); });
    connect(m_edit, &QPushButton::clicked, this, &ConflictDialog::onEditTriggered);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    refresh();
    resize(780, sizeHint().height());
}

ConflictDialog::~ConflictDialog() {
    mask();
}

const sync::ConflictInfo* ConflictDialog::currentConflict() const {
    if (m_index < 0 || m_index >= conflictCount()) {
        return nullptr;
    }
    return &m_conflicts[static_cast<std::size_t>(m_index)];
}

void ConflictDialog::refresh() {
    const std::int64_t shownId = currentConflict() != nullptr ? currentConflict()->id : 0;
    m_conflicts.clear();
    if (m_source.conflicts) {
        if (auto open = m_source.conflicts(); open) {
            for (auto& conflict : *open) {
                if (!conflict.resolved) {
                    m_conflicts.push_back(std::move(conflict));
                }
            }
        } else {
            m_banner->showMessage(MessageBanner::Kind::Error, open.error().message);
        }
    }
    int index = 0;
    {
        const QSignalBlocker blocker(m_picker);
        m_picker->clear();
        for (std::size_t i = 0; i < m_conflicts.size(); ++i) {
            const auto& conflict = m_conflicts[i];
            m_picker->addItem(tr("%1 of %2: %3 \u203a %4")
                                  .arg(i + 1)
                                  .arg(m_conflicts.size())
                                  .arg(team::scopeName(conflict.project, conflict.environment), conflict.name));
            if (conflict.id == shownId) {
                index = static_cast<int>(i);
            }
        }
    }
    m_picker->setVisible(m_conflicts.size() > 1);
    m_index = -1;
    showConflict(m_conflicts.empty() ? -1 : index);
}

void ConflictDialog::showConflict(int index) {
    mask();
    m_index = index;
    if (m_picker->currentIndex() != index && index >= 0) {
        const QSignalBlocker blocker(m_picker);
        m_picker->setCurrentIndex(index);
    }
    m_history.clear();
    const sync::ConflictInfo* conflict = currentConflict();
    if (conflict != nullptr && m_source.history) {
        if (auto history = m_source.history(conflict->secretId); history) {
            m_history = std::move(*history);
        }
    }
    fill();
}

QString ConflictDialog::versionLine(int version, const QString& author) const {
    const auto found = std::ranges::find_if(m_history, [&](const auto& entry) { return entry.version == version; });
    if (found == m_history.end()) {
        return author.isEmpty() ? QString() : tr("by %1").arg(author);
    }
    const QString when = QLocale().toString(found->at.toLocalTime(), QLocale::ShortFormat);
    return tr("by %1 \u00b7 %2").arg(author.isEmpty() ? found->author : author, when);
}

void ConflictDialog::fill() {
    const sync::ConflictInfo* conflict = currentConflict();
    const bool any = conflict != nullptr;
    for (QWidget* widget : std::initializer_list<QWidget*>{m_reveal, m_keepCurrent, m_edit}) {
        widget->setEnabled(any);
    }
    if (!any) {
        m_title->setText(tr("No open conflicts."));
        m_explanation->setText(tr("Every concurrent change has been resolved."));
        for (QLabel* label : {m_currentHeading, m_currentMeta, m_otherHeading, m_otherMeta}) {
            label->clear();
        }
        m_keepOther->setEnabled(false);
        return;
    }
    const QString scope = team::scopeName(conflict->project, conflict->environment);
    const bool deleteKind = conflict->kind == sync::ConflictInfo::Kind::Delete;
    if (deleteKind) {
        m_title->setText(tr("%1 in %2 was deleted on one device and edited on another.").arg(conflict->name, scope));
        m_explanation->setText(tr("The edit was kept and the delete changed nothing. Keep Current leaves it so; "
                                  "delete the secret yourself if that was meant."));
    } else {
        m_title->setText(tr("%1 in %2 was changed on two devices at once.").arg(conflict->name, scope));
        m_explanation->setText(tr("The change that came later in the team's log is current; both versions stay in "
                                  "the history. Keep one, or edit a new value from them."));
    }
    m_currentHeading->setText(tr("Current \u2014 version %1").arg(conflict->currentVersion));
    m_currentMeta->setText(versionLine(conflict->currentVersion, conflict->currentAuthor));
    if (conflict->otherVersion > 0) {
        m_otherHeading->setText(tr("Other \u2014 version %1").arg(conflict->otherVersion));
        m_otherMeta->setText(versionLine(conflict->otherVersion, conflict->otherAuthor));
    } else {
        m_otherHeading->setText(tr("Other \u2014 deleted"));
        m_otherMeta->setText(conflict->otherAuthor.isEmpty() ? QString()
                                                             : tr("deleted by %1").arg(conflict->otherAuthor));
    }
    m_keepOther->setEnabled(conflict->otherVersion > 0);
    m_keepOther->setToolTip(
        conflict->otherVersion > 0
            ? tr("Make version %1's value current again (a new version)").arg(conflict->otherVersion)
            : tr("The other side is a delete that was not applied"));
    mask();
}

void ConflictDialog::mask() {
    m_revealed = false;
    if (m_reveal != nullptr) {
        const QSignalBlocker blocker(m_reveal);
        m_reveal->setChecked(false);
        m_reveal->setText(tr("&Reveal"));
    }
    if (m_currentValue == nullptr) {
        return;
    }
    wipe(m_currentValue);
    wipe(m_otherValue);
    const sync::ConflictInfo* conflict = currentConflict();
    if (conflict != nullptr) {
        m_currentValue->setPlainText(maskedValue());
        m_otherValue->setPlainText(conflict->otherVersion > 0 ? maskedValue() : tr("(deleted)"));
    }
}

void ConflictDialog::setRevealed(bool revealed) {
    const sync::ConflictInfo* conflict = currentConflict();
    if (!revealed || conflict == nullptr || !m_source.value) {
        mask();
        return;
    }
    auto current = m_source.value(conflict->secretId, conflict->currentVersion);
    if (!current) {
        m_banner->showMessage(MessageBanner::Kind::Error, current.error().message());
        mask();
        return;
    }
    wipe(m_currentValue);
    m_currentValue->setPlainText(QString::fromUtf8(current->view()));
    if (conflict->otherVersion > 0) {
        auto other = m_source.value(conflict->secretId, conflict->otherVersion);
        if (!other) {
            m_banner->showMessage(MessageBanner::Kind::Error, other.error().message());
            mask();
            return;
        }
        wipe(m_otherValue);
        m_otherValue->setPlainText(QString::fromUtf8(other->view()));
    }
    m_revealed = true;
    const QSignalBlocker blocker(m_reveal);
    m_reveal->setChecked(true);
    m_reveal->setText(tr("&Hide"));
}

QString ConflictDialog::shownValue(Side side) const {
    return (side == Side::Current ? m_currentValue : m_otherValue)->toPlainText();
}

bool ConflictDialog::resolve(sync::Resolution resolution, std::span<const std::byte> value) {
    const sync::ConflictInfo* conflict = currentConflict();
    if (conflict == nullptr || !m_source.resolve) {
        return false;
    }
    const std::int64_t environmentId = conflict->environmentId;
    const std::int64_t secretId = conflict->secretId;
    if (auto done = m_source.resolve(conflict->id, resolution, value); !done) {
        m_banner->showMessage(MessageBanner::Kind::Error, done.error().message);
        return false;
    }
    m_banner->clearMessage();
    mask();
    Q_EMIT resolved(environmentId, secretId);
    refresh();
    if (m_conflicts.empty()) {
        accept();
    }
    return true;
}

void ConflictDialog::onEditTriggered() {
    const sync::ConflictInfo* conflict = currentConflict();
    if (conflict == nullptr) {
        return;
    }
    QDialog editor(this);
    editor.setObjectName(QStringLiteral("conflictEditDialog"));
    editor.setWindowTitle(tr("Edit %1").arg(conflict->name));
    auto* text = new QPlainTextEdit(&editor);
    text->setObjectName(QStringLiteral("conflictEditValue"));
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    if (m_source.value) {
        if (auto current = m_source.value(conflict->secretId, conflict->currentVersion); current) {
            text->setPlainText(QString::fromUtf8(current->view()));
        }
    }
    auto* hint = makeMeta(&editor, "conflictEditHint");
    hint->setText(tr("The new value becomes the current version and syncs to the team."));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, &editor);
    auto* layout = new QVBoxLayout(&editor);
    layout->addWidget(hint);
    layout->addWidget(text, 1);
    layout->addWidget(buttons);
    editor.resize(520, 260);
    connect(buttons, &QDialogButtonBox::accepted, &editor, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &editor, &QDialog::reject);
    const bool save = editor.exec() == QDialog::Accepted;
    const QByteArray utf8 = text->toPlainText().toUtf8();
    wipe(text);
    if (save) {
        auto bytes =
            crypto::SecureBuffer::copyOf(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
        static_cast<void>(resolve(sync::Resolution::Edit, bytes.bytes()));
    }
}

void ConflictDialog::hideEvent(QHideEvent* event) {
    mask();
    QDialog::hideEvent(event);
}

} // namespace coffer::ui
