# SPDX-License-Identifier: Apache-2.0
# What TestInstall (cmake --install into a folder) and TestPackage (the .debs unpacked into a folder) check
# in an installed tree ROOT (holding usr/, etc/, lib/). The caller sets TEST (its name, for messages), and the
# tool paths its CMakeLists.txt found.

function(check condition message)
    if(NOT ${condition})
        message(FATAL_ERROR "${TEST}: ${message}")
    endif()
endfunction()

function(refuse condition message)
    if(${condition})
        message(FATAL_ERROR "${TEST}: ${message}")
    endif()
endfunction()

# Runs a command; fails unless it exits 0. Its stdout goes to OUT_VAR (stderr to OUT_VAR_ERR).
function(run out_var)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        string(REPLACE ";" " " command "${ARGN}")
        message(FATAL_ERROR "${TEST}: `${command}` exited ${rc}\nstdout: ${out}\nstderr: ${err}")
    endif()
    set(${out_var} "${out}" PARENT_SCOPE)
    set(${out_var}_ERR "${err}" PARENT_SCOPE)
endfunction()

function(require_tools)
    foreach(tool IN LISTS ARGN)
        check("${tool}" "${tool} was not found when configuring: run scripts/deps.sh test, then cmake again")
    endforeach()
endfunction()

# The CLI: binary, version, man page, completions for the three shells, copyright and changelog.
function(check_cli_root root version)
    foreach(file usr/bin/coffer-cli usr/libexec/coffer/coffer-cli-full usr/share/man/man1/coffer-cli.1.gz usr/share/bash-completion/completions/coffer-cli
            usr/share/zsh/vendor-completions/_coffer-cli usr/share/fish/vendor_completions.d/coffer-cli.fish
            usr/share/doc/coffer/copyright usr/share/doc/coffer/changelog.gz)
        check("EXISTS;${root}/${file}" "${file} is not installed")
    endforeach()
    run(out ${root}/usr/bin/coffer-cli --version)
    check("out;STREQUAL;coffer-cli ${version}\n"
        "installed coffer-cli --version printed '${out}', not 'coffer-cli ${version}'")
    # The man pages are gzip'd roff with the right NAME line (what man-db and apropos read).
    run(page gzip -dc ${root}/usr/share/man/man1/coffer-cli.1.gz)
    check("page;MATCHES;\n[.]SH NAME\ncoffer-cli \\\\- " "coffer-cli(1) has no NAME line: ${page}")
    run(ignored bash -n ${root}/usr/share/bash-completion/completions/coffer-cli)
    run(ignored ${ZSH} -n ${root}/usr/share/zsh/vendor-completions/_coffer-cli)
    run(ignored ${FISH} --no-execute ${root}/usr/share/fish/vendor_completions.d/coffer-cli.fish)
endfunction()

# The desktop app: binary, version, man page, desktop entry, metainfo, MIME type, icons.
function(check_gui_root root version)
    set(desktop ${root}/usr/share/applications/coffer.desktop)
    set(metainfo ${root}/usr/share/metainfo/io.coffer.Coffer.metainfo.xml)
    foreach(file usr/bin/coffer usr/share/man/man1/coffer.1.gz usr/share/applications/coffer.desktop
            usr/share/metainfo/io.coffer.Coffer.metainfo.xml usr/share/mime/packages/coffer.xml
            usr/share/icons/hicolor/scalable/apps/coffer.svg usr/share/icons/hicolor/48x48/apps/coffer.png
            usr/share/icons/hicolor/128x128/apps/coffer.png usr/share/icons/hicolor/256x256/apps/coffer.png)
        check("EXISTS;${root}/${file}" "${file} is not installed")
    endforeach()

    run(out ${root}/usr/bin/coffer --version)
    check("out;STREQUAL;Coffer ${version}\n" "installed coffer --version printed '${out}', not 'Coffer ${version}'")

    run(page gzip -dc ${root}/usr/share/man/man1/coffer.1.gz)
    check("page;MATCHES;\n[.]SH NAME\ncoffer \\\\- " "coffer(1) has no NAME line: ${page}")

    run(out ${DESKTOP_FILE_VALIDATE} ${desktop})
    if(NOT out STREQUAL "")
        message(FATAL_ERROR "${TEST}: desktop-file-validate warned: ${out}")
    endif()
    file(READ ${desktop} entry)
    check("entry;MATCHES;\nExec=coffer %f\n" "the desktop entry does not run 'coffer %f': ${entry}")
    check("entry;MATCHES;\nMimeType=application/x-coffer-vault[;]\n" "the desktop entry does not open vaults: ${entry}")

    run(out ${APPSTREAMCLI} validate --no-net --pedantic ${metainfo})
    file(READ ${metainfo} xml)
    check("xml;MATCHES;<release version=\"${version}\"" "the metainfo's release is not ${version}")

    # update-mime-database compiles the XML the way the system trigger will; *.coffer must map to our type.
    set(mime ${root}/../mime)
    file(REMOVE_RECURSE ${mime})
    file(COPY ${root}/usr/share/mime/packages DESTINATION ${mime})
    run(out ${UPDATE_MIME_DATABASE} -V ${mime})
    file(STRINGS ${mime}/globs2 globs REGEX "x-coffer-vault")
    check("globs;MATCHES;application/x-coffer-vault:\\*\\.coffer" "*.coffer is not in the compiled globs: '${globs}'")
    file(REMOVE_RECURSE ${mime})
