// SPDX-License-Identifier: Apache-2.0
#include "sync/ServerClient.h"

// Placeholder: implemented on the team-sync branches.
