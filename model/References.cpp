// SPDX-License-Identifier: Apache-2.0
// ${NAME}, ${ENV.NAME} and ${PROJECT/ENV/NAME} inside secret values, resolved recursively.
#include "model/References.h"

#include "model/Names.h"
#include "model/Store.h"

#include <QStringList>

#include <algorithm>
#include <string>
#include <vector>

using namespace Qt::StringLiterals;

namespace coffer::model {

namespace {

// Deep chains are legitimate only up to a point; past it something is wrong (and the stack is finite).
constexpr int kMaxDepth = 32;

/// Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool isUtf8(std::span<const std::byte> bytes) {
    std::size_t i = 0;
    while (i < bytes.size()) {
        const auto lead = static_cast<unsigned char>(bytes[i]);
        std::size_t length = 1;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (lead < 0x80) {
            ++i;
            continue;
        }
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            low = lead == 0xE0 ? 0xA0 : 0x80;
            high = lead == 0xED ? 0x9F : 0xBF;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            low = lead == 0xF0 ? 0x90 : 0x80;
            high = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            return false;
        }
        if (i + length > bytes.size()) {
            return false;
        }
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(bytes[i + k]);
            if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) {
                return false;
            }
        }
        i += length;
    }
    return true;
}

/// Whether `text` could be shown in a message: only the characters a reference is made of. Anything else
/// may be part of a secret that merely happens to contain "${".
bool isShowable(const QString& text) {
    constexpr qsizetype kMaxShown = 200;
    return text.size() <= kMaxShown && std::all_of(text.cbegin(), text.cend(), [](QChar c) {
               return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_' ||
                      c == u'.' || c == u'-' || c == u'/';
           });
}

struct Scope {
    std::int64_t environmentId = 0;
    QString project;
    QString environment;
};

/// One resolution: the chain of secrets being expanded (for cycles) and the scopes seen so far.
class Resolver {
public:
    explicit Resolver(Store& store)
        : m_store(store) {}

    Result<Scope> scopeOf(std::int64_t environmentId) {
        auto projects = m_store.projects();
        if (!projects) {
            return std::unexpected(projects.error());
        }
        for (const auto& project : *projects) {
            auto environments = m_store.environments(project.id);
            if (!environments) {
                return std::unexpected(environments.error());
            }
            for (const auto& environment : *environments) {
                if (environment.id == environmentId) {
                    return Scope{environment.id, project.name, environment.name};
                }
            }
        }
        return fail(ErrorCode::NotFound, u"environment %1"_s.arg(environmentId));
    }

    /// Appends the resolved form of `value`, read in `scope`, to `out`.
    Result<void> expand(const Scope& scope, std::span<const std::byte> value, std::string& out) {
        const auto* text = reinterpret_cast<const char*>(value.data());
        const std::size_t size = value.size();
        std::size_t i = 0;
        while (i < size) {
            const char c = text[i];
            if (c == '$' && i + 2 < size && text[i + 1] == '$' && text[i + 2] == '{') {
                out += "${";
                i += 3;
                continue;
            }
            if (c != '$' || i + 1 >= size || text[i + 1] != '{') {
                out += c;
                ++i;
                continue;
            }
            const auto* begin = text + i + 2;
            const auto* end = std::find(begin, text + size, '}');
            if (end == text + size) {
                return fail(ErrorCode::InvalidName, u"a reference \"${\" without its closing \"}\"%1"_s.arg(where()));
            }
            const QString reference = QString::fromUtf8(begin, end - begin);
            if (auto appended = append(scope, reference, out); !appended) {
                return appended;
            }
            if (out.size() > kMaxValueBytes) {
                return fail(ErrorCode::TooLarge, u"the value with its references resolved%1"_s.arg(where()));
            }
            i = static_cast<std::size_t>(end - text) + 1;
        }
        return {};
    }

private:
    /// " in web/dev/A" for a message, naming the secret whose value holds the reference.
    QString where() const { return m_chain.isEmpty() ? QString() : u" in %1"_s.arg(m_chain.constLast()); }

