// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers for TestDotenvDialogs: the texts a dialog shows, its preview table, files and git in temporary folders.

#include "model/DotenvImport.h"
#include "tests/ui/WindowDriver.h"
#include "ui/DotenvChangeModel.h"
#include "ui/MessageBanner.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QTableView>

#include <map>

namespace coffer::test {

using Values = std::map<QString, QByteArray>;

/// Every text a person or a screen reader can get from `root` and its children.
inline QStringList visibleTexts(const QWidget& root) {
    QStringList texts{root.windowTitle()};
    QList<QWidget*> widgets = root.findChildren<QWidget*>();
    for (QWidget* widget : widgets) {
        texts << widget->toolTip() << widget->accessibleName() << widget->statusTip();
        if (auto* label = qobject_cast<QLabel*>(widget)) {
            texts << label->text();
        } else if (auto* edit = qobject_cast<QLineEdit*>(widget)) {
            texts << edit->text() << edit->placeholderText();
        } else if (auto* button = qobject_cast<QAbstractButton*>(widget)) {
            texts << button->text();
        } else if (auto* combo = qobject_cast<QComboBox*>(widget)) {
            for (int i = 0; i < combo->count(); ++i) {
                texts << combo->itemText(i);
            }
        } else if (auto* banner = qobject_cast<ui::MessageBanner*>(widget)) {
            texts << banner->text();
        } else if (auto* table = qobject_cast<QTableView*>(widget)) {
            const QAbstractItemModel* model = table->model();
            for (int row = 0; row < model->rowCount(); ++row) {
                for (int column = 0; column < model->columnCount(); ++column) {
                    for (const int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::AccessibleTextRole)}) {
                        texts << model->index(row, column).data(role).toString();
                    }
                }
            }
        }
    }
    return texts;
}

/// The first text of `root` that contains one of `values`, or an empty string.
inline QString leakedValue(const QWidget& root, const QStringList& values) {
    for (const QString& text : visibleTexts(root)) {
        for (const QString& value : values) {
            if (text.contains(value)) {
                return text;
            }
        }
    }
    return {};
}

/// Name -> change text of a preview table.
inline std::map<QString, QString> previewOf(const QWidget& dialog, const char* tableName) {
    std::map<QString, QString> rows;
    const QAbstractItemModel* model = child<QTableView>(dialog, tableName)->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        rows[model->index(row, ui::DotenvChangeModel::NameColumn).data().toString()] =
            model->index(row, ui::DotenvChangeModel::ChangeColumn).data().toString();
    }
    return rows;
}

inline int git(const QString& folder, const QStringList& arguments) {
    QProcess process;
    process.setWorkingDirectory(folder);
    process.start(QStringLiteral("git"), arguments);
    if (!process.waitForFinished(30'000) || process.exitStatus() != QProcess::NormalExit) {
        return -1;
    }
    return process.exitCode();
}

inline bool writeText(const QString& path, const QByteArray& text) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

inline QByteArray readText(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

/// Reads `path` back with Coffer's own reader.
inline Values readBack(const QString& path,
                       coffer::model::dotenv::Dialect dialect = coffer::model::dotenv::Dialect::Dotenv) {
    Values values;
    auto entries = coffer::model::dotenv::readFile(path, dialect);
    if (!entries) {
        values[QStringLiteral("<error>")] = entries.error().message.toUtf8();
        return values;
    }
    for (const auto& entry : *entries) {
        values[entry.name] = QByteArray(entry.value.view().data(), static_cast<qsizetype>(entry.value.size()));
    }
    return values;
}

} // namespace coffer::test
