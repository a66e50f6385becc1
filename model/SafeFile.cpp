// SPDX-License-Identifier: Apache-2.0
#include "model/SafeFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::model {

namespace {

/// Owns a file descriptor; closes it once.
class Descriptor {
public:
    explicit Descriptor(int fd = -1) noexcept
        : m_fd(fd) {}
    Descriptor(Descriptor&& other) noexcept
        : m_fd(std::exchange(other.m_fd, -1)) {}
    Descriptor& operator=(Descriptor&& other) noexcept {
        std::swap(m_fd, other.m_fd);
        return *this;
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor() { reset(); }

    [[nodiscard]] int get() const noexcept { return m_fd; }
    /// Closes now and reports whether close() succeeded (a failed close can mean lost data on NFS).
    bool reset() noexcept {
        const int fd = std::exchange(m_fd, -1);
        return fd < 0 || ::close(fd) == 0;
    }

private:
    int m_fd;
};

QString systemText(int error) {
    return QString::fromLocal8Bit(std::strerror(error));
}

Error osError(int error, const QString& what) {
    ErrorCode code = ErrorCode::Io;
    if (error == EACCES || error == EPERM || error == EROFS) {
        code = ErrorCode::PermissionDenied;
    } else if (error == ENOENT || error == ENOTDIR) {
        code = ErrorCode::FileMissing;
    }
    return Error{code, u"%1: %2"_s.arg(what, systemText(error))};
}

bool isPlainName(const QString& name) {
    return !name.isEmpty() && name != u"."_s && name != u".."_s && !name.contains(u'/') && !name.contains(QChar(0));
}

/// The folder resolved once (realpath) and opened: every later step is relative to this descriptor, so
/// renaming or re-linking a path component meanwhile cannot move the file somewhere else.
Result<Descriptor> openFolder(const QString& folder) {
    const QByteArray native = QFile::encodeName(folder.isEmpty() ? u"."_s : folder);
    char* resolved = ::realpath(native.constData(), nullptr);
    if (resolved == nullptr) {
        return std::unexpected(osError(errno, u"cannot use the folder %1"_s.arg(folder)));
    }
    const int fd = ::open(resolved, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    const int error = errno;
    std::free(resolved); // NOLINT(cppcoreguidelines-no-malloc): realpath() allocates with malloc
    if (fd < 0) {
        return std::unexpected(osError(error, u"cannot open the folder %1"_s.arg(folder)));
    }
    return Descriptor(fd);
}

/// A missing target is fine; a symlink or anything but a regular file is refused.
Result<void> checkTarget(int folderFd, const QByteArray& name, const QString& shown) {
    struct stat status {};
    if (::fstatat(folderFd, name.constData(), &status, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) {
            return {};
        }
        return std::unexpected(osError(errno, u"cannot inspect %1"_s.arg(shown)));
    }
    if (S_ISLNK(status.st_mode)) {
        return fail(ErrorCode::PermissionDenied,
                    u"%1 is a symbolic link; Coffer never writes secrets through one (remove the link or choose "
                    u"another file)"_s.arg(shown));
    }
    if (!S_ISREG(status.st_mode)) {
        return fail(ErrorCode::PermissionDenied,
                    u"%1 is not a regular file (a folder, FIFO, device or socket); choose a file path"_s.arg(shown));
    }
    return {};
}

/// Leftovers of a writer that was killed (or lost power) between creating its temporary file and the
/// rename. Only our own regular files with the target's prefix are removed. Two writers racing on one
/// target may remove each other's file: the loser's rename then fails cleanly, the target stays whole.
void removeLeftovers(int folderFd, const QByteArray& prefix) {
    const int copy = ::dup(folderFd);
    if (copy < 0) {
        return;
    }
    DIR* dir = ::fdopendir(copy);
    if (dir == nullptr) {
        ::close(copy);
        return;
    }
    ::rewinddir(dir);
    while (const dirent* entry = ::readdir(dir)) {
        if (std::strncmp(entry->d_name, prefix.constData(), static_cast<std::size_t>(prefix.size())) != 0) {
            continue;
        }
        struct stat status {};
        if (::fstatat(folderFd, entry->d_name, &status, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(status.st_mode) &&
            status.st_uid == ::geteuid()) {
            ::unlinkat(folderFd, entry->d_name, 0);
        }
    }
    ::closedir(dir);
}

Result<std::pair<Descriptor, QByteArray>> createTemporary(int folderFd, const QByteArray& prefix) {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int attempt = 0; attempt < 100; ++attempt) {
        QByteArray name = prefix;
        for (int i = 0; i < 6; ++i) {
            name += kAlphabet[QRandomGenerator::system()->bounded(static_cast<int>(sizeof(kAlphabet) - 1))];
        }
        const int fd = ::openat(folderFd, name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                                S_IRUSR | S_IWUSR);
        if (fd >= 0) {
            return std::pair{Descriptor(fd), name};
        }
        if (errno != EEXIST) {
            return std::unexpected(osError(errno, u"cannot create a temporary file"_s));
        }
    }
    return fail(ErrorCode::Io, u"cannot create a temporary file: too many name collisions"_s);
}

/// Writes into the already created temporary file and renames it over the target.
Result<void> fillAndRename(int folderFd, Descriptor& file, const QByteArray& temporary, const QByteArray& name,
                           std::span<const std::byte> bytes, const QString& shown) {
    // O_CREAT's mode is filtered by the umask; this makes owner-only exact whatever the umask.
    if (::fchmod(file.get(), S_IRUSR | S_IWUSR) != 0 || !writeAll(file.get(), bytes) || ::fsync(file.get()) != 0) {
        return std::unexpected(osError(errno, u"cannot write %1"_s.arg(shown)));
    }
    struct stat written {};
    if (::fstat(file.get(), &written) != 0) {
        return std::unexpected(osError(errno, u"cannot inspect %1"_s.arg(shown)));
    }
    if (!file.reset()) {
        return std::unexpected(osError(errno, u"cannot write %1"_s.arg(shown)));
    }
    // Checked again right before the rename: the first check may be minutes old (a password prompt).
    if (auto target = checkTarget(folderFd, name, shown); !target) {
        return target;
    }
    if (::renameat(folderFd, temporary.constData(), folderFd, name.constData()) != 0) {
        return std::unexpected(osError(errno, u"cannot replace %1"_s.arg(shown)));
    }
    if (::fsync(folderFd) != 0) {
        return std::unexpected(osError(errno, u"cannot flush the folder of %1"_s.arg(shown)));
    }
    // The name in the folder must now be the very file we wrote.
    struct stat landed {};
    if (::fstatat(folderFd, name.constData(), &landed, AT_SYMLINK_NOFOLLOW) != 0 || landed.st_ino != written.st_ino ||
        landed.st_dev != written.st_dev) {
        return fail(ErrorCode::Io, u"%1 was replaced by something else while it was written"_s.arg(shown));
    }
    return {};
}

} // namespace

QString temporaryPrefix(const QString& fileName) {
    return u"."_s + fileName + u".coffer-tmp-"_s;
}

Result<void> writeFileAtomically(const QString& folder, const QString& fileName, std::span<const std::byte> bytes) {
    const QString shown = QDir::cleanPath(folder + u'/' + fileName);
    if (!isPlainName(fileName)) {
        return fail(ErrorCode::InvalidName, u"'%1' is not a file name inside the chosen folder"_s.arg(fileName));
    }
    auto dir = openFolder(folder);
    if (!dir) {
        return std::unexpected(dir.error());
    }
    const QByteArray name = QFile::encodeName(fileName);
    if (auto target = checkTarget(dir->get(), name, shown); !target) {
        return target;
    }
    const QByteArray prefix = QFile::encodeName(temporaryPrefix(fileName));
    removeLeftovers(dir->get(), prefix);
    auto temporary = createTemporary(dir->get(), prefix);
    if (!temporary) {
        return std::unexpected(temporary.error());
    }
    auto written = fillAndRename(dir->get(), temporary->first, temporary->second, name, bytes, shown);
    if (!written) {
        ::unlinkat(dir->get(), temporary->second.constData(), 0);
    }
    return written;
}

Result<void> writeFileAtomically(const QString& path, std::span<const std::byte> bytes) {
    const QFileInfo info(path);
    return writeFileAtomically(info.path(), info.fileName(), bytes);
}

Result<void> checkWritableTarget(const QString& path) {
    const QFileInfo info(path);
    if (!isPlainName(info.fileName())) {
        return fail(ErrorCode::InvalidName, u"'%1' does not name a file"_s.arg(path));
    }
    auto dir = openFolder(info.path());
    if (!dir) {
        return std::unexpected(dir.error());
    }
    return checkTarget(dir->get(), QFile::encodeName(info.fileName()), path);
}

Result<std::optional<crypto::SecureBuffer>> readRegularFile(const QString& path, std::size_t maxBytes) {
    const QFileInfo info(path);
    if (!isPlainName(info.fileName())) {
        return fail(ErrorCode::InvalidName, u"'%1' does not name a file"_s.arg(path));
    }
    auto dir = openFolder(info.path());
    if (!dir) {
        return std::unexpected(dir.error());
    }
    const QByteArray name = QFile::encodeName(info.fileName());
    struct stat status {};
    if (::fstatat(dir->get(), name.constData(), &status, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT) {
        return std::optional<crypto::SecureBuffer>{};
    }
    if (auto target = checkTarget(dir->get(), name, path); !target) {
        return std::unexpected(target.error());
    }
    // O_NONBLOCK: should a FIFO appear after the check, opening it must not hang.
    const Descriptor file(::openat(dir->get(), name.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (file.get() < 0 || ::fstat(file.get(), &status) != 0) {
        return std::unexpected(osError(errno, u"cannot read %1"_s.arg(path)));
    }
    if (!S_ISREG(status.st_mode)) {
        return fail(ErrorCode::PermissionDenied, u"%1 is not a regular file"_s.arg(path));
    }
    if (static_cast<std::size_t>(status.st_size) > maxBytes) {
        return fail(ErrorCode::TooLarge, u"%1 is larger than %2 bytes"_s.arg(path).arg(maxBytes));
    }
    crypto::SecureBuffer content(static_cast<std::size_t>(status.st_size));
    std::size_t done = 0;
    while (done < content.size()) {
        const auto got = ::read(file.get(), content.data() + done, content.size() - done);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return std::unexpected(osError(errno, u"cannot read %1"_s.arg(path)));
        }
        if (got == 0) {
            break; // shrank meanwhile: keep what is there
        }
        done += static_cast<std::size_t>(got);
    }
    if (done < content.size()) {
        return std::optional<crypto::SecureBuffer>(
            crypto::SecureBuffer::copyOf(std::span<const std::byte>(content.data(), done)));
    }
    return std::optional<crypto::SecureBuffer>(std::move(content));
}

bool writeAll(int fd, std::span<const std::byte> bytes) {
    while (!bytes.empty()) {
        const auto written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            return false;
        }
        bytes = bytes.subspan(static_cast<std::size_t>(written));
    }
    return true;
}

} // namespace coffer::model
