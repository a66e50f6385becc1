// SPDX-License-Identifier: Apache-2.0
#include "ui/SettingsDialog.h"

#include "crypto/Hash.h"
#include "crypto/Keys.h"
#include "crypto/PasswordHash.h"
#include "crypto/SecureBuffer.h"
#include "model/Vault.h"
#include "ui/DeviceUnlock.h"
#include "ui/MessageBanner.h"
#include "ui/PageLayout.h"
#include "ui/Passwords.h"
#include "ui/Settings.h"
#include "ui/VaultSession.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <array>
#include <cstddef>
#include <utility>

namespace coffer::ui {
namespace {

QString costText(model::KdfCost cost) {
    return SettingsDialog::tr("%1 passes over %2 MiB").arg(cost.passes).arg(cost.memoryMiB);
}

QSpinBox* makeSpin(const char* key, const QString& suffix, QWidget* parent) {
    const SettingDefinition* def = Settings::find(key);
    Q_ASSERT(def != nullptr);
    auto* spin = new QSpinBox(parent);
    spin->setRange(def->minimum, def->maximum);
    spin->setSuffix(suffix);
    return spin;
}

// Seconds that one Argon2id derivation with `cost` takes here (a throwaway password and salt), or -1.
double measureCost(model::KdfCost cost) {
    crypto::Argon2Salt salt{};
    crypto::randomFill(salt);
    static constexpr std::array<std::byte, 8> kPassword{};
    std::array<std::byte, 32> out{};
    QElapsedTimer timer;
    timer.start();
    const auto ok = crypto::argon2id(out, kPassword, salt, cost.argon2());
    const double seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    crypto::wipe(out);
    return ok ? seconds : -1.0;
}

} // namespace

SettingsDialog::SettingsDialog(VaultSession& session, DeviceUnlock& deviceUnlock, QWidget* parent)
    : QDialog(parent)
    , m_session(session)
    , m_deviceUnlock(deviceUnlock) {
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));

    m_error = new MessageBanner(this);
    m_error->setObjectName(QStringLiteral("settingsErrorBanner"));
    m_busyBar = page::makeBusyBar(this);
    m_busyBar->setObjectName(QStringLiteral("settingsBusyBar"));
    m_busyBar->hide();
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(QStringLiteral("settingsButtons"));

    auto* layout = new QVBoxLayout(this);
    layout->setSpacing(12);
    layout->addWidget(makeSecurityGroup());
    layout->addWidget(makeVaultGroup());
    layout->addWidget(makeAppearanceGroup());
    layout->addWidget(m_error);
    layout->addStretch(1);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_busyBar, 1);
    bottom->addWidget(m_buttons);
    layout->addLayout(bottom);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(&m_measureWatcher, &QFutureWatcherBase::finished, this, &SettingsDialog::onMeasured);
    connect(&m_rekeyWatcher, &QFutureWatcherBase::finished, this, &SettingsDialog::onRekeyed);
    connect(&m_deviceUnlock, &DeviceUnlock::rememberedChanged, this, &SettingsDialog::updateRemember);
    load();
    setMinimumWidth(680);
}

// A measurement still running keeps its own copies and ends on its own; re-keying cannot be running (the dialog
// refuses to close while busy).
SettingsDialog::~SettingsDialog() = default;

