// SPDX-License-Identifier: Apache-2.0
#include "ui/SearchView.h"

#include "model/Store.h"
#include "ui/SearchResultModel.h"

#include <QEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace coffer::ui {

SearchView::SearchView(QWidget* parent)
    : QWidget(parent)
    , m_model(new SearchResultModel(this)) {
    setObjectName(QStringLiteral("searchView"));
    m_field = new QLineEdit(this);
    m_field->setObjectName(QStringLiteral("searchEdit"));
    m_field->setPlaceholderText(tr("Search names, notes and tags  (Ctrl+F)"));
    m_field->setClearButtonEnabled(true);
    m_field->setAccessibleName(tr("Search secrets"));
    m_field->setToolTip(tr("Finds secrets in every project and environment by name, note or tag. "
                           "Several words must all match. Enter opens the match, Escape ends the search."));
    m_field->installEventFilter(this);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("searchTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setCornerButtonEnabled(false);
    m_table->setAccessibleName(tr("Search results"));
    m_table->installEventFilter(this);
    // Rows all have one height and sections are never measured over 100k rows: a keystroke resets the model,
    // and the table must only lay out what is visible.
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    auto* header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setResizeContentsPrecision(0); // size columns to the visible rows only
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(SearchResultModel::NoteColumn, QHeaderView::Stretch);

    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("searchHint"));
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_hint->setTextFormat(Qt::PlainText);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    m_hint->setMargin(24);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_table);
    m_stack->addWidget(m_hint);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_field, &QLineEdit::textChanged, this, &SearchView::onTextChanged);
    connect(m_field, &QLineEdit::returnPressed, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        onActivated(current.isValid() ? current : m_model->index(0, 0));
    });
    connect(m_table, &QAbstractItemView::activated, this, &SearchView::onActivated);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &SearchView::currentResultChanged);
}

void SearchView::load(model::Store& store) {
    m_store = &store;
    if (m_active) {
        refresh(); // Reload (F5) during a search: new matches, the selection kept
    } else {
        reloadIndex();
    }
}

void SearchView::refresh(std::int64_t secretId) {
    m_stale = true;
    if (!m_active || m_store == nullptr) {
        return; // read again when a search needs it: an edit costs nothing while nobody searches
    }
    const model::ScopedSecret* current = currentSecret();
    const std::int64_t selected = secretId != 0 ? secretId : (current != nullptr ? current->secret.id : 0);
    reloadIndex();
    showResults();
    selectRow(m_model->rowOf(selected));
}

void SearchView::clear() {
    m_store = nullptr;
    m_stale = false;
    m_field->clear(); // ends the search (activeChanged) before the index goes
    m_model->clear();
}

void SearchView::focusField() {
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
}

void SearchView::clearQuery() {
    m_field->clear();
}

const model::ScopedSecret* SearchView::currentSecret() const {
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? m_model->secret(current.row()) : nullptr;
}

void SearchView::reloadIndex() {
    if (m_store == nullptr) {
        return;
    }
    if (auto loaded = m_model->load(*m_store); !loaded) {
        // Keep the last index: better slightly stale matches than none. The next change tries again.
        m_hint->setText(loaded.error().message());
        return;
    }
    m_stale = false;
}

void SearchView::onTextChanged(const QString& text) {
    const bool wasActive = m_active;
    const bool hadCurrent = m_table->currentIndex().isValid();
    m_active = !text.trimmed().isEmpty();
    // Started before the first matches are shown, ended after the last are gone: the page saves and restores
    // its heading around them.
    if (m_active && !wasActive) {
        Q_EMIT activeChanged(true);
    }
    if (m_active && m_stale) {
        reloadIndex();
    }
    m_model->setQuery(text);
    showResults();
    if (!m_active && wasActive) {
        Q_EMIT activeChanged(false);
    }
    if (hadCurrent && !m_table->currentIndex().isValid()) {
        Q_EMIT currentResultChanged();
    }
}

void SearchView::showResults() {
    const int count = m_model->rowCount();
    if (m_active && count == 0) {
        m_hint->setText(tr("No secret matches “%1”.\nSearch looks at names, notes and tags in every project; "
                           "Escape goes back.")
                            .arg(m_field->text().trimmed()));
        m_stack->setCurrentWidget(m_hint);
    } else {
        m_stack->setCurrentWidget(m_table);
    }
    Q_EMIT resultsChanged(count);
}

void SearchView::selectRow(int row) {
    if (row < 0 || row >= m_model->rowCount()) {
        m_table->setCurrentIndex({});
        Q_EMIT currentResultChanged(); // a reset cleared the selection silently
        return;
    }
    m_table->setCurrentIndex(m_model->index(row, SearchResultModel::NameColumn));
    m_table->selectRow(row);
}

void SearchView::onActivated(const QModelIndex& index) {
    const model::ScopedSecret* secret = index.isValid() ? m_model->secret(index.row()) : nullptr;
    if (secret == nullptr) {
        return;
    }
    // Copies: ending the search (by the receiver) resets the model.
    const QString project = secret->project;
    const QString environment = secret->environment;
    const std::int64_t id = secret->secret.id;
    Q_EMIT resultActivated(project, environment, id);
}

bool SearchView::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() != QEvent::KeyPress) {
        return QWidget::eventFilter(watched, event);
    }
    const auto* key = static_cast<QKeyEvent*>(event);
    if (key->key() == Qt::Key_Escape && key->modifiers() == Qt::NoModifier && (m_active || watched == m_field)) {
        clearQuery();
        Q_EMIT dismissed();
        return true;
    }
    if (watched == m_field && key->key() == Qt::Key_Down && m_model->rowCount() > 0) {
        if (!m_table->currentIndex().isValid()) {
            selectRow(0);
        }
        m_table->setFocus(Qt::TabFocusReason);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace coffer::ui
