# SPDX-License-Identifier: Apache-2.0
# coffer-cli's completions: installer/completions/coffer-cli.commands must say what `coffer-cli --help` and each
# `coffer-cli COMMAND --help` say (commands, arguments, summaries, options with their values and short
# forms); the bash, zsh and fish files generated from it parse, name every command, and complete a few lines
# as expected in bash (with bash-completion), fish and zsh (in a pseudo-terminal: ZshCompletions.zsh).
cmake_minimum_required(VERSION 3.25)
set(TEST TestCompletions)
include(${CMAKE_CURRENT_LIST_DIR}/InstallChecks.cmake)
include(${SOURCE_DIR}/CofferCliCommands.cmake)
require_tools(ZSH FISH)

# Options from one help section: the lines "  --name [VALUE]  help", help wrapped onto indented lines, and
# "(also -x)" in the help naming the short form. Written as coffer-cli.commands writes them.
function(help_options text out)
    string(REGEX REPLACE "\n    +" " " text "${text}")
    string(REGEX MATCHALL "\n  --[^\n]*" blocks "${text}")
    set(result)
    foreach(block IN LISTS blocks)
        string(REGEX MATCH "^\n  (--[a-z-]+)( ([A-Z]+))?" ignored "${block}")
        set(token ${CMAKE_MATCH_1})
        set(value "${CMAKE_MATCH_3}")
        if(block MATCHES "[(]also (-[a-zA-Z])[,)]")
            string(APPEND token "/${CMAKE_MATCH_1}")
        endif()
        if(NOT value STREQUAL "")
            string(APPEND token "=${value}")
        endif()
        list(APPEND result ${token})
    endforeach()
    list(SORT result)
    set(${out} "${result}" PARENT_SCOPE)
endfunction()

function(sorted_spec_options name out)
    coffer_cli_id("${name}" id)
    set(options ${CLI_${id}_OPTIONS})
    list(SORT options)
    set(${out} "${options}" PARENT_SCOPE)
endfunction()

coffer_cli_read_commands(${SOURCE_DIR}/coffer-cli.commands)

# The command list and the global options of `coffer-cli --help`.
run(help ${COFFER_CLI} --help)
string(REGEX MATCH "\nCommands:\n(.*)\n\nGlobal options[^\n]*\n(.*)\n\n" ignored "${help}")
set(list_text "${CMAKE_MATCH_1}")
set(global_text "\n${CMAKE_MATCH_2}")
check("list_text" "no Commands: section in coffer-cli --help:\n${help}")
string(REGEX MATCHALL "[^\n]+" list_lines "${list_text}")
set(help_commands)
foreach(line IN LISTS list_lines)
    if(NOT line MATCHES "^  ([a-z][a-z-]*( [a-z]+)?)( [^ ][^\n]*[^ ])?   +([^ ].*)$")
        message(FATAL_ERROR "${TEST}: a command line I cannot read: '${line}'")
    endif()
    set(name "${CMAKE_MATCH_1}")
    string(STRIP "${CMAKE_MATCH_3}" args)
    set(summary "${CMAKE_MATCH_4}")
    list(APPEND help_commands "${name}")
    coffer_cli_id("${name}" id)
    check("name;IN_LIST;CLI_COMMANDS" "coffer-cli has '${name}', coffer-cli.commands does not")
    check("args;STREQUAL;CLI_${id}_ARGS" "${name}'s arguments are '${args}' in --help, '${CLI_${id}_ARGS}' in coffer-cli.commands")
    check("summary;STREQUAL;CLI_${id}_SUMMARY" "${name}'s summary is '${summary}' in --help, '${CLI_${id}_SUMMARY}' in coffer-cli.commands")
endforeach()
check("help_commands;STREQUAL;CLI_COMMANDS" "the commands differ (or their order):\n--help: ${help_commands}\ncoffer-cli.commands: ${CLI_COMMANDS}")
help_options("${global_text}" help_global)
sorted_spec_options(global spec_global)
check("help_global;STREQUAL;spec_global" "global options: --help says ${help_global}, coffer-cli.commands ${spec_global}")

# Each command's options.
foreach(name IN LISTS CLI_COMMANDS)
    string(REPLACE " " ";" words "${name}")
    run(command_help ${COFFER_CLI} ${words} --help)
    set(options_text "")
    if(command_help MATCHES "\nOptions:\n(.*)\n\nGlobal options")
        set(options_text "\n${CMAKE_MATCH_1}")
    endif()
    help_options("${options_text}" from_help)
    sorted_spec_options("${name}" from_spec)
    check("from_help;STREQUAL;from_spec" "${name}'s options: --help says '${from_help}', coffer-cli.commands '${from_spec}'")
endforeach()

