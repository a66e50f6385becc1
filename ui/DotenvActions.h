// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>

class QAction;
class QMenu;
class QWidget;

namespace coffer::ui {

class ClipboardGuard;
class VaultPage;
class VaultSession;

/// File > Import .env… (Ctrl+I), File > Export .env… (Ctrl+Shift+E) and Edit > Copy as .env (Ctrl+Shift+C), all for
/// the selected environment. Import and export run their dialogs; Copy as .env puts the environment, references
/// resolved, on the clipboard through the ClipboardGuard (audited as a copy). Protected environments ask first.
class DotenvActions : public QObject {
    Q_OBJECT
public:
    /// Dialogs open over `window`; copies go through `clipboard`.
    DotenvActions(VaultSession& session, VaultPage& page, ClipboardGuard& clipboard, QWidget* window);

    /// Adds Import and Export to `file` before `before`, and Copy as .env at the end of `edit` after a separator.
    void addToMenus(QMenu* file, QAction* before, QMenu* edit);
    /// Enabled while an environment of an open vault is selected.
    void updateEnabled();

    [[nodiscard]] QAction* importAction() const noexcept { return m_import; }
    [[nodiscard]] QAction* exportAction() const noexcept { return m_export; }
    [[nodiscard]] QAction* copyAction() const noexcept { return m_copy; }

Q_SIGNALS:
    /// Secrets were imported (the status bar counts follow).
    void vaultChanged();

private:
    void onImportTriggered();
    void onExportTriggered();
    void onCopyAsDotenvTriggered();
    void showStatus(const QString& text);

    VaultSession& m_session;
    VaultPage& m_page;
    ClipboardGuard& m_clipboard;
    QWidget* m_window = nullptr;
    QAction* m_import = nullptr;
    QAction* m_export = nullptr;
    QAction* m_copy = nullptr;
};

} // namespace coffer::ui
