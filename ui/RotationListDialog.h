// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/TeamService.h"

#include <QDialog>

#include <functional>
#include <vector>

class QCheckBox;
class QLabel;
class QPushButton;
class QTableView;

namespace coffer::ui {

class MessageBanner;
class RotationListModel;

/// Team › Rotation List: the secrets a removed member could read, until each has a new version. Done ones are
/// greyed (shown with "Show done"). Open (or a double click) asks the main window to show the secret, where Edit
/// gives it a new value. It reads the list again whenever it becomes active.
class RotationListDialog : public QDialog {
    Q_OBJECT
public:
    /// `load(includeDone)` reads the list (TeamService::rotationList, local).
    using Loader = std::function<sync::Result<std::vector<sync::RotationItem>>(bool includeDone)>;

    explicit RotationListDialog(Loader load, QWidget* parent = nullptr);

    void refresh();
    void setShowDone(bool show);
    [[nodiscard]] RotationListModel* model() const noexcept { return m_model; }
    [[nodiscard]] QTableView* table() const noexcept { return m_table; }

Q_SIGNALS:
    void secretActivated(const QString& project, const QString& environment, const QString& name);

protected:
    void changeEvent(QEvent* event) override;

private:
    void openRow(int row);
    void onSelectionChanged();

    Loader m_load;
    RotationListModel* m_model = nullptr;
    QLabel* m_summary = nullptr;
    MessageBanner* m_banner = nullptr;
    QTableView* m_table = nullptr;
    QCheckBox* m_showDone = nullptr;
    QPushButton* m_open = nullptr;
    bool m_refreshing = false;
};

} // namespace coffer::ui
