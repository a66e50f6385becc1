// SPDX-License-Identifier: Apache-2.0
#include "ui/ExposureReportDialog.h"

#include "ui/TeamText.h"
#include "ui/Text.h"

#include <QDialogButtonBox>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace coffer::ui {
namespace {

QString list(const QStringList& lines) {
    QString html = QStringLiteral("<ul>");
    for (const QString& line : lines) {
        html += QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped());
    }
    return html + QStringLiteral("</ul>");
}

} // namespace

ExposureReportDialog::ExposureReportDialog(const std::vector<sync::ExposureReport>& reports, QWidget* parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("exposureReportDialog"));
    setWindowTitle(tr("Exposure Report"));
    resize(640, 480);
    m_view = new QTextBrowser(this);
    m_view->setObjectName(QStringLiteral("exposureReportView"));
    m_view->setOpenLinks(false);
    m_view->setHtml(toHtml(reports));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* rotation = buttons->addButton(tr("&Rotation List\u2026"), QDialogButtonBox::ActionRole);
    rotation->setObjectName(QStringLiteral("exposureRotationButton"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);
    connect(rotation, &QPushButton::clicked, this, [this] {
        Q_EMIT rotationListRequested();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QString ExposureReportDialog::text() const {
    return m_view->toPlainText();
}

QString ExposureReportDialog::toHtml(const std::vector<sync::ExposureReport>& reports) {
    QString html;
    for (const sync::ExposureReport& report : reports) {
        html += QStringLiteral("<h3>%1</h3>").arg(tr("What %1 could read").arg(report.memberName).toHtmlEscaped());
        if (report.secrets.empty()) {
            html += QStringLiteral("<p>%1</p>").arg(tr("No secret: nothing to rotate."));
        } else {
            html +=
                QStringLiteral("<p>%1</p>")
                    .arg(tr("%1 \u2014 each stays on the rotation list until it has a new value:")
                             .arg(countText(static_cast<qint64>(report.secrets.size()), tr("secret"), tr("secrets")))
                             .toHtmlEscaped());
            QStringList lines;
            for (const auto& secret : report.secrets) {
                lines << tr("%1 \u203a %2 (version %3)")
                             .arg(team::scopeName(secret.project, secret.environment), secret.name)
                             .arg(secret.version);
            }
            html += list(lines);
        }
        html += QStringLiteral("<h4>%1</h4>").arg(tr("The server's access log").toHtmlEscaped());
        if (!report.accessLogError.isEmpty()) {
            html += QStringLiteral("<p>%1</p>").arg(tr("Not available: %1").arg(report.accessLogError).toHtmlEscaped());
        } else if (report.serverAccess.isEmpty()) {
            html += QStringLiteral("<p>%1</p>").arg(tr("No pulls recorded.").toHtmlEscaped());
        } else {
            html += list(report.serverAccess);
        }
        html += QStringLiteral("<h4>%1</h4>").arg(tr("This device's audit log").toHtmlEscaped());
        html += report.localAudit.isEmpty()
                    ? QStringLiteral("<p>%1</p>").arg(tr("Nothing recorded about these secrets.").toHtmlEscaped())
                    : list(report.localAudit);
    }
    return html;
}

} // namespace coffer::ui
