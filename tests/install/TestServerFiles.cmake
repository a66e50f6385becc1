# SPDX-License-Identifier: Apache-2.0
# The server's installed files against the spec (/work/notes/server-spec.md, "coffer-server command line and
# config"): the default config and the man page hold every config key, the man page every subcommand and
# option (and, with the binary, every option `coffer-server --help` names), the unit its hardening, and the
# sysusers and tmpfiles files make the coffer-server user and /var/lib/coffer-server in a scratch root.
cmake_minimum_required(VERSION 3.25)
set(TEST TestServerFiles)
include(${CMAKE_CURRENT_LIST_DIR}/InstallChecks.cmake)

set(keys listen database tls_cert tls_key max_body_bytes max_records_per_push max_record_bytes rate_limit_per_second
    rate_limit_burst read_timeout_seconds write_timeout_seconds threads log_requests)
set(subcommands serve team-code migrate)
set(options --config --listen --database --tls-cert --tls-key --valid-hours --version --help)

# The config: each key once, set or commented out, and nothing else.
file(STRINGS ${INSTALLER_DIR}/coffer-server.conf lines REGEX "^(# )?[a-z_]+ = ")
set(seen)
foreach(line IN LISTS lines)
    string(REGEX REPLACE "^(# )?([a-z_]+) = .*" "\\2" key "${line}")
    check("key;IN_LIST;keys" "coffer-server.conf has a key the spec does not: ${line}")
    refuse("key;IN_LIST;seen" "coffer-server.conf has ${key} twice")
    list(APPEND seen ${key})
endforeach()
foreach(key IN LISTS keys)
    check("key;IN_LIST;seen" "coffer-server.conf does not have ${key}")
endforeach()
file(STRINGS ${INSTALLER_DIR}/coffer-server.conf set_lines REGEX "^[a-z_]+ = ")
set(expected "listen = 127.0.0.1:8443" "database = sqlite:/var/lib/coffer-server/coffer-server.db")
check("set_lines;STREQUAL;expected"
    "coffer-server.conf sets more or other than listen and database: ${set_lines}")

# The man page: roff writes "-" as "\-" and keys as .B lines.
file(READ ${INSTALLER_DIR}/coffer-server.1 page)
string(REPLACE "\\-" "-" plain "${page}")
foreach(key IN LISTS keys)
    check("page;MATCHES;\n[.]B ${key}\n" "coffer-server.1 does not describe the key ${key}")
endforeach()
foreach(sub IN LISTS subcommands)
    check("plain;MATCHES;\n[.]B ${sub}\n" "coffer-server.1 does not describe the command ${sub}")
endforeach()
foreach(option IN LISTS options)
    check("plain;MATCHES;\n[.]B[IR]? ${option}[ \n]" "coffer-server.1 does not describe ${option}")
endforeach()
foreach(section NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS CONFIGURATION SIGNALS "EXIT STATUS" FILES "SEE ALSO")
    check("page;MATCHES;\n[.]SH ${section}\n" "coffer-server.1 has no ${section} section")
endforeach()
if(SERVER_BINARY)
    run(help ${SERVER_BINARY} --help)
    string(REGEX MATCHALL "--[a-z][a-z-]+" named "${help}")
    list(REMOVE_DUPLICATES named)
    foreach(option IN LISTS named)
        check("plain;MATCHES;${option}" "coffer-server --help names ${option}, coffer-server.1 does not")
    endforeach()
    foreach(sub IN LISTS subcommands)
        check("help;MATCHES;${sub}" "coffer-server --help does not name ${sub}")
    endforeach()
endif()

# The unit: the spec's ExecStart and user, and the hardening asked for (systemd-analyze checks the rest when
# it is installed: TestInstall, TestPackage).
file(READ ${INSTALLER_DIR}/coffer-server.service unit)
foreach(line "ExecStart=/usr/bin/coffer-server serve --config /etc/coffer-server/coffer-server.conf"
        "User=coffer-server" "StateDirectory=coffer-server" "Restart=on-failure" "NoNewPrivileges=yes"
        "ProtectSystem=strict" "ProtectHome=yes" "PrivateTmp=yes" "PrivateDevices=yes" "ProtectKernelTunables=yes"
        "ProtectKernelModules=yes" "ProtectKernelLogs=yes" "ProtectControlGroups=yes"
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" "CapabilityBoundingSet=" "WantedBy=multi-user.target")
    check("unit;MATCHES;\n${line}\n" "coffer-server.service lacks '${line}'")
endforeach()
refuse("unit;MATCHES;\nReadWritePaths=" "coffer-server.service opens more than its state directory for writing")

# sysusers and tmpfiles, applied to a scratch root: the user exists with its home, the folder is its own, 0700.
require_tools(SYSUSERS TMPFILES)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/etc)
run(ignored ${SYSUSERS} --root=${WORK_DIR} ${INSTALLER_DIR}/coffer-server.sysusers)
file(STRINGS ${WORK_DIR}/etc/passwd passwd REGEX "^coffer-server:")
check("passwd;MATCHES;^coffer-server:x:[0-9]+:[0-9]+:[^:]*:/var/lib/coffer-server:/usr/sbin/nologin$"
    "systemd-sysusers made '${passwd}'")
