# SPDX-License-Identifier: Apache-2.0
# Installs the build into WORK_DIR (as a package would, prefix /usr) and checks what a user gets:
# the binaries run from there and print project(VERSION), the desktop data passes its validators, the
# completions parse, and the server's unit passes systemd-analyze (InstallChecks.cmake).
cmake_minimum_required(VERSION 3.25)
set(TEST TestInstall)
include(${CMAKE_CURRENT_LIST_DIR}/InstallChecks.cmake)

require_tools(ZSH FISH)
if(GUI)
    require_tools(DESKTOP_FILE_VALIDATE APPSTREAMCLI UPDATE_MIME_DATABASE)
endif()
if(SERVER)
    require_tools(SYSTEMD_ANALYZE)
endif()

file(REMOVE_RECURSE ${WORK_DIR})
set(root ${WORK_DIR}/root)
set(ENV{DESTDIR} ${root})
run(ignored ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix /usr)

check_cli_root(${root} ${VERSION})
if(GUI)
    check_gui_root(${root} ${VERSION})
endif()
if(SERVER)
    check_server_root(${root} ${VERSION})
endif()

file(REMOVE_RECURSE ${WORK_DIR})
