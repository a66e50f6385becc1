// SPDX-License-Identifier: Apache-2.0
#include "ui/TransferDialog.h"

#include "ui/EnvironmentColour.h"
#include "ui/Icons.h"
#include "ui/MessageBanner.h"
#include "ui/Text.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace coffer::ui {
namespace {

constexpr int kEnvironmentIdRole = Qt::UserRole + 1;
constexpr int kProtectedRole = Qt::UserRole + 2;
constexpr int kNameRole = Qt::UserRole + 3;

QString titleFor(TransferDialog::Mode mode, std::size_t count) {
    switch (mode) {
    case TransferDialog::Mode::Duplicate:
        return TransferDialog::tr("Duplicate Secret");
    case TransferDialog::Mode::Copy:
        return count == 1 ? TransferDialog::tr("Copy Secret To") : TransferDialog::tr("Copy Secrets To");
    case TransferDialog::Mode::Move:
        return count == 1 ? TransferDialog::tr("Move Secret To") : TransferDialog::tr("Move Secrets To");
    }
    return {};
}

QString acceptTextFor(TransferDialog::Mode mode) {
    switch (mode) {
    case TransferDialog::Mode::Duplicate:
        return TransferDialog::tr("Duplicate");
    case TransferDialog::Mode::Copy:
        return TransferDialog::tr("Copy");
    case TransferDialog::Mode::Move:
        return TransferDialog::tr("Move");
    }
    return {};
}

} // namespace

TransferDialog::TransferDialog(Mode mode, model::Store& store, std::vector<model::SecretSummary> secrets,
                               std::int64_t sourceEnvironmentId, QWidget* parent)
    : QDialog(parent)
    , m_store(store)
    , m_secrets(std::move(secrets)) {
    setObjectName(QStringLiteral("transferDialog"));
    setWindowTitle(titleFor(mode, m_secrets.size()));
    // Sized in text units, so the lists show their names whole at any font size or scale.
    setMinimumWidth(fontMetrics().averageCharWidth() * 100);

    auto* targetLabel = new QLabel(tr("&To environment:"), this);
    m_targets = new QTreeWidget(this);
    m_targets->setObjectName(QStringLiteral("transferTargetTree"));
    m_targets->setHeaderHidden(true);
    m_targets->setRootIsDecorated(false);
    m_targets->setUniformRowHeights(true);
    m_targets->setAccessibleName(tr("Target environment"));
    targetLabel->setBuddy(m_targets);
    m_targets->setMinimumHeight(fontMetrics().lineSpacing() * 13);

    auto* namesLabel = new QLabel(
        countText(static_cast<qint64>(m_secrets.size()), tr("secret"), tr("secrets")) + QLatin1Char(':'), this);
    m_names = new QListWidget(this);
    m_names->setObjectName(QStringLiteral("transferNamesList"));
    m_names->setAccessibleName(tr("Secrets to %1").arg(acceptTextFor(mode).toLower()));
    m_names->setSelectionMode(QAbstractItemView::NoSelection);
    m_names->setFocusPolicy(Qt::NoFocus);
    for (const auto& secret : m_secrets) {
        auto* item = new QListWidgetItem(icons::secret(), secret.name, m_names);
        item->setData(Qt::UserRole, secret.name);
    }
    namesLabel->setBuddy(m_names);

    m_conflictText = new QLabel(this);
    m_conflictText->setObjectName(QStringLiteral("transferConflictText"));
    m_conflictText->setWordWrap(true);
    m_conflictText->setTextFormat(Qt::PlainText);
    m_conflictChoice = new QWidget(this);
    m_overwrite =
        new QRadioButton(tr("&Overwrite them (their current value becomes the previous version)"), m_conflictChoice);
    m_overwrite->setObjectName(QStringLiteral("overwriteRadio"));
    m_skip = new QRadioButton(tr("&Skip them (leave them as they are)"), m_conflictChoice);
    m_skip->setObjectName(QStringLiteral("skipRadio"));
    m_skip->setChecked(true); // the choice that changes nothing already there
    auto* choiceLayout = new QVBoxLayout(m_conflictChoice);
    choiceLayout->setContentsMargins(12, 0, 0, 0);
    choiceLayout->addWidget(m_skip);
    choiceLayout->addWidget(m_overwrite);

    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("transferDialogBanner"));
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(QStringLiteral("transferDialogButtons"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(acceptTextFor(mode));

    auto* columns = new QHBoxLayout;
    columns->setSpacing(12);
    auto* left = new QVBoxLayout;
    left->addWidget(targetLabel);
    left->addWidget(m_targets, 1);
    auto* right = new QVBoxLayout;
    right->addWidget(namesLabel);
    right->addWidget(m_names, 1);
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 18, 18, 14);
    layout->setSpacing(10);
    layout->addLayout(columns, 1);
    layout->addWidget(m_conflictText);
    layout->addWidget(m_conflictChoice);
    layout->addWidget(m_banner);
    layout->addWidget(m_buttons);

    fillTargets(sourceEnvironmentId);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_targets, &QTreeWidget::currentItemChanged, this, &TransferDialog::onTargetChanged);
    onTargetChanged();
    m_targets->setFocus();
}