endfunction()

# The server: binary, version, man page, the systemd unit (verified by systemd-analyze against ROOT, with its
# hardening score held), its user and state directory, the default config (every key accepted, and the
# binary serving /healthz with it).
function(check_server_root root version)
    foreach(file usr/bin/coffer-server usr/share/man/man1/coffer-server.1.gz lib/systemd/system/coffer-server.service
            usr/lib/sysusers.d/coffer-server.conf usr/lib/tmpfiles.d/coffer-server.conf
            etc/coffer-server/coffer-server.conf usr/share/doc/coffer-server/copyright
            usr/share/doc/coffer-server/changelog.gz usr/share/doc/coffer-server/operations.md)
        check("EXISTS;${root}/${file}" "${file} is not installed")
    endforeach()
    run(out ${root}/usr/bin/coffer-server --version)
    check("out;STREQUAL;coffer-server ${version}\n"
        "installed coffer-server --version printed '${out}', not 'coffer-server ${version}'")
    run(page gzip -dc ${root}/usr/share/man/man1/coffer-server.1.gz)
    check("page;MATCHES;\n[.]SH NAME\ncoffer-server \\\\- " "coffer-server(1) has no NAME line: ${page}")

    # The unit's ExecStart, User and Documentation (man:coffer-server(1), looked up in ROOT's man pages) must
    # resolve; --recursive-errors=no leaves out the units it orders against (sysinit.target), which ROOT lacks.
    # systemd-analyze exits 0 on an unknown key, so any output fails too.
    set(ENV{MANPATH} ${root}/usr/share/man)
    run(out ${SYSTEMD_ANALYZE} verify --root=${root} --recursive-errors=no /lib/systemd/system/coffer-server.service)
    if(NOT out_ERR STREQUAL "" OR NOT out STREQUAL "")
        message(FATAL_ERROR "${TEST}: systemd-analyze verify: ${out}${out_ERR}")
    endif()
    # The hardening stays where it is: exposure 2.0 of 10 at most (it is 1.2; a unit without hardening is 9.6).
    run(out ${SYSTEMD_ANALYZE} security --offline=yes --threshold=20 --root=${root}
        /lib/systemd/system/coffer-server.service)
    unset(ENV{MANPATH})

    # The config the unit names is the installed one, and it parses: every key of it (the commented ones
    # uncommented, but TLS, whose files do not exist here) is accepted by `coffer-server migrate`.
    file(READ ${root}/lib/systemd/system/coffer-server.service unit)
    check("unit;MATCHES;\nExecStart=/usr/bin/coffer-server serve --config /etc/coffer-server/coffer-server.conf\n"
        "the unit does not run the installed config: ${unit}")
    check("unit;MATCHES;\nUser=coffer-server\n" "the unit does not run as coffer-server")
    file(READ ${root}/etc/coffer-server/coffer-server.conf conf)
    check("conf;MATCHES;\ndatabase = sqlite:/var/lib/coffer-server/coffer-server.db\n"
        "the packaged config does not use /var/lib/coffer-server: ${conf}")
    string(REGEX REPLACE "\n# ([a-z_]+ = )" "\n\\1" all_keys "${conf}")
    string(REGEX REPLACE "\n(tls_[a-z]+ = )" "\n# \\1" all_keys "${all_keys}")
    set(scratch ${root}/../server-scratch)
    file(REMOVE_RECURSE ${scratch})
    file(MAKE_DIRECTORY ${scratch})
    file(WRITE ${scratch}/all-keys.conf "${all_keys}")
    run(out ${root}/usr/bin/coffer-server migrate --config ${scratch}/all-keys.conf --database sqlite:${scratch}/migrated.db)
    check("EXISTS;${scratch}/migrated.db" "coffer-server migrate made no database")
    # The installed binary serves with the installed config: /healthz answers 200, SIGTERM exits 0.
    run(health bash ${CMAKE_CURRENT_LIST_DIR}/ServeOnce.sh ${root}/usr/bin/coffer-server
        ${root}/etc/coffer-server/coffer-server.conf sqlite:${scratch}/served.db)
    check("health;MATCHES;^HTTP/1.1 200 [^\n]*\n.*\n\n{\"status\":\"ok\"}\n$" "GET /healthz answered: ${health}")
    # A bad key is refused with exit status 2 and the line named.
    file(WRITE ${scratch}/bad.conf "# comment\nthreads = 8\nno_such_key = 1\n")
    execute_process(COMMAND ${root}/usr/bin/coffer-server migrate --config ${scratch}/bad.conf
            --database sqlite:${scratch}/bad.db
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    check("rc;EQUAL;2" "an unknown config key exited ${rc}, not 2: ${err}")
    check("err;MATCHES;bad[.]conf:3: unknown key 'no_such_key'" "the error for an unknown key does not name line 3: ${err}")
    file(REMOVE_RECURSE ${scratch})
endfunction()
