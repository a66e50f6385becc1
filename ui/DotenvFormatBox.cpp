// SPDX-License-Identifier: Apache-2.0
#include "ui/DotenvFormatBox.h"

namespace coffer::ui {

using model::dotenv::Dialect;

DotenvFormatBox::DotenvFormatBox(QWidget* parent)
    : QComboBox(parent) {
    const std::pair<Dialect, QString> formats[] = {
        {Dialect::Dotenv, tr("dotenv — .env as Node, Python and docker compose read it")},
        {Dialect::Docker, tr("docker — docker run --env-file (no quotes, one line per value)")},
        {Dialect::Shell, tr("shell — export NAME='…', safe to source")},
        {Dialect::Systemd, tr("systemd — EnvironmentFile=")},
        {Dialect::Json, tr("JSON — one object of strings")},
        {Dialect::Yaml, tr("YAML — a flat mapping of strings")},
    };
    for (const auto& [dialect, text] : formats) {
        addItem(text, static_cast<int>(dialect));
    }
}

Dialect DotenvFormatBox::dialect() const {
    return static_cast<Dialect>(currentData().toInt());
}

void DotenvFormatBox::setDialect(Dialect dialect) {
    setCurrentIndex(findData(static_cast<int>(dialect)));
}

} // namespace coffer::ui
