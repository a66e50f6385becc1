# SPDX-License-Identifier: Apache-2.0
# bash completion for coffer-cli: commands, subcommands and options. Project and secret names are not
# completed, since listing them would need the vault password.
_coffer_cli() {
    local cur prev words cword
    _init_completion || return

    local global='--vault --password-file --help --version'
    case $prev in
        --vault | --password-file | --new-password-file | -o | --output | -i | --env-file)
            _filedir
            return
            ;;
        --format)
            COMPREPLY=($(compgen -W 'dotenv json yaml docker shell systemd' -- "$cur"))
            return
            ;;
        --kdf-passes | --kdf-memory | --note | --tag | --allow-name)
            return
            ;;
        --version)
            # After get and restore it takes a version number; elsewhere it takes nothing.
            return
            ;;
    esac

    # The command and (for project, env, dotenv) the subcommand: the first words that are not options
    # or option arguments.
    local i command='' sub=''
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --vault | --password-file) ((i++)) ;;
            -*) ;;
            *)
                if [[ -z $command ]]; then
                    command=${words[i]}
                elif [[ -z $sub ]]; then
                    sub=${words[i]}
                fi
                ;;
        esac
    done

    local opts=''
    case $command in
        '')
            COMPREPLY=($(compgen -W "init passwd info project env set get ls rm history restore rename
                import export diff dotenv run inject help $global" -- "$cur"))
            return
            ;;
        project | env)
            if [[ -z $sub ]]; then
                COMPREPLY=($(compgen -W 'add ls rm rename' -- "$cur"))
                return
            fi
            case $command/$sub in
                project/ls | env/ls) opts='--json' ;;
                project/rm | env/rm) opts='--force' ;;
                env/add) opts='--protected --unprotected' ;;
            esac
            ;;
        dotenv)
            if [[ -z $sub ]]; then
                COMPREPLY=($(compgen -W 'parse' -- "$cur"))
                return
            fi
            [[ $cur == -* ]] || _filedir
            opts='--format'
            ;;
        init) opts='--kdf-passes --kdf-memory' ;;
        passwd) opts='--new-password-file --kdf-passes --kdf-memory' ;;
        info | history | diff) opts='--json' ;;
        set) opts='--note --tag --trim-newline' ;;
        get) opts='--version --raw' ;;
        ls) opts='--json --deleted' ;;
        restore) opts='--version' ;;
        import)
            [[ $cur == -* ]] || _filedir
            opts='--format --dry-run'
            ;;
        export) opts='-o --output --format --merge --allow-unignored --yes' ;;
        run) opts='--env-file --no-masking --allow-name --yes' ;;
        inject)
            opts='-i -o --output --allow-unignored --yes'
            [[ $cur == -* ]] || _filedir
            ;;
        help)
            COMPREPLY=($(compgen -W 'init passwd info project env set get ls rm history restore rename
                import export diff dotenv run inject' -- "$cur"))
            return
            ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY+=($(compgen -W "$opts $global" -- "$cur"))
    fi
} && complete -F _coffer_cli coffer-cli