string(REGEX REPLACE "^coffer-server:x:([0-9]+):.*" "\\1" uid "${passwd}")
run(ignored ${TMPFILES} --root=${WORK_DIR} --create ${INSTALLER_DIR}/coffer-server.tmpfiles)
check("IS_DIRECTORY;${WORK_DIR}/var/lib/coffer-server" "systemd-tmpfiles made no /var/lib/coffer-server")
run(stat stat -c "%a %u" ${WORK_DIR}/var/lib/coffer-server)
check("stat;STREQUAL;700 ${uid}\n" "/var/lib/coffer-server is '${stat}', not mode 700 owned by ${uid}")
file(REMOVE_RECURSE ${WORK_DIR})

# The Debian maintainer scripts parse, and the config is the one conffile.
foreach(script postinst prerm postrm)
    run(ignored sh -n ${INSTALLER_DIR}/deb/${script})
endforeach()
file(READ ${INSTALLER_DIR}/deb/conffiles conffiles)
check("conffiles;STREQUAL;/etc/coffer-server/coffer-server.conf\n" "deb/conffiles: ${conffiles}")

# What they do, run with every system command they call replaced by a stub that logs its arguments
# (DPKG_ROOT points the config at a scratch root). First install: the user, the state directory, the config
# made root:coffer-server 0640, the unit enabled. Purge: the unit forgotten, the data kept.
set(stubs ${WORK_DIR}/stubs)
set(log ${WORK_DIR}/calls.log)
file(MAKE_DIRECTORY ${stubs} ${WORK_DIR}/root/etc/coffer-server)
file(WRITE ${WORK_DIR}/root/etc/coffer-server/coffer-server.conf "listen = 127.0.0.1:8443\n")
foreach(stub getent systemd-sysusers systemd-tmpfiles useradd dpkg-statoverride chown chmod deb-systemd-helper
        deb-systemd-invoke systemctl install rm)
    # getent: no such user yet; dpkg-statoverride: no override; deb-systemd-helper was-enabled: a new install.
    set(status 0)
    if(stub MATCHES "^(getent|dpkg-statoverride)$")
        set(status 1)
    endif()
    file(WRITE ${stubs}/${stub} "#!/bin/sh\necho \"${stub} $*\" >> ${log}\nexit ${status}\n")
    file(CHMOD ${stubs}/${stub} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
endforeach()
function(run_script script)
    file(REMOVE ${log})
    file(TOUCH ${log})
    run(ignored env PATH=${stubs}:/usr/bin:/bin DPKG_ROOT=${WORK_DIR}/root sh -e ${INSTALLER_DIR}/deb/${script} ${ARGN})
    file(READ ${log} calls)
    set(calls "${calls}" PARENT_SCOPE)
endfunction()
run_script(postinst configure "")
foreach(call "systemd-sysusers --root=${WORK_DIR}/root coffer-server.conf"
        "systemd-tmpfiles --root=${WORK_DIR}/root --create coffer-server.conf"
        "chown root:coffer-server ${WORK_DIR}/root/etc/coffer-server/coffer-server.conf"
        "chmod 0640 ${WORK_DIR}/root/etc/coffer-server/coffer-server.conf"
        "deb-systemd-helper enable coffer-server.service")
    string(FIND "${calls}" "${call}\n" at)
    refuse("at;EQUAL;-1" "postinst configure did not run '${call}':\n${calls}")
endforeach()
refuse("calls;MATCHES;useradd" "postinst used useradd although systemd-sysusers exists:\n${calls}")
run_script(postrm purge)
string(FIND "${calls}" "deb-systemd-helper purge coffer-server.service\n" at)
refuse("at;EQUAL;-1" "postrm purge did not forget the unit:\n${calls}")
refuse("calls;MATCHES;(^|\n)rm " "postrm purge removed files:\n${calls}")
file(REMOVE_RECURSE ${WORK_DIR})
