// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>

#include <cstdint>

class QAction;
class QWidget;

namespace coffer::ui {

class CompareDialog;
class VaultPage;
class VaultSession;

/// View › Compare Environments… (Ctrl+K): opens the compare window on the selected project, shows a secret in the
/// main window when the window asks, reloads the page after copies, and closes the window on lock.
class CompareActions : public QObject {
    Q_OBJECT
public:
    /// The window opens over `window`.
    CompareActions(VaultSession& session, VaultPage& page, QWidget* window);

    [[nodiscard]] QAction* action() const noexcept { return m_compare; }
    /// The compare window, or nullptr before it was first opened.
    [[nodiscard]] CompareDialog* dialog() const noexcept { return m_dialog; }

Q_SIGNALS:
    /// Secrets were copied (the status bar counts follow).
    void vaultChanged();

private:
    void onCompareTriggered();
    void onSecretActivated(const QString& project, const QString& environment, const QString& name);
    void onSecretsCopied(std::int64_t environmentId);
    void onLocked();
    void updateEnabled();

    VaultSession& m_session;
    VaultPage& m_page;
    QWidget* m_window = nullptr;
    QAction* m_compare = nullptr;
    CompareDialog* m_dialog = nullptr;
};

} // namespace coffer::ui
