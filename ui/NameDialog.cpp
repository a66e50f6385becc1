// SPDX-License-Identifier: Apache-2.0
#include "ui/NameDialog.h"

#include "model/Names.h"
#include "ui/MessageBanner.h"
#include "ui/PageLayout.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <utility>

namespace coffer::ui {

NameDialog::NameDialog(const QString& title, const QString& label, const QString& acceptText, Check check,
                       QWidget* parent)
    : QDialog(parent)
    , m_check(std::move(check)) {
    setObjectName(QStringLiteral("nameDialog"));
    setWindowTitle(title);
    setMinimumWidth(fontMetrics().averageCharWidth() * 52); // in text units: room for a long name at any font size
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setAccessibleName(label);
    m_protected = new QCheckBox(tr("&Protected environment (production data: extra care)"), this);
    m_protected->setObjectName(QStringLiteral("protectedCheck"));
    m_protected->hide();
    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("nameDialogBanner"));
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(QStringLiteral("nameDialogButtons"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(acceptText);

    auto* form = page::makeForm();
    form->addRow(label, m_name);
    form->addRow(QString(), m_protected);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 18, 18, 14);
    layout->setSpacing(12);
    layout->addLayout(form);
    layout->addWidget(m_banner);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &NameDialog::onNameChanged);
    connect(m_protected, &QCheckBox::clicked, this, [this] { m_protectedTouched = true; });
    onNameChanged();
}

void NameDialog::enableProtectedChoice() {
    m_protected->show();
    onNameChanged();
}

void NameDialog::setName(const QString& name) {
    m_name->setText(name);
    m_name->selectAll();
}

QString NameDialog::name() const {
    return m_name->text().trimmed();
}

bool NameDialog::isProtected() const {
    return !m_protected->isHidden() && m_protected->isChecked();
}

void NameDialog::showError(const QString& text) {
    m_banner->showMessage(MessageBanner::Kind::Error, text);
}

void NameDialog::onNameChanged() {
    const QString text = name();
    const auto valid = m_check ? m_check(text) : model::Result<void>{};
    if (!valid && !text.isEmpty()) {
        m_banner->showMessage(MessageBanner::Kind::Warning, valid.error().message());
    } else {
        m_banner->clearMessage();
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(valid.has_value());
    if (!m_protectedTouched) {
        m_protected->setChecked(model::isProtectedByDefault(text));
    }
}

} // namespace coffer::ui
