// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

namespace coffer::server {

/// coffer-server's whole command line (serve, team-code, migrate, --version, --help), so that its
/// main() only starts libsodium and calls this. Exit status: 0 success, 1 runtime failure, 2 bad
/// usage or config.
[[nodiscard]] int runCommand(int argc, char** argv, std::string_view version);

} // namespace coffer::server
