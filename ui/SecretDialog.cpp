// SPDX-License-Identifier: Apache-2.0
#include "ui/SecretDialog.h"

#include "model/Names.h"
#include "ui/GeneratorDialog.h"
#include "ui/MessageBanner.h"
#include "ui/PageLayout.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace coffer::ui {

SecretDialog::SecretDialog(const QString& scopeText, QWidget* parent)
    : QDialog(parent) {
    build(scopeText);
    setWindowTitle(tr("New Secret"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Add Secret"));
    m_replaceValue->hide();
    onInputChanged();
}

SecretDialog::SecretDialog(const QString& scopeText, const model::SecretSummary& secret, QWidget* parent)
    : QDialog(parent)
    , m_editing(true) {
    build(scopeText);
    setWindowTitle(tr("Edit %1").arg(secret.name));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Save"));
    m_name->setText(secret.name);
    m_name->setReadOnly(true);
    m_name->setEnabled(false); // looks as fixed as it is
    m_note->setFocus();
    m_name->setToolTip(tr("Use Rename (F2) to change the name; history stays with the secret."));
    m_note->setText(secret.note);
    m_tags->setText(secret.tags.join(QStringLiteral(", ")));
    m_value->setEnabled(false);
    m_value->setPlaceholderText(tr("The current value is kept."));
    connect(m_replaceValue, &QCheckBox::toggled, this, [this](bool replace) {
        m_value->setEnabled(replace);
        m_value->setPlaceholderText(replace ? tr("The new value; several lines are fine.")
                                            : tr("The current value is kept."));
        if (replace) {
            m_value->setFocus();
        }
        onInputChanged();
    });
    onInputChanged();
}

void SecretDialog::build(const QString& scopeText) {
    setObjectName(QStringLiteral("secretDialog"));
    setMinimumWidth(520);
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("secretNameEdit"));
    m_name->setAccessibleName(tr("Name"));
    m_name->setPlaceholderText(QStringLiteral("DATABASE_URL"));
    m_replaceValue = new QCheckBox(tr("Replace the &value"), this);
    m_replaceValue->setObjectName(QStringLiteral("replaceValueCheck"));
    m_value = new QPlainTextEdit(this);
    m_value->setObjectName(QStringLiteral("secretValueEdit"));
    m_value->setAccessibleName(tr("Value"));
    m_value->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_value->setTabChangesFocus(true);
    m_value->setPlaceholderText(tr("The value; several lines are fine."));
    m_value->setFixedHeight(m_value->fontMetrics().lineSpacing() * 5 + 12);
    m_generate = new QPushButton(tr("&Generate…"), this);
    m_generate->setObjectName(QStringLiteral("generateButton"));
    m_generate->setToolTip(tr("Make a random value: password, passphrase, key or UUID"));
    m_generate->setAutoDefault(false);
    connect(m_generate, &QPushButton::clicked, this, &SecretDialog::onGenerateClicked);
    m_note = new QLineEdit(this);
    m_note->setObjectName(QStringLiteral("secretNoteEdit"));
    m_note->setAccessibleName(tr("Note"));
    m_note->setPlaceholderText(tr("What it is for, where to rotate it"));
    m_tags = new QLineEdit(this);
    m_tags->setObjectName(QStringLiteral("secretTagsEdit"));
    m_tags->setAccessibleName(tr("Tags"));
    m_tags->setPlaceholderText(tr("database, pci"));
    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("secretDialogBanner"));

    auto* scope = new QLabel(scopeText, this);
    scope->setObjectName(QStringLiteral("secretDialogScope"));
    scope->setTextFormat(Qt::PlainText);

    auto* form = page::makeForm();
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    form->addRow(tr("In:"), scope);
    form->addRow(tr("&Name:"), m_name);
    auto* valueLabel = new QLabel(tr("Va&lue:"), this);
    valueLabel->setBuddy(m_value);
    auto* valueBox = new QVBoxLayout;
    valueBox->setSpacing(6);
    auto* valueTop = new QHBoxLayout;
    valueTop->addWidget(m_replaceValue);
    valueTop->addStretch(1);
    valueTop->addWidget(m_generate);
    valueBox->addLayout(valueTop);
    valueBox->addWidget(m_value);
    form->addRow(valueLabel, valueBox);
    form->addRow(tr("N&ote:"), m_note);
    form->addRow(tr("&Tags:"), m_tags);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(QStringLiteral("secretDialogButtons"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &SecretDialog::onInputChanged);
    setTabOrder(m_replaceValue, m_generate);
    setTabOrder(m_generate, m_value);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 18, 18, 14);
    layout->setSpacing(12);
    layout->addLayout(form);
    layout->addWidget(m_banner);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
}

void SecretDialog::onInputChanged() {
    const QString text = name();
    const auto valid = model::checkSecretName(text);
    // Say what is wrong only once something is typed; an empty name simply cannot be saved yet.
    if (!valid && !text.isEmpty()) {
        m_banner->showMessage(MessageBanner::Kind::Warning, valid.error().message());
    } else {
        m_banner->clearMessage();
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(valid.has_value());
}

void SecretDialog::onGenerateClicked() {
    GeneratorDialog generator(this);
    if (generator.exec() != QDialog::Accepted) {
        return;
    }
    const crypto::SecureBuffer value = generator.takeValue();
    if (m_editing) {
        m_replaceValue->setChecked(true);
    }
    m_value->setPlainText(QString::fromUtf8(value.view()));
    m_value->setFocus();
}

QString SecretDialog::name() const {
    return m_name->text().trimmed();
}

bool SecretDialog::replacesValue() const {
    return !m_editing || m_replaceValue->isChecked();
}

crypto::SecureBuffer SecretDialog::takeValue() {
    QByteArray utf8 = m_value->toPlainText().toUtf8();
    auto value =
        crypto::SecureBuffer::copyOf(std::as_bytes(std::span(utf8.constData(), static_cast<std::size_t>(utf8.size()))));
    crypto::wipe(std::as_writable_bytes(std::span(utf8.data(), static_cast<std::size_t>(utf8.size()))));
    m_value->clear();
    return value;
}

model::SecretEdit SecretDialog::edit() const {
    model::SecretEdit edit;
    edit.note = m_note->text().trimmed();
    edit.tags = parseTags(m_tags->text());
    return edit;
}

void SecretDialog::showError(const QString& text) {
    m_banner->showMessage(MessageBanner::Kind::Error, text);
}

QStringList SecretDialog::parseTags(const QString& text) {
    QStringList tags;
    for (const QString& part : text.split(QLatin1Char(','))) {
        if (const QString tag = part.trimmed(); !tag.isEmpty() && !tags.contains(tag)) {
            tags << tag;
        }
    }
    return tags;
}

} // namespace coffer::ui
