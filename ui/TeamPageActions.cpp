// SPDX-License-Identifier: Apache-2.0
// TeamPage's actions on members and environments: invite, confirm, role, remove, access, share, and clearing an
// integrity stop. Each runs on the TeamClient's worker and reads the team again when it is done.
#include "ui/TeamPage.h"

#include "ui/AccessMatrixDialog.h"
#include "ui/Confirm.h"
#include "ui/ConfirmMemberDialog.h"
#include "ui/ExposureReportDialog.h"
#include "ui/InviteDialog.h"
#include "ui/TeamClient.h"
#include "ui/TeamText.h"

#include <QInputDialog>

#include <algorithm>
#include <memory>
#include <variant>

namespace coffer::ui {

void TeamPage::invite() {
    if (m_client == nullptr || !m_team || isBusy()) {
        return;
    }
    const protocol::TeamId teamId = m_team->team;
    setBusy(true);
    m_client->run<std::shared_ptr<crypto::SecureBuffer>>(
        this,
        [teamId](TeamClient::Services& services) -> sync::Result<std::shared_ptr<crypto::SecureBuffer>> {
            auto code = services.team.invite(teamId);
            if (!code) {
                return std::unexpected(code.error());
            }
            return std::make_shared<crypto::SecureBuffer>(std::move(*code));
        },
        [this](sync::Result<std::shared_ptr<crypto::SecureBuffer>> code) {
            setBusy(false);
            if (!code) {
                showError(code.error().message);
                return;
            }
            InviteDialog dialog(m_team ? m_team->name : QString(), **code, myFingerprint(), m_clipboard, this);
            (*code)->clear();
            dialog.exec();
        });
}

void TeamPage::confirmSelected() {
    const sync::MemberInfo* selected = selectedMember();
    if (m_client == nullptr || !m_team || selected == nullptr || isBusy()) {
        return;
    }
    const sync::MemberInfo member = *selected;
    ConfirmMemberDialog dialog(member, this);
    if (dialog.exec() != QDialog::Accepted || m_client == nullptr || !m_team) {
        return;
    }
    const protocol::TeamId teamId = m_team->team;
    const protocol::Role role = dialog.role();
    const bool skip = dialog.skipVerification();
    setBusy(true);
    m_client->run<sync::MemberInfo>(
        this,
        [teamId, member, role, skip](TeamClient::Services& services) {
            return services.team.confirm(teamId, member.id, role, skip ? QString() : member.fingerprint, skip);
        },
        [this, skip](sync::Result<sync::MemberInfo> confirmed) {
            setBusy(false);
            if (!confirmed) {
                showError(confirmed.error().message);
                return;
            }
            showInformation(skip ? tr("%1 was added without verification.").arg(confirmed->name)
                                 : tr("%1 was confirmed. Give them access with Access\u2026").arg(confirmed->name));
            Q_EMIT teamChanged();
            refresh();
        });
}

void TeamPage::removeSelected() {
    const sync::MemberInfo* selected = selectedMember();
    if (m_client == nullptr || !m_team || selected == nullptr || isBusy()) {
        return;
    }
    const sync::MemberInfo member = *selected;
    if (!confirm::ask(this, tr("Remove %1").arg(member.name),
                      tr("Remove %1 from %2? Every environment they could read gets a new key, sealed to everyone "
                         "who stays. What they could read until now stays known to them: the secrets are listed "
                         "to rotate.")
                          .arg(member.name, m_team->name),
                      tr("Remove"))) {
        return;
    }
    const protocol::TeamId teamId = m_team->team;
    setBusy(true);
    m_client->run<sync::ExposureReport>(
        this,
        [teamId, member](TeamClient::Services& services) { return services.team.removeMember(teamId, member.id); },
        [this](sync::Result<sync::ExposureReport> report) {
            setBusy(false);
            if (!report) {
                showError(report.error().message);
                return;
            }
            showInformation(tr("%1 was removed.").arg(report->memberName));
            Q_EMIT teamChanged();
            refresh();
            ExposureReportDialog dialog({*report}, this);
            connect(&dialog, &ExposureReportDialog::rotationListRequested, this, &TeamPage::rotationListRequested);
            dialog.exec();
        });
}

void TeamPage::changeSelectedRole(protocol::Role role) {
    const sync::MemberInfo* selected = selectedMember();
    if (m_client == nullptr || !m_team || selected == nullptr || isBusy()) {
        return;
    }
    const sync::MemberInfo member = *selected;
    if (member.role == role) {
        showInformation(tr("%1 is %2 already.").arg(member.name, team::roleText(role)));
        return;
    }
    const protocol::TeamId teamId = m_team->team;
    setBusy(true);
    m_client->run<std::monostate>(
        this,
        [teamId, member, role](TeamClient::Services& services) -> sync::Result<std::monostate> {
            if (auto changed = services.team.setRole(teamId, member.id, role); !changed) {
                return std::unexpected(changed.error());
            }
            return std::monostate{};
        },
        [this, member, role](sync::Result<std::monostate> changed) {
            setBusy(false);
            if (!changed) {
                showError(changed.error().message);
                return;
            }
            showInformation(tr("%1 is now %2.").arg(member.name, team::roleText(role)));
            Q_EMIT teamChanged();
            refresh();
        });
}

void TeamPage::clearSelectedStop() {
    const sync::SharedEnvironment* selected = selectedEnvironment();
    const QString status = selectedEnvironmentStatus();
    if (m_client == nullptr || selected == nullptr || status.isEmpty() || isBusy()) {
        return;
    }
    const sync::SharedEnvironment environment = *selected;
    const QString scope = team::scopeName(environment.project, environment.environment);
    if (!confirm::ask(this, tr("Clear the Stop of %1").arg(scope),
                      tr("%1\n\nNothing from the record that failed this check was applied. Its bytes stay in the "
                         "vault as evidence. Clear the stop only once you know the cause (ask the team's admin and "
                         "compare environment fingerprints): the next sync tries again from the last verified state, "
                         "and a server that still serves what failed stops it again.")
                          .arg(status),
                      tr("Clear Stop"))) {
        return;
    }
    const std::int64_t environmentId = environment.environmentId;
    setBusy(true);
    m_client->run<std::monostate>(
        this,
        [environmentId](TeamClient::Services& services) -> sync::Result<std::monostate> {
            if (auto cleared = services.engine.clearIntegrityError(environmentId); !cleared) {
                return std::unexpected(cleared.error());
            }
            return std::monostate{};
        },
        [this, scope](sync::Result<std::monostate> cleared) {
            setBusy(false);
            if (!cleared) {
                showError(cleared.error().message);
                return;
            }
            showInformation(tr("%1 syncs again; its evidence stays in the vault.").arg(scope));
            Q_EMIT teamChanged();
            refresh();
        });
}

void TeamPage::openAccess() {
    if (m_client == nullptr || !m_team || isBusy()) {
        return;
    }
    auto* dialog = new AccessMatrixDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setBusy(true);
    const protocol::TeamId teamId = m_team->team;
    const auto load = [this, dialog, teamId] {
        m_client->run<sync::AccessMatrix>(
            dialog, [teamId](TeamClient::Services& services) { return services.team.accessMatrix(teamId); },
            [dialog](sync::Result<sync::AccessMatrix> matrix) {
                dialog->setBusy(false);
                if (!matrix) {
                    dialog->showError(matrix.error().message);
                    return;
                }
                dialog->setMatrix(std::move(*matrix));
            });
    };
    connect(dialog, &AccessMatrixDialog::applyRequested, this,
            [this, dialog, teamId, load](const std::vector<sync::AccessChange>& changes) {
                if (m_client == nullptr) {
                    return;
                }
                dialog->setBusy(true);
                m_client->run<std::vector<sync::ExposureReport>>(
                    dialog,
                    [teamId, changes](TeamClient::Services& services) {
                        return services.team.applyAccess(teamId, changes);
                    },
                    [this, dialog, load](sync::Result<std::vector<sync::ExposureReport>> reports) {
                        if (!reports) {
                            dialog->setBusy(false);
                            dialog->showError(reports.error().message);
                            return;
                        }
                        load();
                        dialog->showInformation(tr("Access changed."));
                        Q_EMIT teamChanged();
                        if (!reports->empty()) {
                            auto* report = new ExposureReportDialog(*reports, dialog);
                            report->setAttribute(Qt::WA_DeleteOnClose);
                            connect(report, &ExposureReportDialog::rotationListRequested, this,
                                    &TeamPage::rotationListRequested);
                            report->open();
                        }
                    });
            });
    dialog->open();
    load();
}

void TeamPage::shareProject() {
    if (m_client == nullptr || !m_team || isBusy() || m_projects.empty()) {
        return;
    }
    QStringList names;
    for (const auto& project : m_projects) {
        names << project.second;
    }
    bool ok = false;
    const QString chosen = QInputDialog::getItem(
        this, tr("Share Project"), tr("Share every environment of this project with %1:").arg(m_team->name), names, 0,
        false, &ok);
    const auto found = std::ranges::find_if(m_projects, [&](const auto& project) { return project.second == chosen; });
    if (!ok || found == m_projects.end() || m_client == nullptr || !m_team) {
        return;
    }
    const protocol::TeamId teamId = m_team->team;
    const std::int64_t projectId = found->first;
    setBusy(true);
    m_client->run<std::vector<sync::SharedEnvironment>>(
        this,
        [teamId, projectId](TeamClient::Services& services) { return services.team.shareProject(teamId, projectId); },
        [this, chosen](sync::Result<std::vector<sync::SharedEnvironment>> shared) {
            setBusy(false);
            if (!shared) {
                showError(shared.error().message);
                return;
            }
            showInformation(tr("%1 is shared with the team. Give members access with Access\u2026").arg(chosen));
            Q_EMIT teamChanged();
            refresh();
        });
}

} // namespace coffer::ui
