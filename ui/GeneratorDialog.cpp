// SPDX-License-Identifier: Apache-2.0
#include "ui/GeneratorDialog.h"

#include "model/PasswordStrength.h"
#include "ui/ClipboardGuard.h"
#include "ui/GeneratorSettings.h"
#include "ui/PageLayout.h"
#include "ui/StrengthMeter.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

namespace coffer::ui {
namespace {

using crypto::GeneratorMode;
using crypto::GeneratorOptions;

struct Range {
    int low;
    int high;
};

Range rangeOf(GeneratorMode mode) {
    switch (mode) {
    case GeneratorMode::Characters:
        return {GeneratorOptions::kMinLength, GeneratorOptions::kMaxLength};
    case GeneratorMode::Passphrase:
        return {GeneratorOptions::kMinWords, GeneratorOptions::kMaxWords};
    case GeneratorMode::Hex:
    case GeneratorMode::Base64:
    case GeneratorMode::Base64Url:
        return {GeneratorOptions::kMinBytes, GeneratorOptions::kMaxBytes};
    case GeneratorMode::Uuid:
        break;
    }
    return {0, 0};
}

int& countOf(GeneratorOptions& options) {
    switch (options.mode) {
    case GeneratorMode::Passphrase:
        return options.words;
    case GeneratorMode::Hex:
    case GeneratorMode::Base64:
    case GeneratorMode::Base64Url:
        return options.bytes;
    case GeneratorMode::Characters:
    case GeneratorMode::Uuid:
        break;
    }
    return options.length;
}

QCheckBox* makeCheck(const QString& text, const char* name, QWidget* parent) {
    auto* check = new QCheckBox(text, parent);
    check->setObjectName(QString::fromLatin1(name));
    return check;
}

} // namespace

GeneratorDialog::GeneratorDialog(ClipboardGuard& clipboard, QWidget* parent)
    : QDialog(parent)
    , m_clipboard(&clipboard) {
    build();
}

GeneratorDialog::GeneratorDialog(QWidget* parent)
    : QDialog(parent) {
    build();
}

GeneratorDialog::~GeneratorDialog() {
    // The field's QString cannot be wiped; at least it does not outlive the dialog. m_value wipes itself.
    m_valueView->clear();
}

QAction* GeneratorDialog::addMenuAction(QMenu* menu, ClipboardGuard& clipboard, QWidget* window) {
    QAction* action = menu->addAction(tr("Password &Generator…"));
    action->setObjectName(QStringLiteral("passwordGeneratorAction"));
    action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    action->setStatusTip(tr("Make a random password, passphrase, key or UUID"));
    connect(action, &QAction::triggered, window, [&clipboard, window] {
        GeneratorDialog dialog(clipboard, window);
        dialog.exec();
    });
    return action;
}

void GeneratorDialog::build() {
    setObjectName(QStringLiteral("generatorDialog"));
    setWindowTitle(tr("Password Generator"));
    setMinimumWidth(560);

    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("generatorModeCombo"));
    m_mode->setAccessibleName(tr("Kind of value"));
    m_mode->addItem(tr("Characters"), static_cast<int>(GeneratorMode::Characters));
    m_mode->addItem(tr("Passphrase (words)"), static_cast<int>(GeneratorMode::Passphrase));
    m_mode->addItem(tr("Hex"), static_cast<int>(GeneratorMode::Hex));
    m_mode->addItem(tr("Base64"), static_cast<int>(GeneratorMode::Base64));
    m_mode->addItem(tr("Base64url (no padding)"), static_cast<int>(GeneratorMode::Base64Url));
    m_mode->addItem(tr("UUID (version 4)"), static_cast<int>(GeneratorMode::Uuid));

    m_countRow = new QWidget(this);
    m_countSlider = new QSlider(Qt::Horizontal, m_countRow);
    m_countSlider->setObjectName(QStringLiteral("generatorCountSlider"));
    m_countSpin = new QSpinBox(m_countRow);
    m_countSpin->setObjectName(QStringLiteral("generatorCountSpin"));
    m_countSpin->setMinimumWidth(m_countSpin->fontMetrics().horizontalAdvance(QStringLiteral("0000")) + 40);
    auto* countLayout = new QHBoxLayout(m_countRow);
    countLayout->setContentsMargins(0, 0, 0, 0);
    countLayout->setSpacing(10);
    countLayout->addWidget(m_countSlider, 1);
    countLayout->addWidget(m_countSpin);
    m_countLabel = new QLabel(this);
    m_countLabel->setBuddy(m_countSpin);

