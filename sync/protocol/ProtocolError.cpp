// SPDX-License-Identifier: Apache-2.0
// Placeholder: implemented by the protocol work (issue 5).
