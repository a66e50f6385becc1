// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QDialogButtonBox;
class QLineEdit;

namespace coffer::ui {

class MessageBanner;

/// Asks for one name: renaming a secret, a new project or a new environment. The name is checked as it is
/// typed. For environments a "Protected" box follows model::isProtectedByDefault() until the user sets it.
class NameDialog : public QDialog {
    Q_OBJECT
public:
    using Check = std::function<model::Result<void>(const QString&)>;

    /// `check` validates the name (model::checkSecretName or checkScopeName); `acceptText` labels OK.
    NameDialog(const QString& title, const QString& label, const QString& acceptText, Check check,
               QWidget* parent = nullptr);

    /// Adds the "Protected environment" check box.
    void enableProtectedChoice();
    void setName(const QString& name);
    [[nodiscard]] QString name() const;
    [[nodiscard]] bool isProtected() const;
    void showError(const QString& text);

private:
    void onNameChanged();

    Check m_check;
    QLineEdit* m_name = nullptr;
    QCheckBox* m_protected = nullptr;
    bool m_protectedTouched = false;
    MessageBanner* m_banner = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace coffer::ui
