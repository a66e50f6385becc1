// SPDX-License-Identifier: Apache-2.0
#include "ui/Confirm.h"

#include <QMessageBox>
#include <QPushButton>

#include <utility>

namespace coffer::ui::confirm {
namespace {

Handler& handler() {
    static Handler instance;
    return instance;
}

} // namespace

bool ask(QWidget* parent, const QString& title, const QString& text, const QString& acceptText) {
    if (handler()) {
        return handler()(parent, title, text);
    }
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::NoButton, parent);
    auto* accept = box.addButton(acceptText, QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(accept);
    box.exec();
    return box.clickedButton() == accept;
}

void inform(QWidget* parent, const QString& title, const QString& text) {
    if (handler()) {
        static_cast<void>(handler()(parent, title, text));
        return;
    }
    QMessageBox::warning(parent, title, text);
}

Handler setHandler(Handler handler) {
    return std::exchange(confirm::handler(), std::move(handler));
}

} // namespace coffer::ui::confirm
