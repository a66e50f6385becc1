#!/usr/bin/zsh -f
# SPDX-License-Identifier: Apache-2.0
# ZshCompletions.zsh DIR DUMP LINE: prints, one a line, the candidates zsh's completion system offers for
# LINE (the cursor at its end), with DIR (holding _coffer-cli) first in fpath. An interactive zsh runs in a
# pseudo-terminal (zsh/zpty), LINE and a TAB are typed, and compadd is wrapped to print what it is given.
# DUMP is compinit's dump file: the first run writes it (seconds), the next ones load it.
zmodload zsh/zpty || exit 2
local init=$(mktemp) line
if [[ -f $2 ]]; then
    local compinit_flags='-C'
else
    local compinit_flags=''
fi
cat > $init <<INIT
PROMPT=
fpath=($1 \$fpath)
autoload -Uz compinit && compinit -u $compinit_flags -d $2
bindkey '^I' complete-word
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
mark() { print -rn -- \$'\\n@@MARK@@\\n' }
compprefuncs=(mark)
comppostfuncs=(mark exit)
compadd() {
    # compadd used to ask (-O, -A, -D) rather than to offer: pass it on untouched.
    if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then
        builtin compadd "\$@"
        return
    fi
    local -a __hits
    builtin compadd -A __hits "\$@"
    (( \$#__hits )) && print -rl -- "@@HIT@@"\${^__hits}
    builtin compadd "\$@"
}
print ready
INIT
zpty z zsh -f -i
zpty -w z "source $init"
repeat 20; do
    zpty -r z line
    [[ $line == ready* ]] && break
done
zpty -w z "$3"$'\t'
# The completion's exit (comppostfuncs) closes the pty, which ends the reads.
while zpty -r z line; do
    line=${line//$'\r'/}
    [[ $line == *@@HIT@@* ]] && print -r -- ${${line#*@@HIT@@}%%$'\n'*}
done
zpty -d z
rm -f $init
