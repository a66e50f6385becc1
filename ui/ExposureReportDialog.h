// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/TeamService.h"

#include <QDialog>

#include <vector>

class QTextBrowser;

namespace coffer::ui {

/// After a removal or revocation: what the member could read (every secret and version, now "to rotate"), what
/// the server's access log says they pulled, and what this device's audit log recorded about those secrets.
/// "Rotation List…" asks to open the list.
class ExposureReportDialog : public QDialog {
    Q_OBJECT
public:
    ExposureReportDialog(const std::vector<sync::ExposureReport>& reports, QWidget* parent = nullptr);

    /// The report as plain text (tests).
    [[nodiscard]] QString text() const;
    /// The report as HTML for the dialog.
    [[nodiscard]] static QString toHtml(const std::vector<sync::ExposureReport>& reports);

Q_SIGNALS:
    void rotationListRequested();

private:
    QTextBrowser* m_view = nullptr;
};

} // namespace coffer::ui