    m_classRow = new QWidget(this);
    m_lower = makeCheck(tr("Lower case (a–z)"), "generatorLowerCheck", m_classRow);
    m_upper = makeCheck(tr("Upper case (A–Z)"), "generatorUpperCheck", m_classRow);
    m_digits = makeCheck(tr("Digits (0–9)"), "generatorDigitsCheck", m_classRow);
    m_symbols = makeCheck(tr("Symbols (!#$%…)"), "generatorSymbolsCheck", m_classRow);
    m_avoidLookAlikes =
        makeCheck(tr("&Avoid look-alikes (0 O o 1 l I | ` ' \")"), "generatorAvoidLookAlikesCheck", m_classRow);
    m_avoidLookAlikes->setToolTip(tr("Leave out characters that are easily misread when a value is typed by eye"));
    auto* classes = new QGridLayout(m_classRow);
    classes->setContentsMargins(0, 0, 0, 0);
    classes->setHorizontalSpacing(16);
    classes->setVerticalSpacing(6);
    classes->addWidget(m_lower, 0, 0);
    classes->addWidget(m_upper, 0, 1);
    classes->addWidget(m_digits, 1, 0);
    classes->addWidget(m_symbols, 1, 1);
    classes->addWidget(m_avoidLookAlikes, 2, 0, 1, 2);

    m_passphraseRow = new QWidget(this);
    m_separator = new QComboBox(m_passphraseRow);
    m_separator->setObjectName(QStringLiteral("generatorSeparatorCombo"));
    m_separator->setAccessibleName(tr("Separator"));
    m_separator->addItem(tr("Hyphen ( - )"), QStringLiteral("-"));
    m_separator->addItem(tr("Space"), QStringLiteral(" "));
    m_separator->addItem(tr("Period ( . )"), QStringLiteral("."));
    m_separator->addItem(tr("Underscore ( _ )"), QStringLiteral("_"));
    m_separator->addItem(tr("Comma ( , )"), QStringLiteral(","));
    m_capitalise = makeCheck(tr("&Capitalise"), "generatorCapitaliseCheck", m_passphraseRow);
    m_includeNumber = makeCheck(tr("Add a &number"), "generatorNumberCheck", m_passphraseRow);
    m_includeNumber->setToolTip(tr("One random digit after one of the words"));
    auto* separatorLabel = new QLabel(tr("&Separator:"), m_passphraseRow);
    separatorLabel->setBuddy(m_separator);
    auto* passphrase = new QHBoxLayout(m_passphraseRow);
    passphrase->setContentsMargins(0, 0, 0, 0);
    passphrase->setSpacing(10);
    passphrase->addWidget(separatorLabel);
    passphrase->addWidget(m_separator);
    passphrase->addSpacing(8);
    passphrase->addWidget(m_capitalise);
    passphrase->addWidget(m_includeNumber);
    passphrase->addStretch(1);

    m_valueView = new QPlainTextEdit(this);
    m_valueView->setObjectName(QStringLiteral("generatorValueView"));
    m_valueView->setAccessibleName(tr("Generated value"));
    m_valueView->setReadOnly(true);
    // Copying goes through the Copy button (and so the clipboard guard), never a selection.
    m_valueView->setTextInteractionFlags(Qt::NoTextInteraction);
    m_valueView->setContextMenuPolicy(Qt::NoContextMenu);
    m_valueView->setFocusPolicy(Qt::NoFocus);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(mono.pointSizeF() * 1.15); // easier to read back character by character
    m_valueView->setFont(mono);
    m_valueView->setWordWrapMode(QTextOption::WrapAnywhere);
    m_valueView->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    // Three lines: a default value fits on one, the longest (256 characters) scrolls.
    m_valueView->setFixedHeight(m_valueView->fontMetrics().lineSpacing() * 3 + 14);