QWidget* SettingsDialog::makeSecurityGroup() {
    auto* group = new QGroupBox(tr("Security"), this);
    m_lockAfter = makeSpin(Settings::kLockAfterMinutes, tr(" min"), group);
    m_lockAfter->setObjectName(QStringLiteral("lockAfterSpin"));
    m_lockAfter->setSpecialValueText(tr("Never"));
    m_lockAfter->setAccessibleName(tr("Lock after idle minutes"));
    m_clipboardClear = makeSpin(Settings::kClipboardClearSeconds, tr(" s"), group);
    m_clipboardClear->setObjectName(QStringLiteral("clipboardClearSpin"));
    m_clipboardClear->setAccessibleName(tr("Clear the clipboard after seconds"));
    m_reveal = makeSpin(Settings::kRevealSeconds, tr(" s"), group);
    m_reveal->setObjectName(QStringLiteral("revealSpin"));
    m_reveal->setAccessibleName(tr("Hide a revealed value after seconds"));
    m_lockOnScreenLock = new QCheckBox(tr("Lock when the &screen locks"), group);
    m_lockOnScreenLock->setObjectName(QStringLiteral("lockOnScreenLockCheck"));
    m_serveAgent = new QCheckBox(tr("Serve &coffer-cli while unlocked"), group);
    m_serveAgent->setObjectName(QStringLiteral("serveAgentCheck"));
    m_serveAgent->setToolTip(tr("coffer-cli on this computer uses this window's unlocked vault instead of asking for "
                                "the password; protected environments still need your approval here"));

    m_rememberStatus = new QLabel(group);
    m_rememberStatus->setObjectName(QStringLiteral("rememberStatusLabel"));
    m_forget = new QPushButton(tr("&Forget on this device"), group);
    m_forget->setObjectName(QStringLiteral("forgetDeviceButton"));
    m_forget->setAccessibleName(tr("Forget the vault key on this device"));
    connect(m_forget, &QPushButton::clicked, this, &SettingsDialog::onForgetClicked);
    auto* rememberBox = new QVBoxLayout;
    rememberBox->setSpacing(6);
    rememberBox->addWidget(m_rememberStatus);
    rememberBox->addWidget(m_forget, 0, Qt::AlignLeft);

    auto* form = page::makeForm();
    form->addRow(tr("&Lock after idle:"), m_lockAfter);
    form->addRow(tr("&Clear clipboard after:"), m_clipboardClear);
    form->addRow(tr("&Hide revealed value after:"), m_reveal);
    form->addRow(QString(), m_lockOnScreenLock);
    form->addRow(QString(), m_serveAgent);
    form->addRow(tr("Remember on this device:"), rememberBox);
    // Numbers are short: their fields keep their natural width instead of spanning the dialog.
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    for (QSpinBox* spin : {m_lockAfter, m_clipboardClear, m_reveal}) {
        spin->setMinimumWidth(120);
    }
    group->setLayout(form);
    return group;
}

