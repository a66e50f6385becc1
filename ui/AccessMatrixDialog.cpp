// SPDX-License-Identifier: Apache-2.0
#include "ui/AccessMatrixDialog.h"

#include "ui/AccessMatrixModel.h"
#include "ui/Confirm.h"
#include "ui/MessageBanner.h"
#include "ui/PageLayout.h"
#include "ui/Text.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace coffer::ui {
namespace {

// A cell: "[x] Read   [x] Write". A click on either half toggles that one; Space steps None → Read → Write.
class ToggleDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        QStyleOptionViewItem base = option;
        initStyleOption(&base, index);
        base.text.clear();
        base.features &= ~QStyleOptionViewItem::HasCheckIndicator;
        const QWidget* widget = option.widget;
        QStyle* style = widget != nullptr ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &base, painter, widget);

        const bool enabled = (index.flags() & Qt::ItemIsEnabled) != 0;
        if (index.data(AccessMatrixModel::ChangedRole).toBool()) {
            // Changed cells carry the banner's amber, softly, so the pending edits stand out.
            QColor tint(227, 167, 47);
            tint.setAlpha(60);
            painter->fillRect(option.rect.adjusted(1, 1, -1, -1), tint);
        }
        const bool read = index.data(AccessMatrixModel::ReadRole).toBool();
        const bool write = index.data(AccessMatrixModel::WriteRole).toBool();
        drawToggle(painter, option, half(option.rect, 0), read, QObject::tr("Read"), enabled, style, widget);
        drawToggle(painter, option, half(option.rect, 1), write, QObject::tr("Write"), enabled, style, widget);
    }

    [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& /*index*/) const override {
        const QFontMetrics metrics(option.font);
        const int indicator = 18;
        const int halfWidth =
            indicator + 6 +
            std::max(metrics.horizontalAdvance(QObject::tr("Read")), metrics.horizontalAdvance(QObject::tr("Write"))) +
            12;
        return {2 * halfWidth + 8, std::max(metrics.height(), indicator) + 12};
    }

    bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                     const QModelIndex& index) override {
        if ((index.flags() & Qt::ItemIsEnabled) == 0) {
            return false;
        }
        if (event->type() == QEvent::MouseButtonRelease) {
            const auto* mouse = static_cast<QMouseEvent*>(event);
            if (mouse->button() != Qt::LeftButton || !option.rect.contains(mouse->position().toPoint())) {
                return false;
            }
            const bool writeHalf = half(option.rect, 1).contains(mouse->position().toPoint());
            const int role = writeHalf ? AccessMatrixModel::WriteRole : AccessMatrixModel::ReadRole;
            return model->setData(index, !index.data(role).toBool(), role);
        }
        if (event->type() == QEvent::MouseButtonDblClick) {
            return true; // two clicks are two toggles, not an editor
        }
        if (event->type() == QEvent::KeyPress) {
            const auto* key = static_cast<QKeyEvent*>(event);
            if (key->key() == Qt::Key_Space || key->key() == Qt::Key_Select) {
                const int next = (index.data(AccessMatrixModel::AccessRole).toInt() + 1) % 3;
                return model->setData(index, next, AccessMatrixModel::AccessRole);
            }
        }
        return false;
    }

private:
    static QRect half(const QRect& cell, int which) {
        const int width = cell.width() / 2;
        return {cell.left() + which * width, cell.top(), width, cell.height()};
    }

    static void drawToggle(QPainter* painter, const QStyleOptionViewItem& option, const QRect& area, bool on,
                           const QString& text, bool enabled, QStyle* style, const QWidget* widget) {
        QStyleOptionButton box;
        box.state =
            (on ? QStyle::State_On : QStyle::State_Off) | (enabled ? QStyle::State_Enabled : QStyle::State_None);
        box.palette = option.palette;
        const int size = style->pixelMetric(QStyle::PM_IndicatorWidth, nullptr, widget);
        box.rect = QRect(area.left() + 8, area.center().y() - size / 2, size, size);
        style->drawPrimitive(QStyle::PE_IndicatorCheckBox, &box, painter, widget);
        painter->save();
        painter->setFont(option.font);
        painter->setPen(option.palette.color(enabled ? QPalette::Active : QPalette::Disabled,
                                             (option.state & QStyle::State_Selected) != 0 ? QPalette::HighlightedText
                                                                                          : QPalette::Text));
        const QRect textRect(box.rect.right() + 6, area.top(), area.right() - box.rect.right() - 6, area.height());
        painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, text);
        painter->restore();
    }
};

} // namespace