    m_meter = new StrengthMeter(this);
    m_meter->setObjectName(QStringLiteral("generatorStrengthMeter"));
    m_meter->setShowsBits(true);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("generatorStatusLabel"));
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_status->setWordWrap(true);

    m_form = page::makeForm();
    // Top-aligned, so "Value:" and "Strength:" sit by the first line of their multi-line fields.
    m_form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    auto* modeLabel = new QLabel(tr("&Kind:"), this);
    modeLabel->setBuddy(m_mode);
    m_form->addRow(modeLabel, m_mode);
    m_form->addRow(m_countLabel, m_countRow);
    m_form->addRow(tr("Include:"), m_classRow);
    m_form->addRow(QString(), m_passphraseRow);
    auto* valueLabel = new QLabel(tr("Value:"), this);
    m_form->addRow(valueLabel, m_valueView);
    m_form->addRow(tr("Strength:"), m_meter);

    m_regenerate = new QPushButton(tr("&Regenerate"), this);
    m_regenerate->setObjectName(QStringLiteral("regenerateButton"));
    m_regenerate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_regenerate->setToolTip(tr("Make another value with the same options (Ctrl+R)"));
    m_regenerate->setAutoDefault(false);
    m_buttons = new QDialogButtonBox(this);
    m_buttons->setObjectName(QStringLiteral("generatorButtons"));
    if (m_clipboard != nullptr) {
        m_copy = new QPushButton(tr("Copy"), this);
        m_copy->setObjectName(QStringLiteral("generatorCopyButton"));
        m_copy->setShortcut(QKeySequence::Copy);
        m_copy->setToolTip(tr("Copy the value; the clipboard is cleared after a while (%1)")
                               .arg(QKeySequence(QKeySequence::Copy).toString(QKeySequence::NativeText)));
        m_copy->setAutoDefault(false);
        m_buttons->addButton(QDialogButtonBox::Close);
        connect(m_copy, &QPushButton::clicked, this, &GeneratorDialog::onCopyClicked);
    } else {
        m_use = m_buttons->addButton(tr("&Use"), QDialogButtonBox::AcceptRole);
        m_use->setObjectName(QStringLiteral("generatorUseButton"));
        m_use->setToolTip(tr("Put this value into the secret"));
        m_use->setDefault(true);
        m_buttons->addButton(QDialogButtonBox::Cancel);
    }
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* buttonRow = new QHBoxLayout;
    buttonRow->setSpacing(8);
    buttonRow->addWidget(m_regenerate);
    if (m_copy != nullptr) {
        buttonRow->addWidget(m_copy);
    }
    buttonRow->addStretch(1);
    buttonRow->addWidget(m_buttons);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 18, 18, 14);
    layout->setSpacing(12);
    layout->addLayout(m_form);
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addLayout(buttonRow);

    setTabOrder(m_mode, m_countSlider);
    setTabOrder(m_countSlider, m_countSpin);
    setTabOrder(m_countSpin, m_lower);
    setTabOrder(m_lower, m_upper);
    setTabOrder(m_upper, m_digits);
    setTabOrder(m_digits, m_symbols);
    setTabOrder(m_symbols, m_avoidLookAlikes);
    setTabOrder(m_avoidLookAlikes, m_separator);
    setTabOrder(m_separator, m_capitalise);
    setTabOrder(m_capitalise, m_includeNumber);
    setTabOrder(m_includeNumber, m_regenerate);

    connect(m_mode, &QComboBox::currentIndexChanged, this, &GeneratorDialog::onModeChanged);
    connect(m_countSlider, &QSlider::valueChanged, this, &GeneratorDialog::onCountChanged);
    connect(m_countSpin, &QSpinBox::valueChanged, this, &GeneratorDialog::onCountChanged);
    for (QCheckBox* check : {m_lower, m_upper, m_digits, m_symbols, m_avoidLookAlikes, m_capitalise, m_includeNumber}) {
        connect(check, &QCheckBox::toggled, this, &GeneratorDialog::onOptionToggled);
    }
    connect(m_separator, &QComboBox::currentIndexChanged, this, &GeneratorDialog::onOptionToggled);
    connect(m_regenerate, &QPushButton::clicked, this, &GeneratorDialog::regenerate);

    loadOptions();
}

void GeneratorDialog::loadOptions() {
    m_options = GeneratorSettings::load();
    m_loading = true;
    m_mode->setCurrentIndex(m_mode->findData(static_cast<int>(m_options.mode)));
    m_lower->setChecked(m_options.lower);
    m_upper->setChecked(m_options.upper);
    m_digits->setChecked(m_options.digits);
    m_symbols->setChecked(m_options.symbols);
    m_avoidLookAlikes->setChecked(m_options.avoidLookAlikes);
    m_capitalise->setChecked(m_options.capitalise);
    m_includeNumber->setChecked(m_options.includeNumber);
    const int separator = m_separator->findData(QString(QLatin1Char(m_options.separator)));
    m_separator->setCurrentIndex(separator >= 0 ? separator : 0);
    m_options.separator = m_separator->currentData().toString().at(0).toLatin1();
    m_loading = false;
    updateControls();
    regenerate();
}

