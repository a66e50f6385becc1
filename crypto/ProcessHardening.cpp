// SPDX-License-Identifier: Apache-2.0
#include "crypto/ProcessHardening.h"

#include <sys/prctl.h>
#include <sys/resource.h>

namespace coffer::crypto {

Result<void> hardenProcess() noexcept {
    // Both soft and hard limit: a soft limit alone could be raised again by the process or a child.
    const rlimit noCore{0, 0};
    if (setrlimit(RLIMIT_CORE, &noCore) != 0) {
        return std::unexpected(Error::Failed);
    }
    // Non-dumpable also makes /proc/<pid>/mem and ptrace(ATTACH) unavailable to same-user processes
    // without CAP_SYS_PTRACE.
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        return std::unexpected(Error::Failed);
    }
    return {};
}

} // namespace coffer::crypto
