// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Dotenv.h"

#include <QComboBox>

namespace coffer::ui {

/// A choice of the file formats of model/Dotenv.h (dotenv, docker, shell, systemd, JSON, YAML), each with a short
/// description; the dotenv format first.
class DotenvFormatBox : public QComboBox {
    Q_OBJECT
public:
    explicit DotenvFormatBox(QWidget* parent = nullptr);

    [[nodiscard]] model::dotenv::Dialect dialect() const;
    void setDialect(model::dotenv::Dialect dialect);
};

} // namespace coffer::ui