AccessMatrixDialog::AccessMatrixDialog(QWidget* parent)
    : QDialog(parent)
    , m_model(new AccessMatrixModel(this)) {
    setObjectName(QStringLiteral("accessMatrixDialog"));
    setWindowTitle(tr("Team Access"));
    resize(760, 480);

    auto* intro = page::makeSubtitle(tr("Who may read and write each shared environment. Changes are collected "
                                        "here and applied together, as one batch signed by you."),
                                     this);
    intro->setAlignment(Qt::AlignLeft);
    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("accessBanner"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("accessTable"));
    m_table->setAccessibleName(tr("Access by member and environment"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new ToggleDelegate(m_table));
    m_table->setSelectionMode(QAbstractItemView::NoSelection); // the tint shows the changes, not a selection
    m_table->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setShowGrid(true);
    m_table->setWordWrap(false);
    m_table->setCornerButtonEnabled(false);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->verticalHeader()->setHighlightSections(false);
    m_table->verticalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("accessSummary"));
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    m_changes = new QLabel(this);
    m_changes->setObjectName(QStringLiteral("accessChanges"));
    m_changes->setTextFormat(Qt::PlainText);
    m_changes->setWordWrap(true);
    m_rotateWarning = new MessageBanner(this);
    m_rotateWarning->setObjectName(QStringLiteral("accessRotateWarning"));

    m_revert = new QPushButton(tr("Re&vert"), this);
    m_revert->setObjectName(QStringLiteral("accessRevertButton"));
    m_revert->setAutoDefault(false);
    m_apply = new QPushButton(tr("&Apply Changes"), this);
    m_apply->setObjectName(QStringLiteral("accessApplyButton"));
    m_apply->setDefault(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("accessButtons"));
    buttons->addButton(m_revert, QDialogButtonBox::ResetRole);
    buttons->addButton(m_apply, QDialogButtonBox::ApplyRole);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->setSpacing(8);
    layout->addWidget(intro);
    layout->addWidget(m_banner);
    layout->addWidget(m_table);
    layout->addSpacing(2);
    layout->addWidget(m_summary);
    layout->addWidget(m_changes);
    layout->addWidget(m_rotateWarning);
    layout->addStretch(1);
    layout->addWidget(buttons);

    connect(m_model, &AccessMatrixModel::changesChanged, this, &AccessMatrixDialog::onChangesChanged);
    connect(m_revert, &QPushButton::clicked, m_model, &AccessMatrixModel::revert);
    connect(m_apply, &QPushButton::clicked, this, &AccessMatrixDialog::apply);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    onChangesChanged();
}

void AccessMatrixDialog::setMatrix(sync::AccessMatrix matrix) {
    m_model->setMatrix(std::move(matrix));
    m_table->resizeRowsToContents();
    m_table->verticalHeader()->setMinimumWidth(m_table->verticalHeader()->sizeHint().width() + 12);
    // The environments share the width, each at least as wide as its toggles; the table is as tall as its rows
    // (up to ten, then it scrolls), so the dialog has no empty grid.
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    m_table->resizeColumnsToContents();
    int widest = 0;
    for (int column = 0; column < m_model->columnCount(); ++column) {
        widest = std::max(widest, m_table->columnWidth(column));
    }
    header->setMinimumSectionSize(widest);
    header->setSectionResizeMode(QHeaderView::Stretch);
    int height = header->sizeHint().height() + 2 * m_table->frameWidth() + 6;
    for (int row = 0; row < std::min(m_model->rowCount(), 10); ++row) {
        height += m_table->rowHeight(row);
    }
    m_table->setFixedHeight(std::max(height, header->sizeHint().height() * 3));
    if (QLayout* outer = layout(); outer != nullptr) {
        outer->activate();
    }
    resize(width(), minimumSizeHint().height());
    const int members = m_model->rowCount();
    const int environments = m_model->columnCount();
    m_summary->setText(
        environments == 0
            ? tr("No environment is shared with the team yet: share a project from the Team page.")
            : tr("%1 \u00b7 %2 \u00b7 greyed rows cannot be changed here: your own, and members not confirmed")
                  .arg(countText(members, tr("member"), tr("members")),
                       countText(environments, tr("shared environment"), tr("shared environments"))));
}

void AccessMatrixDialog::setBusy(bool busy) {
    m_busy = busy;
    m_table->setEnabled(!busy);
    if (busy) {
        m_banner->showMessage(MessageBanner::Kind::Information, tr("Applying the changes\u2026"));
    } else if (m_banner->kind() == MessageBanner::Kind::Information) {
        m_banner->clearMessage();
    }
    onChangesChanged();
}

void AccessMatrixDialog::showError(const QString& message) {
    m_banner->showMessage(MessageBanner::Kind::Error, message);
}

void AccessMatrixDialog::showInformation(const QString& message) {
    m_banner->showMessage(MessageBanner::Kind::Information, message);
}

void AccessMatrixDialog::onChangesChanged() {
    const QStringList lines = m_model->describeChanges();
    m_changes->setText(lines.isEmpty() ? tr("No changes yet: click Read or Write in a cell.")
                                       : tr("Will change:\n") + QStringLiteral("  \u2022 ") +
                                             lines.join(QStringLiteral("\n  \u2022 ")));
    m_changes->setForegroundRole(lines.isEmpty() ? QPalette::PlaceholderText : QPalette::WindowText);
    if (m_model->hasRevocations()) {
        m_rotateWarning->showMessage(
            MessageBanner::Kind::Warning,
            tr("Taking access away makes a new key for that environment, sealed to everyone who keeps access. What "
               "they could read stays known to them: those secrets go to the rotation list until changed."));
    } else {
        m_rotateWarning->clearMessage();
    }
    m_apply->setEnabled(!m_busy && !lines.isEmpty());
    m_revert->setEnabled(!m_busy && !lines.isEmpty());
}

void AccessMatrixDialog::apply() {
    const auto changes = m_model->changes();
    if (changes.empty() || m_busy) {
        return;
    }
    QString text =
        tr("Apply these changes as one signed batch?\n\n") + m_model->describeChanges().join(QLatin1Char('\n'));
    if (m_model->hasRevocations()) {
        text += tr("\n\nRevoked environments get a new key; the secrets the member could read are listed to rotate.");
    }
    if (!confirm::ask(this, tr("Apply Access Changes"), text, tr("Apply"))) {
        return;
    }
    m_banner->clearMessage();
    Q_EMIT applyRequested(changes);
}

} // namespace coffer::ui
