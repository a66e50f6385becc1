// SPDX-License-Identifier: Apache-2.0
// Placeholder: implemented by the storage work (issue 5).