void GeneratorDialog::updateControls() {
    const GeneratorMode mode = m_options.mode;
    const bool hasCount = mode != GeneratorMode::Uuid;
    m_form->setRowVisible(m_countRow, hasCount);
    m_form->setRowVisible(m_classRow, mode == GeneratorMode::Characters);
    m_form->setRowVisible(m_passphraseRow, mode == GeneratorMode::Passphrase);
    if (hasCount) {
        const Range range = rangeOf(mode);
        const int count = countOf(m_options);
        const QSignalBlocker blockSlider(m_countSlider);
        const QSignalBlocker blockSpin(m_countSpin);
        m_countSlider->setRange(range.low, range.high);
        m_countSpin->setRange(range.low, range.high);
        m_countSlider->setValue(count);
        m_countSpin->setValue(count);
        m_countSlider->setPageStep(mode == GeneratorMode::Passphrase ? 1 : 8);
    }
    switch (mode) {
    case GeneratorMode::Characters:
        m_countLabel->setText(tr("&Length:"));
        m_countSpin->setSuffix(tr(" characters"));
        break;
    case GeneratorMode::Passphrase:
        m_countLabel->setText(tr("&Words:"));
        m_countSpin->setSuffix(tr(" words"));
        break;
    default:
        m_countLabel->setText(tr("&Bytes:"));
        m_countSpin->setSuffix(tr(" bytes"));
        break;
    }
    m_countSlider->setAccessibleName(m_countLabel->text().remove(QLatin1Char('&')).chopped(1));
    m_countSpin->setAccessibleName(m_countSlider->accessibleName());
    // At least one class: the last one ticked cannot be unticked.
    const int ticked = int{m_options.lower} + int{m_options.upper} + int{m_options.digits} + int{m_options.symbols};
    for (QCheckBox* check : {m_lower, m_upper, m_digits, m_symbols}) {
        check->setEnabled(ticked > 1 || !check->isChecked());
        check->setToolTip(check->isEnabled() ? QString() : tr("At least one kind of character is needed"));
    }
}

void GeneratorDialog::onModeChanged() {
    if (m_loading) {
        return;
    }
    m_options.mode = static_cast<GeneratorMode>(m_mode->currentData().toInt());
    GeneratorSettings::save(m_options);
    updateControls();
    regenerate();
}

void GeneratorDialog::onCountChanged(int count) {
    if (m_loading || m_options.mode == GeneratorMode::Uuid || countOf(m_options) == count) {
        return;
    }
    countOf(m_options) = count;
    {
        const QSignalBlocker blockSlider(m_countSlider);
        const QSignalBlocker blockSpin(m_countSpin);
        m_countSlider->setValue(count);
        m_countSpin->setValue(count);
    }
    GeneratorSettings::save(m_options);
    regenerate();
}

void GeneratorDialog::onOptionToggled() {
    if (m_loading) {
        return;
    }
    m_options.lower = m_lower->isChecked();
    m_options.upper = m_upper->isChecked();
    m_options.digits = m_digits->isChecked();
    m_options.symbols = m_symbols->isChecked();
    m_options.avoidLookAlikes = m_avoidLookAlikes->isChecked();
    m_options.capitalise = m_capitalise->isChecked();
    m_options.includeNumber = m_includeNumber->isChecked();
    m_options.separator = m_separator->currentData().toString().at(0).toLatin1();
    GeneratorSettings::save(m_options);
    updateControls();
    regenerate();
}

void GeneratorDialog::regenerate() {
    auto value = crypto::generateValue(m_options);
    const auto bits = crypto::generatorEntropyBits(m_options);
    if (!value || !bits) {
        // Only exhausted guarded memory gets here: the controls keep the options in range.
        m_value.clear();
        m_valueView->clear();
        m_status->setText(tr("No value could be made: %1.")
                              .arg(QString::fromUtf8(crypto::describe(value ? bits.error() : value.error()))));
        if (m_use != nullptr) {
            m_use->setEnabled(false);
        }
        return;
    }
    m_value = std::move(*value);
    m_valueView->setPlainText(QString::fromLatin1(m_value.view()));
    m_meter->setStrength(model::PasswordStrength::ofEntropy(*bits));
    m_status->clear();
    if (m_use != nullptr) {
        m_use->setEnabled(true);
    }
}

crypto::SecureBuffer GeneratorDialog::takeValue() {
    m_valueView->clear();
    return std::move(m_value);
}

void GeneratorDialog::onCopyClicked() {
    if (m_clipboard == nullptr || m_value.empty()) {
        return;
    }
    m_clipboard->copy(QString::fromLatin1(m_value.view()));
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(m_clipboard->clearAfter()).count();
    m_status->setText(tr("Copied. The clipboard is cleared in %1 s if it still holds the value.").arg(seconds));
}

} // namespace coffer::ui