void TransferDialog::fillTargets(std::int64_t sourceEnvironmentId) {
    auto projects = m_store.projects();
    if (!projects) {
        showError(projects.error().message());
        return;
    }
    for (const auto& project : *projects) {
        auto* projectItem = new QTreeWidgetItem(m_targets, QStringList{project.name});
        projectItem->setIcon(0, icons::project());
        projectItem->setFlags(Qt::ItemIsEnabled); // a heading, not a target
        auto environments = m_store.environments(project.id);
        if (!environments) {
            showError(environments.error().message());
            continue;
        }
        for (const auto& environment : *environments) {
            const bool isSource = environment.id == sourceEnvironmentId;
            QString text = environment.name;
            if (isSource) {
                text = tr("%1 (where they are)").arg(environment.name);
            } else if (environment.isProtected) {
                text = tr("%1 (protected)").arg(environment.name);
            }
            auto* item = new QTreeWidgetItem(projectItem, QStringList{text});
            item->setIcon(0, colours::chip(colours::environmentColour(environment), environment.isProtected));
            item->setData(0, kEnvironmentIdRole, QVariant::fromValue<qint64>(environment.id));
            item->setData(0, kProtectedRole, environment.isProtected);
            item->setData(0, kNameRole, environment.name);
            item->setData(0, Qt::AccessibleTextRole, QStringLiteral("%1 %2").arg(project.name, text));
            item->setFlags(isSource ? Qt::NoItemFlags : Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        }
    }
    m_targets->expandAll();
}

bool TransferDialog::selectTarget(const QString& projectName, const QString& environmentName) {
    for (int row = 0; row < m_targets->topLevelItemCount(); ++row) {
        QTreeWidgetItem* project = m_targets->topLevelItem(row);
        if (project->text(0) != projectName) {
            continue;
        }
        for (int child = 0; child < project->childCount(); ++child) {
            QTreeWidgetItem* item = project->child(child);
            if (item->data(0, kNameRole).toString() == environmentName && (item->flags() & Qt::ItemIsSelectable) != 0) {
                m_targets->setCurrentItem(item);
                return true;
            }
        }
    }
    return false;
}

std::int64_t TransferDialog::targetEnvironmentId() const {
    const QTreeWidgetItem* item = m_targets->currentItem();
    if (item == nullptr || (item->flags() & Qt::ItemIsSelectable) == 0) {
        return 0;
    }
    return item->data(0, kEnvironmentIdRole).toLongLong();
}

QString TransferDialog::targetText() const {
    const QTreeWidgetItem* item = m_targets->currentItem();
    if (targetEnvironmentId() == 0) {
        return {};
    }
    return QStringLiteral("%1 \u203a %2").arg(item->parent()->text(0), item->data(0, kNameRole).toString());
}

bool TransferDialog::targetIsProtected() const {
    return targetEnvironmentId() != 0 && m_targets->currentItem()->data(0, kProtectedRole).toBool();
}

model::ExistingSecrets TransferDialog::existing() const {
    return m_overwrite->isChecked() ? model::ExistingSecrets::Overwrite : model::ExistingSecrets::Skip;
}

void TransferDialog::showError(const QString& text) {
    m_banner->showMessage(MessageBanner::Kind::Error, text);
}

void TransferDialog::onTargetChanged() {
    m_banner->clearMessage();
    m_conflicts.clear();
    const std::int64_t target = targetEnvironmentId();
    if (target != 0) {
        std::vector<std::int64_t> ids;
        for (const auto& secret : m_secrets) {
            ids.push_back(secret.id);
        }
        auto taken = model::SecretTransfer(m_store).conflicts(ids, target);
        if (taken) {
            m_conflicts = *taken;
        } else {
            showError(taken.error().message());
        }
    }
    for (int row = 0; row < m_names->count(); ++row) {
        QListWidgetItem* item = m_names->item(row);
        const QString name = item->data(Qt::UserRole).toString();
        const bool taken = m_conflicts.contains(name);
        item->setText(taken ? tr("%1 (exists there)").arg(name) : name);
        item->setIcon(taken ? icons::warning() : icons::secret());
    }
    if (target == 0) {
        m_conflictText->setText(tr("Choose the environment they go to."));
    } else if (m_conflicts.isEmpty()) {
        m_conflictText->setText(tr("None of them exists in %1 yet.").arg(targetText()));
    } else {
        m_conflictText->setText(
            tr("%1 already in %2: %3.")
                .arg(m_conflicts.size() == 1 ? tr("1 of them is") : tr("%1 of them are").arg(m_conflicts.size()),
                     targetText(), m_conflicts.join(QStringLiteral(", "))));
    }
    m_conflictChoice->setVisible(!m_conflicts.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(target != 0);
}

} // namespace coffer::ui
