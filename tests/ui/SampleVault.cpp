// SPDX-License-Identifier: Apache-2.0
#include "tests/ui/SampleVault.h"

#include "model/Store.h"
#include "model/Vault.h"

#include <QStringList>

#include <vector>

namespace coffer::test {
namespace {

struct SampleSecret {
    const char* project;
    const char* environment;
    const char* name;
    std::string_view value;
    const char* note;
    QStringList tags;
    const char* author;
};

// Sorted by project, environment, name.
std::vector<SampleSecret> sampleSecrets() {
    using L = QStringList;
    return {
        {"payments-api", "dev", "DATABASE_URL", "postgres://payments:devpass@localhost:5432/payments",
         "Local Postgres from docker-compose", L{QStringLiteral("database")}, "alice"},
        {"payments-api", "dev", "REDIS_URL", "redis://localhost:6379/0", "", L{QStringLiteral("cache")}, "alice"},
        {"payments-api", "dev", "STRIPE_SECRET_KEY", "sk_test_51HxDevKeyDoNotUseInProd", "Stripe test mode",
         L{QStringLiteral("stripe"), QStringLiteral("test-mode")}, "bob"},
        {"payments-api", "staging", "DATABASE_URL", "postgres://payments:stg@db.staging.internal:5432/payments",
         "Staging RDS instance", L{QStringLiteral("database")}, "alice"},
        {"payments-api", "staging", "STRIPE_SECRET_KEY", "sk_test_51HxStagingKey", "Stripe test mode",
         L{QStringLiteral("stripe"), QStringLiteral("test-mode")}, "bob"},
        {"payments-api", "staging", "STRIPE_WEBHOOK_SECRET", "whsec_staging1234567890", "Endpoint /hooks/stripe",
         L{QStringLiteral("stripe")}, "bob"},
        {"payments-api", "prod", "DATABASE_URL", "postgres://payments:prodpass@db.prod.internal:5432/payments",
         "Primary RDS cluster; rotate every 90 days", L{QStringLiteral("database"), QStringLiteral("pci")}, "alice"},
        {"payments-api", "prod", "JWT_SIGNING_KEY", "3q2+7w==", "Signs customer session tokens (HS256)",
         L{QStringLiteral("auth")}, "alice"},
        {"payments-api", "prod", "SENTRY_DSN", "https://abc123@o1.ingest.sentry.io/42", "",
         L{QStringLiteral("monitoring")}, "carol"},
        {"payments-api", "prod", "STRIPE_SECRET_KEY", "sk_live_51HxLiveKey", "Live key: rotate in the Stripe dashboard",
         L{QStringLiteral("stripe"), QStringLiteral("pci")}, "bob"},
        {"payments-api", "prod", "STRIPE_WEBHOOK_SECRET", "whsec_live0987654321", "Endpoint /hooks/stripe",
         L{QStringLiteral("stripe"), QStringLiteral("pci")}, "bob"},
        {"web-frontend", "dev", "SESSION_SECRET", "dev-session-secret", "", L{QStringLiteral("auth")}, "carol"},
        {"web-frontend", "staging", "ALGOLIA_ADMIN_KEY", "algolia-staging-admin", "Search indexing",
         L{QStringLiteral("search")}, "carol"},
        {"web-frontend", "staging", "SESSION_SECRET", "staging-session-secret", "", L{QStringLiteral("auth")}, "carol"},
        {"web-frontend", "prod", "ALGOLIA_ADMIN_KEY", "algolia-prod-admin", "Search indexing; read-only key in CDN",
         L{QStringLiteral("search")}, "carol"},
        {"web-frontend", "prod", "SESSION_SECRET", "prod-session-secret-rotated", "Rotated after the March incident",
         L{QStringLiteral("auth")}, "alice"},
    };
}

} // namespace

model::Result<void> fillSampleVault(model::Vault& vault) {
    model::Store store(vault, QStringLiteral("alice"));
    for (const char* projectName : {"payments-api", "web-frontend"}) {
        auto project = store.addProject(QString::fromUtf8(projectName));
        if (!project) {
            return std::unexpected(project.error());
        }
        for (const char* environmentName : {"dev", "staging", "prod"}) {
            if (auto environment = store.addEnvironment(project->id, QString::fromUtf8(environmentName));
                !environment) {
                return std::unexpected(environment.error());
            }
        }
    }
    for (const auto& secret : sampleSecrets()) {
        auto project = store.project(QString::fromUtf8(secret.project));
        if (!project) {
            return std::unexpected(project.error());
        }
        auto environment = store.environment(project->id, QString::fromUtf8(secret.environment));
        if (!environment) {
            return std::unexpected(environment.error());
        }
        model::SecretEdit edit;
        edit.note = QString::fromUtf8(secret.note);
        edit.tags = secret.tags;
        // Authors differ per secret: one Store per author over the same vault.
        model::Store byAuthor(vault, QString::fromUtf8(secret.author));
        auto set = byAuthor.setSecret(environment->id, QString::fromUtf8(secret.name), bytesOf(secret.value), edit);
        if (!set) {
            return std::unexpected(set.error());
        }
    }
    // History: the production database password was rotated twice.
    auto project = store.project(QStringLiteral("payments-api"));
    if (!project) {
        return std::unexpected(project.error());
    }
    auto prod = store.environment(project->id, QStringLiteral("prod"));
    if (!prod) {
        return std::unexpected(prod.error());
    }
    for (std::string_view value : {"postgres://payments:rotated1@db.prod.internal:5432/payments",
                                   "postgres://payments:rotated2@db.prod.internal:5432/payments"}) {
        if (auto set = store.setSecret(prod->id, QStringLiteral("DATABASE_URL"), bytesOf(value)); !set) {
            return std::unexpected(set.error());
        }
    }
    return {};
}

model::Result<void> createSampleVault(const QString& path, std::string_view password) {
    auto vault = model::Vault::create(path, bytesOf(password), model::KdfCost::minimum());
    if (!vault) {
        return std::unexpected(vault.error());
    }
    auto filled = fillSampleVault(*vault);
    vault->lock();
    return filled;
}

} // namespace coffer::test