# The generated files parse and name every command and subcommand.
file(REMOVE_RECURSE ${WORK_DIR})
run(ignored ${CMAKE_COMMAND} -DSOURCE_DIR=${SOURCE_DIR} -DOUTPUT_DIR=${WORK_DIR} -P ${SOURCE_DIR}/GenerateCompletions.cmake)
set(bash_file ${WORK_DIR}/coffer-cli.bash)
set(zsh_file ${WORK_DIR}/_coffer-cli)
set(fish_file ${WORK_DIR}/coffer-cli.fish)
run(ignored bash -n ${bash_file})
run(ignored ${ZSH} -n ${zsh_file})
run(ignored ${FISH} --no-execute ${fish_file})
file(READ ${bash_file} bash_text)
file(READ ${zsh_file} zsh_text)
file(READ ${fish_file} fish_text)
check("zsh_text;MATCHES;^#compdef coffer-cli\n" "_coffer-cli does not start with #compdef coffer-cli")
foreach(name IN LISTS CLI_COMMANDS)
    string(REGEX MATCH "[a-z-]+$" word "${name}")
    check("bash_text;MATCHES;'${name}'[)]|[ '](${word})[ ']" "coffer-cli.bash does not name ${name}")
    check("zsh_text;MATCHES;\n +'${name}'[)]\n" "_coffer-cli has no case for ${name}")
    check("zsh_text;MATCHES;\n +'${word}:" "_coffer-cli does not describe ${word}")
    check("fish_text;MATCHES;-a ${word} -d " "coffer-cli.fish does not offer ${word}")
    check("fish_text;MATCHES;__coffer_cli_at '${name}'|case '${name}'" "coffer-cli.fish has nothing for ${name}")
endforeach()

# How they complete: "LINE|EXPECTED" (the candidates, sorted, joined by spaces; LINE's end is the cursor).
set(top "agent conflicts diff dotenv env export get grant help history import info init inject lock ls passwd project rename resolve restore revoke rm rotate-list run set sync team")
set(cases
    "coffer-cli |${top}"
    "coffer-cli pro|project"
    "coffer-cli project |add ls rename rm"
    "coffer-cli --vault /tmp/v.coffer project r|rename rm"
    "coffer-cli env ls --|--help --json --no-agent --password-file --vault --version"
    "coffer-cli get --|--help --no-agent --password-file --raw --vault --version"
    "coffer-cli get --version |"
    "coffer-cli export --format |docker dotenv json shell systemd yaml"
    "coffer-cli import --f|--format"
    "coffer-cli help |${top}"
    "coffer-cli dotenv |parse"
    "coffer-cli team |confirm create fingerprint invite join list members remove role share"
    "coffer-cli agent |start status stop"
    "coffer-cli ro|rotate-list"
    "coffer-cli team join --|--ca-file --code-file --display-name --help --no-agent --password-file --vault --version"
    "coffer-cli resolve --keep |")
file(WRITE ${WORK_DIR}/bash-harness.sh [=[
source /usr/share/bash-completion/bash_completion
source "$1"
line=$2
COMP_LINE=$line
COMP_POINT=${#line}
read -ra COMP_WORDS <<< "$line"
[[ $line == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
_coffer_cli coffer-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
]=])
check("EXISTS;/usr/share/bash-completion/bash_completion" "bash-completion is not installed: run scripts/deps.sh test")
set(zsh_capture ${CMAKE_CURRENT_LIST_DIR}/ZshCompletions.zsh)
foreach(case IN LISTS cases)
    string(REGEX MATCH "^([^|]*)[|](.*)$" ignored "${case}")
    set(line "${CMAKE_MATCH_1}")
    set(expected "${CMAKE_MATCH_2}")
    foreach(shell bash fish zsh)
        if(shell STREQUAL "bash")
            run(out bash ${WORK_DIR}/bash-harness.sh ${bash_file} "${line}")
        elseif(shell STREQUAL "fish")
            run(out ${FISH} --no-config -c "source ${fish_file}\ncomplete -C '${line}'")
        else()
            run(out ${ZSH} -f ${zsh_capture} ${WORK_DIR} ${WORK_DIR}/zcompdump "${line}")
        endif()
        string(REGEX REPLACE "\t[^\n]*" "" out "${out}")
        string(REGEX MATCHALL "[^\n]+" got "${out}")
        list(REMOVE_DUPLICATES got)
        list(SORT got)
        list(JOIN got " " got)
        check("got;STREQUAL;expected" "${shell} completes '${line}' with '${got}', not '${expected}'")
    endforeach()
endforeach()

# Files: offered after import's arguments, -o and -i.
file(MAKE_DIRECTORY ${WORK_DIR}/files/sub)
file(WRITE ${WORK_DIR}/files/app.env "")
run(out bash -c "cd ${WORK_DIR}/files && bash ${WORK_DIR}/bash-harness.sh ${bash_file} 'coffer-cli import web/dev a'")
check("out;STREQUAL;app.env\n" "bash does not complete a file after import: '${out}'")
run(out ${FISH} --no-config -c "cd ${WORK_DIR}/files\nsource ${fish_file}\ncomplete -C 'coffer-cli export -o a'")
check("out;STREQUAL;app.env\n" "fish does not complete a file after -o: '${out}'")
run(out bash -c "cd ${WORK_DIR}/files && ${ZSH} -f ${zsh_capture} ${WORK_DIR} ${WORK_DIR}/zcompdump 'coffer-cli inject -i a'")
check("out;STREQUAL;app.env\n" "zsh does not complete a file after -i: '${out}'")
file(REMOVE_RECURSE ${WORK_DIR})
