# SPDX-License-Identifier: Apache-2.0
# Builds the packages the way a release does (`cmake --build BUILD --target package`: the .debs and the
# tarball), unpacks each .deb into a throwaway root with dpkg-deb and checks it as TestInstall checks an
# install (InstallChecks.cmake), then runs lintian on each .deb: no error (E:) allowed. The tarball must hold
# exactly the files of the .debs together.
cmake_minimum_required(VERSION 3.25)
set(TEST TestPackage)
include(${CMAKE_CURRENT_LIST_DIR}/InstallChecks.cmake)

require_tools(DPKG_DEB LINTIAN ZSH FISH)
if(GUI)
    require_tools(DESKTOP_FILE_VALIDATE APPSTREAMCLI UPDATE_MIME_DATABASE)
endif()
if(SERVER)
    require_tools(SYSTEMD_ANALYZE)
endif()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
# The packages are written into the build tree (as they are for a release); old ones go first, so that
# what is checked is what this build made.
file(GLOB old ${BUILD_DIR}/coffer*_*.deb ${BUILD_DIR}/coffer-*-Linux.tar.gz)
if(old)
    file(REMOVE ${old})
endif()
run(ignored ${CMAKE_COMMAND} --build ${BUILD_DIR} --target package)

execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE arch OUTPUT_STRIP_TRAILING_WHITESPACE)
set(packages coffer)
if(SERVER)
    list(APPEND packages coffer-server)
endif()
set(root ${WORK_DIR}/root)
set(deb_files)
foreach(package IN LISTS packages)
    set(deb ${BUILD_DIR}/${package}_${VERSION}_${arch}.deb)
    check("EXISTS;${deb}" "the package target made no ${package}_${VERSION}_${arch}.deb")
    run(ignored ${DPKG_DEB} -x ${deb} ${root})
    run(listing ${DPKG_DEB} -c ${deb})
    string(REGEX MATCHALL "[^\n]*\n" lines "${listing}")
    foreach(line IN LISTS lines)
        if(line MATCHES "^-[^ ]+ [^ ]+ +[0-9]+ [^ ]+ [^ ]+ [.]/([^\n]*)\n$")
            list(APPEND deb_files ${CMAKE_MATCH_1})
        endif()
    endforeach()

    run(control ${DPKG_DEB} -f ${deb} Package Version Section Depends)
    check("control;MATCHES;Package: ${package}\nVersion: ${VERSION}\n" "${package}'s control fields: ${control}")
    # shlibdeps computed the libraries' packages.
    check("control;MATCHES;Depends: [^\n]*libc6" "${package} has no computed Depends: ${control}")

    # lintian: errors fail, warnings are listed in installer/README.md.
    execute_process(COMMAND ${LINTIAN} --fail-on error --tag-display-limit 0 ${deb}
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    message(STATUS "lintian ${package}:\n${out}${err}")
    check("rc;EQUAL;0" "lintian exited ${rc} on ${package}:\n${out}${err}")
    refuse("out;MATCHES;(^|\n)E: " "lintian reports errors on ${package}:\n${out}")
    refuse("err;MATCHES;(^|\n)E: " "lintian reports errors on ${package}:\n${err}")
endforeach()

check_cli_root(${root} ${VERSION})
if(GUI)
    check_gui_root(${root} ${VERSION})
endif()
if(SERVER)
    check_server_root(${root} ${VERSION})
    set(deb ${BUILD_DIR}/coffer-server_${VERSION}_${arch}.deb)
    set(control_dir ${WORK_DIR}/control)
    run(ignored ${DPKG_DEB} -e ${deb} ${control_dir})
    file(READ ${control_dir}/conffiles conffiles)
    check("conffiles;STREQUAL;/etc/coffer-server/coffer-server.conf\n" "coffer-server's conffiles: ${conffiles}")
    foreach(script postinst prerm postrm)
        check("EXISTS;${control_dir}/${script}" "coffer-server has no ${script}")
        run(ignored sh -n ${control_dir}/${script})
    endforeach()
endif()

# The tarball: every component, unpacked at / (usr/... at its top), the same files as the .debs.
set(tarball ${BUILD_DIR}/coffer-${VERSION}-Linux.tar.gz)
check("EXISTS;${tarball}" "the package target made no coffer-${VERSION}-Linux.tar.gz")
run(tar_listing tar -tzf ${tarball})
string(REGEX MATCHALL "[^\n]+" tar_entries "${tar_listing}")
set(tar_files)
foreach(entry IN LISTS tar_entries)
    string(REGEX REPLACE "^[.]/" "" entry "${entry}")
    if(NOT entry MATCHES "/$")
        list(APPEND tar_files ${entry})
    endif()
endforeach()
list(SORT tar_files)
list(SORT deb_files)
check("tar_files;STREQUAL;deb_files" "the tarball and the .debs differ:\ntarball: ${tar_files}\ndebs: ${deb_files}")

file(REMOVE_RECURSE ${WORK_DIR})
