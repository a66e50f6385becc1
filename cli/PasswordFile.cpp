// SPDX-License-Identifier: Apache-2.0
#include "cli/PasswordFile.h"

#include "cli/Terminal.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <span>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::cli {

namespace {

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) noexcept
        : m_fd(fd) {}
    ~FileDescriptor() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    [[nodiscard]] int get() const noexcept { return m_fd; }

private:
    int m_fd;
};

} // namespace

Outcome<crypto::SecureBuffer> readPasswordFile(const QString& path) {
    const QByteArray native = QFile::encodeName(path);
    const FileDescriptor fd(::open(native.constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (fd.get() < 0) {
        return fail(ExitCode::Failed,
                    u"cannot open the password file %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    }
    struct stat status {};
    if (::fstat(fd.get(), &status) != 0) {
        return fail(ExitCode::Failed, u"cannot inspect the password file %1: %2"_s.arg(
                                          path, QString::fromLocal8Bit(std::strerror(errno))));
    }
    // Pipes are allowed too, for --password-file <(pass show vault).
    if (!S_ISREG(status.st_mode) && !S_ISFIFO(status.st_mode)) {
        return fail(ExitCode::Failed, u"the password file %1 is not a regular file"_s.arg(path));
    }
    constexpr mode_t kOthersMayTouch = S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH;
    if ((status.st_mode & kOthersMayTouch) != 0) {
        return fail(ExitCode::Failed,
                    u"refusing the password file %1: group or others may read or write it (mode %2); make it "
                    u"owner-only with: chmod 600 %1"_s.arg(
                        path, QString::number(status.st_mode & 07777, 8).rightJustified(4, u'0')));
    }
    auto content = readAll(fd.get(), kMaxPasswordBytes + 2, u"the password file %1"_s.arg(path));
    if (!content) {
        return content;
    }
    std::size_t size = content->size();
    if (size > 0 && content->data()[size - 1] == std::byte{'\n'}) {
        --size;
    }
    if (size > kMaxPasswordBytes) {
        return fail(ExitCode::Failed,
                    u"the password file %1 holds more than %2 bytes"_s.arg(path).arg(kMaxPasswordBytes));
    }
    if (size == content->size()) {
        return content;
    }
    return crypto::SecureBuffer::copyOf(std::span<const std::byte>(content->data(), size));
}

} // namespace coffer::cli
