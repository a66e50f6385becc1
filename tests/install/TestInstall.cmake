# SPDX-License-Identifier: Apache-2.0
# Installs the build into WORK_DIR (as a package would, prefix /usr) and checks what a user gets:
# the binaries run from there and print project(VERSION), and the desktop data passes its validators.
cmake_minimum_required(VERSION 3.25)

function(check condition message)
    if(NOT ${condition})
        message(FATAL_ERROR "TestInstall: ${message}")
    endif()
endfunction()

# Runs a command; fails unless it exits 0. Its stdout goes to OUT_VAR.
function(run out_var)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        string(REPLACE ";" " " command "${ARGN}")
        message(FATAL_ERROR "TestInstall: `${command}` exited ${rc}\nstdout: ${out}\nstderr: ${err}")
    endif()
    set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

foreach(tool DESKTOP_FILE_VALIDATE APPSTREAMCLI UPDATE_MIME_DATABASE)
    check("${tool}" "${tool} was not found when configuring: run scripts/deps.sh test, then cmake again")
endforeach()

file(REMOVE_RECURSE ${WORK_DIR})
set(ENV{DESTDIR} ${WORK_DIR})
run(ignored ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix /usr)
set(root ${WORK_DIR}/usr)

# What every package has: the CLI, its man page (gzip'd), bash completion and the copyright file.
foreach(file bin/coffer-cli share/man/man1/coffer-cli.1.gz share/bash-completion/completions/coffer-cli
        share/doc/coffer/copyright share/doc/coffer/changelog.gz)
    check("EXISTS;${root}/${file}" "${file} is not installed")
endforeach()
run(out ${root}/bin/coffer-cli --version)
check("out;STREQUAL;coffer-cli ${VERSION}\n" "installed coffer-cli --version printed '${out}', not 'coffer-cli ${VERSION}'")

# The man pages are gzip'd roff with the right NAME line (what man-db and apropos read).
run(page gzip -dc ${root}/share/man/man1/coffer-cli.1.gz)
check("page;MATCHES;\n[.]SH NAME\ncoffer-cli \\\\- " "coffer-cli(1) has no NAME line: ${page}")

run(ignored bash -n ${root}/share/bash-completion/completions/coffer-cli)

if(NOT GUI)
    return()
endif()

set(desktop ${root}/share/applications/coffer.desktop)
set(metainfo ${root}/share/metainfo/io.coffer.Coffer.metainfo.xml)
foreach(file bin/coffer share/man/man1/coffer.1.gz share/applications/coffer.desktop share/metainfo/io.coffer.Coffer.metainfo.xml
        share/mime/packages/coffer.xml share/icons/hicolor/scalable/apps/coffer.svg
        share/icons/hicolor/48x48/apps/coffer.png share/icons/hicolor/128x128/apps/coffer.png
        share/icons/hicolor/256x256/apps/coffer.png)
    check("EXISTS;${root}/${file}" "${file} is not installed")
endforeach()

run(out ${root}/bin/coffer --version)
check("out;STREQUAL;Coffer ${VERSION}\n" "installed coffer --version printed '${out}', not 'Coffer ${VERSION}'")

run(page gzip -dc ${root}/share/man/man1/coffer.1.gz)
check("page;MATCHES;\n[.]SH NAME\ncoffer \\\\- " "coffer(1) has no NAME line: ${page}")

run(out ${DESKTOP_FILE_VALIDATE} ${desktop})
if(NOT out STREQUAL "")
    message(FATAL_ERROR "TestInstall: desktop-file-validate warned: ${out}")
endif()
file(READ ${desktop} entry)
check("entry;MATCHES;\nExec=coffer %f\n" "the desktop entry does not run 'coffer %f': ${entry}")
check("entry;MATCHES;\nMimeType=application/x-coffer-vault[;]\n" "the desktop entry does not open vaults: ${entry}")

run(out ${APPSTREAMCLI} validate --no-net --pedantic ${metainfo})
file(READ ${metainfo} xml)
check("xml;MATCHES;<release version=\"${VERSION}\"" "the metainfo's release is not ${VERSION}")

# update-mime-database compiles the XML the way the system trigger will; *.coffer must map to our type.
file(COPY ${root}/share/mime/packages DESTINATION ${WORK_DIR}/mime)
run(out ${UPDATE_MIME_DATABASE} -V ${WORK_DIR}/mime)
file(STRINGS ${WORK_DIR}/mime/globs2 globs REGEX "x-coffer-vault")
check("globs;MATCHES;application/x-coffer-vault:\\*\\.coffer" "*.coffer is not in the compiled globs: '${globs}'")

file(REMOVE_RECURSE ${WORK_DIR})
