# SPDX-License-Identifier: Apache-2.0
# Read by cpack for each generator (CPACK_PROJECT_CONFIG_FILE).
# DEB: each package's synopsis is the first line of its own CPACK_DEBIAN_<COMPONENT>_DESCRIPTION; without
# this, CPackDeb would put the project's summary above it, so coffer-server would read "Desktop secret vault".
if(CPACK_GENERATOR STREQUAL "DEB")
    unset(CPACK_PACKAGE_DESCRIPTION_SUMMARY)
endif()