    Result<void> append(const Scope& scope, const QString& reference, std::string& out) {
        auto target = parse(scope, reference);
        if (!target) {
            return std::unexpected(target.error());
        }
        const QString path = target->project + u'/' + target->environment + u'/' + target->secret;
        if (m_chain.contains(path)) {
            QStringList cycle = m_chain.mid(m_chain.indexOf(path));
            cycle << path;
            return fail(ErrorCode::ReferenceCycle, cycle.join(u" -> "_s));
        }
        if (m_chain.size() >= kMaxDepth) {
            return fail(ErrorCode::ReferenceCycle,
                        u"more than %1 nested references: %2"_s.arg(kMaxDepth).arg(m_chain.join(u" -> "_s)));
        }
        const QString unknown = u"the reference ${%1}%2 names %3, which does not exist"_s.arg(reference, where(), path);
        auto project = m_store.project(target->project);
        if (!project) {
            return project.error().code == ErrorCode::NotFound ? fail(ErrorCode::NotFound, unknown)
                                                               : std::unexpected(project.error());
        }
        auto environment = m_store.environment(project->id, target->environment);
        if (!environment) {
            return environment.error().code == ErrorCode::NotFound ? fail(ErrorCode::NotFound, unknown)
                                                                   : std::unexpected(environment.error());
        }
        auto secret = m_store.secret(environment->id, target->secret);
        if (!secret) {
            return secret.error().code == ErrorCode::NotFound ? fail(ErrorCode::NotFound, unknown)
                                                              : std::unexpected(secret.error());
        }
        auto value = m_store.value(secret->id);
        if (!value) {
            return std::unexpected(value.error());
        }
        m_chain << path;
        auto expanded = expand(Scope{environment->id, target->project, target->environment}, value->bytes(), out);
        m_chain.removeLast();
        return expanded;
    }

    struct Target {
        QString project;
        QString environment;
        QString secret;
    };

    Result<Target> parse(const Scope& scope, const QString& reference) const {
        Target target{scope.project, scope.environment, reference};
        if (reference.contains(u'/')) {
            const QStringList parts = reference.split(u'/');
            if (parts.size() != 3) {
                return malformed(reference);
            }
            target = Target{parts.at(0), parts.at(1), parts.at(2)};
        } else if (const auto dot = reference.lastIndexOf(u'.'); dot >= 0) {
            // Environment names may hold dots, secret names never do: the last dot separates them.
            target.environment = reference.left(dot);
            target.secret = reference.mid(dot + 1);
        }
        if (!checkScopeName(target.project) || !checkScopeName(target.environment) || !checkSecretName(target.secret)) {
            return malformed(reference);
        }
        return target;
    }

    std::unexpected<Error> malformed(const QString& reference) const {
        const QString shown = isShowable(reference) ? u"${%1}"_s.arg(reference) : u"a \"${...}\""_s;
        return fail(ErrorCode::InvalidName,
                    u"%1%2 is not ${NAME}, ${ENV.NAME} or ${PROJECT/ENV/NAME} (write $${ for a literal ${)"_s.arg(
                        shown, where()));
    }

    Store& m_store;
    QStringList m_chain;
};

/// Whether `value` holds anything to resolve. Without "${" (a reference, or the "$${" escape) a value is its own
/// resolution, and most values are: finding the scope costs queries that an export of 10,000 values would pay
/// 10,000 times. References are a feature of text: in a value that is not UTF-8 (a key file, random bytes) a
/// "${" is a coincidence, and the value is used exactly as stored.
bool needsResolving(std::span<const std::byte> value) {
    const std::string_view text(reinterpret_cast<const char*>(value.data()), value.size());
    return text.find("${") != std::string_view::npos && isUtf8(value);
}

} // namespace

Result<crypto::SecureBuffer> resolveReferences(Store& store, std::int64_t environmentId, crypto::SecureBuffer&& value) {
    if (!needsResolving(value.bytes())) {
        return std::move(value);
    }
    return resolveReferences(store, environmentId, value.bytes());
}

Result<crypto::SecureBuffer> resolveReferences(Store& store, std::int64_t environmentId,
                                               std::span<const std::byte> value) {
    if (!needsResolving(value)) {
        return crypto::SecureBuffer::copyOf(value);
    }
    Resolver resolver(store);
    auto scope = resolver.scopeOf(environmentId);
    if (!scope) {
        return std::unexpected(scope.error());
    }
    std::string out;
    out.reserve(value.size());
    auto expanded = resolver.expand(*scope, value, out);
    auto result = expanded ? Result<crypto::SecureBuffer>(crypto::SecureBuffer::copyOf(std::string_view(out)))
                           : Result<crypto::SecureBuffer>(std::unexpected(expanded.error()));
    // The ordinary string held resolved secrets; it may have been reallocated on the way, which wipe()
    // cannot reach, but the final buffer at least does not outlive this call.
    crypto::wipe(out);
    return result;
}

} // namespace coffer::model
