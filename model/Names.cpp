// SPDX-License-Identifier: Apache-2.0
#include "model/Names.h"

namespace coffer::model {
namespace {

constexpr qsizetype kMaxSecretNameLength = 255;
constexpr qsizetype kMaxScopeNameLength = 64;

// ASCII only: QChar::isLetter() would accept letters that no shell accepts in a variable name.
bool isAsciiLetter(QChar c) {
    return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z');
}

bool isAsciiDigit(QChar c) {
    return c >= u'0' && c <= u'9';
}

// Quotes a name for an error detail; long names are shortened so a message stays readable.
QString quoted(const QString& name) {
    constexpr qsizetype kShown = 40;
    const QString shown = name.size() > kShown ? name.left(kShown) + QStringLiteral("…") : name;
    return QStringLiteral("\u201C%1\u201D").arg(shown);
}

QString describe(QChar c) {
    if (c.isPrint() && !c.isSpace()) {
        return QStringLiteral("\u201C%1\u201D").arg(c);
    }
    return QStringLiteral("U+%1").arg(QString::number(c.unicode(), 16).toUpper().rightJustified(4, u'0'));
}

} // namespace

Result<void> checkSecretName(const QString& name) {
    if (name.isEmpty()) {
        return fail(ErrorCode::InvalidName, QStringLiteral("a secret name cannot be empty"));
    }
    if (name.size() > kMaxSecretNameLength) {
        return fail(ErrorCode::InvalidName, QStringLiteral("a secret name has at most %1 characters, this one has %2")
                                                .arg(kMaxSecretNameLength)
                                                .arg(name.size()));
    }
    if (!isAsciiLetter(name.front()) && name.front() != u'_') {
        return fail(ErrorCode::InvalidName,
                    QStringLiteral("%1 must start with an ASCII letter or '_', like an environment variable")
                        .arg(quoted(name)));
    }
    for (const QChar c : name) {
        if (!isAsciiLetter(c) && !isAsciiDigit(c) && c != u'_') {
            return fail(ErrorCode::InvalidName, QStringLiteral("%1 contains %2; use only ASCII letters, digits and '_'")
                                                    .arg(quoted(name), describe(c)));
        }
    }
    return {};
}

Result<void> checkScopeName(const QString& name) {
    if (name.isEmpty()) {
        return fail(ErrorCode::InvalidName, QStringLiteral("a project or environment name cannot be empty"));
    }
    if (name.size() > kMaxScopeNameLength) {
        return fail(ErrorCode::InvalidName,
                    QStringLiteral("a project or environment name has at most %1 characters, this one has %2")
                        .arg(kMaxScopeNameLength)
                        .arg(name.size()));
    }
    if (!isAsciiLetter(name.front()) && !isAsciiDigit(name.front())) {
        return fail(ErrorCode::InvalidName,
                    QStringLiteral("%1 must start with an ASCII letter or a digit").arg(quoted(name)));
    }
    for (const QChar c : name) {
        if (!isAsciiLetter(c) && !isAsciiDigit(c) && c != u'-' && c != u'_' && c != u'.') {
            return fail(ErrorCode::InvalidName,
                        QStringLiteral("%1 contains %2; use only ASCII letters, digits, '-', '_' and '.'")
                            .arg(quoted(name), describe(c)));
        }
    }
    return {};
}

bool isProtectedByDefault(const QString& environmentName) {
    const QString name = environmentName.toLower();
    return name == QLatin1String("prod") || name == QLatin1String("production") || name == QLatin1String("prd") ||
           name == QLatin1String("live") || name.startsWith(QLatin1String("prod-")) ||
           name.startsWith(QLatin1String("production-"));
}

} // namespace coffer::model