QWidget* SettingsDialog::makeVaultGroup() {
    auto* group = new QGroupBox(tr("Vault"), this);
    m_currentCost = new QLabel(group);
    m_currentCost->setObjectName(QStringLiteral("currentCostLabel"));
    m_passes = new QSpinBox(group);
    m_passes->setObjectName(QStringLiteral("kdfPassesSpin"));
    m_passes->setRange(static_cast<int>(model::KdfCost::kMinPasses), static_cast<int>(model::KdfCost::kMaxPasses));
    m_passes->setAccessibleName(tr("Key derivation passes"));
    m_memory = new QComboBox(group);
    m_memory->setObjectName(QStringLiteral("kdfMemoryCombo"));
    m_memory->setAccessibleName(tr("Key derivation memory"));
    for (std::uint32_t mib = model::KdfCost::kMinMemoryMiB; mib <= model::KdfCost::kMaxMemoryMiB; mib *= 2) {
        m_memory->addItem(tr("%1 MiB").arg(mib), mib);
    }
    m_measure = new QPushButton(tr("&Measure"), group);
    m_measure->setObjectName(QStringLiteral("measureButton"));
    m_measure->setToolTip(tr("Run the key derivation once with this cost and show how long unlocking takes"));
    m_measureResult = new QLabel(group);
    m_measureResult->setObjectName(QStringLiteral("measureLabel"));
    m_measureResult->setForegroundRole(QPalette::PlaceholderText);
    auto* costRow = new QHBoxLayout;
    costRow->addWidget(m_passes);
    costRow->addWidget(new QLabel(tr("passes over"), group));
    costRow->addWidget(m_memory);
    costRow->addWidget(m_measure);
    costRow->addStretch(1);

    m_password = new QLineEdit(group);
    m_password->setObjectName(QStringLiteral("kdfPasswordEdit"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Master password to re-encrypt the vault"));
    m_password->setPlaceholderText(tr("Needed only to apply a new cost"));

    auto* form = page::makeForm();
    form->addRow(tr("This vault:"), m_currentCost);
    auto* costLabel = new QLabel(tr("&Key derivation:"), group);
    costLabel->setBuddy(m_passes);
    form->addRow(costLabel, costRow);
    form->addRow(QString(), m_measureResult);
    form->addRow(tr("Master &password:"), m_password);
    group->setLayout(form);

    connect(m_passes, &QSpinBox::valueChanged, this, &SettingsDialog::onCostChanged);
    connect(m_memory, &QComboBox::currentIndexChanged, this, &SettingsDialog::onCostChanged);
    connect(m_measure, &QPushButton::clicked, this, &SettingsDialog::onMeasureClicked);
    return group;
}

QWidget* SettingsDialog::makeAppearanceGroup() {
    auto* group = new QGroupBox(tr("Appearance"), this);
    m_theme = new QComboBox(group);
    m_theme->setObjectName(QStringLiteral("themeCombo"));
    m_theme->setAccessibleName(tr("Theme"));
    m_theme->addItem(tr("System default"), static_cast<int>(Theme::System));
    m_theme->addItem(tr("Light"), static_cast<int>(Theme::Light));
    m_theme->addItem(tr("Dark"), static_cast<int>(Theme::Dark));
    auto* form = page::makeForm();
    form->addRow(tr("&Theme:"), m_theme);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_theme->setMinimumWidth(180);
    group->setLayout(form);
    return group;
}

void SettingsDialog::load() {
    m_lockAfter->setValue(Settings::lockAfterMinutes());
    m_clipboardClear->setValue(Settings::clipboardClearSeconds());
    m_reveal->setValue(Settings::revealSeconds());
    m_lockOnScreenLock->setChecked(Settings::lockOnScreenLock());
    m_serveAgent->setChecked(Settings::serveAgent());
    m_theme->setCurrentIndex(m_theme->findData(static_cast<int>(Settings::theme())));

    const model::Vault* vault = m_session.vault();
    const model::KdfCost cost = vault != nullptr ? vault->info().cost : m_session.createCost();
    m_currentCost->setText(vault != nullptr ? costText(cost) : tr("No vault is open."));
    m_passes->setValue(static_cast<int>(cost.passes));
    m_memory->setCurrentIndex(m_memory->findData(cost.memoryMiB));
    m_passes->setEnabled(vault != nullptr);
    m_memory->setEnabled(vault != nullptr);
    updateRemember();
    onCostChanged();
}

void SettingsDialog::updateRemember() {
    const QString path = m_session.path();
    const bool open = m_session.isOpen();
    const bool remembered = open && Settings::rememberOnDevice(path);
    if (!m_deviceUnlock.isKeychainAvailable() && !remembered) {
        m_rememberStatus->setText(tr("No keychain is available on this desktop (Secret Service not running)."));
    } else if (!open) {
        m_rememberStatus->setText(tr("Open a vault to see whether its key is remembered here."));
    } else if (remembered) {
        m_rememberStatus->setText(tr("This vault's key is kept in the keychain: opening it here needs no password."));
    } else {
        m_rememberStatus->setText(tr("Off. Tick \u201cRemember on this device\u201d when unlocking to turn it on."));
    }
    m_forget->setEnabled(remembered);
}

model::KdfCost SettingsDialog::chosenCost() const {
    return {static_cast<std::uint32_t>(m_passes->value()), m_memory->currentData().toUInt()};
}

void SettingsDialog::onCostChanged() {
    const model::Vault* vault = m_session.vault();
    const bool changed = vault != nullptr && chosenCost() != vault->info().cost;
    m_password->setEnabled(changed && !m_busy);
    if (!changed) {
        m_password->clear();
    }
    m_measureResult->setText(tr("Measure to see how long unlocking takes with this cost."));
}

void SettingsDialog::onMeasureClicked() {
    if (m_measureWatcher.isRunning()) {
        return;
    }
    m_measure->setEnabled(false);
    m_measureResult->setText(tr("Measuring…"));
    m_measureWatcher.setFuture(QtConcurrent::run(measureCost, chosenCost()));
}

void SettingsDialog::onMeasured() {
    const double seconds = m_measureWatcher.future().result();
    m_measure->setEnabled(true);
    m_measureResult->setText(seconds < 0 ? tr("This cost needs more memory than this computer could give.")
                                         : tr("Unlocking takes about %1 s on this computer with this cost.")
                                               .arg(seconds, 0, 'f', seconds < 10 ? 2 : 0));
    Q_EMIT measured();
}

void SettingsDialog::save() {
    Settings::setLockAfterMinutes(m_lockAfter->value());
    Settings::setClipboardClearSeconds(m_clipboardClear->value());
    Settings::setRevealSeconds(m_reveal->value());
    Settings::setLockOnScreenLock(m_lockOnScreenLock->isChecked());
    Settings::setServeAgent(m_serveAgent->isChecked());
    Settings::setTheme(static_cast<Theme>(m_theme->currentData().toInt()));
}

void SettingsDialog::accept() {
    if (m_busy) {
        return;
    }
    m_error->clearMessage();
    model::Vault* vault = m_session.vault();
    const model::KdfCost cost = chosenCost();
    if (vault == nullptr || cost == vault->info().cost) {
        save();
        QDialog::accept();
        return;
    }
    if (auto ok = cost.check(); !ok) {
        m_error->showMessage(MessageBanner::Kind::Error, ok.error().message());
        return;
    }
    if (m_password->text().isEmpty()) {
        m_error->showMessage(MessageBanner::Kind::Error,
                             tr("Type the master password to re-encrypt the vault with the new cost."));
        m_password->setFocus();
        return;
    }
    setBusy(true);
    // The password is checked against the open vault's key before anything is rewritten: the cost change keeps
    // the password, and must not become a way to set one without knowing it. The dialog is modal and the idle
    // lock is off meanwhile, so nothing else touches the vault while the worker uses it.
    m_rekeyWatcher.setFuture(QtConcurrent::run(
        [vault, cost, path = m_session.path(), password = takePassword(*m_password)]() mutable -> model::Result<void> {
            auto current = model::Vault::deriveKey(path, password.bytes());
            if (!current) {
                password.clear();
                return std::unexpected(current.error());
            }
            if (!crypto::constantTimeEqual(current->bytes(), vault->key().bytes())) {
                password.clear();
                return std::unexpected(model::Error{model::ErrorCode::WrongPassword, {}});
            }
            auto changed = vault->changePassword(password.bytes(), cost);
            password.clear();
            return changed;
        }));
}

void SettingsDialog::onRekeyed() {
    auto result = m_rekeyWatcher.future().takeResult();
    setBusy(false);
    if (!result) {
        m_error->showMessage(MessageBanner::Kind::Error, result.error().message());
        m_password->clear();
        if (model::Vault* vault = m_session.vault(); vault != nullptr && !vault->isOpen()) {
            QDialog::reject(); // the window locks: the new file is in place, the password opens it
        }
        return;
    }
    m_deviceUnlock.vaultRekeyed(m_session.path());
    save();
    QDialog::accept();
}

void SettingsDialog::reject() {
    if (m_busy) {
        return; // re-encryption cannot be cancelled halfway
    }
    QDialog::reject();
}

void SettingsDialog::setBusy(bool busy) {
    m_busy = busy;
    m_busyBar->setVisible(busy);
    m_buttons->setEnabled(!busy);
    for (QWidget* input : std::initializer_list<QWidget*>{m_passes, m_memory, m_measure, m_forget}) {
        input->setEnabled(!busy);
    }
    if (!busy) {
        m_passes->setEnabled(m_session.vault() != nullptr);
        m_memory->setEnabled(m_session.vault() != nullptr);
        updateRemember();
    }
    onCostChanged();
}

void SettingsDialog::onForgetClicked() {
    m_deviceUnlock.forget(m_session.path());
    updateRemember();
}

} // namespace coffer::ui
