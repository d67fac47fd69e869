/*
 * The shell side of completion, kept small: each script sends the words typed so far to
 * `helm-drift __complete` and offers what it prints (one `value<TAB>description` per line, then `:DIRECTIVE`,
 * see plan.ts). No candidate and no "no file completion" bit (4): the shell completes file names.
 */

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** The hidden command the scripts call. */
export const COMPLETE_COMMAND = "__complete";

// Bash 3.2 (macOS) has no negative array indexes and no `compopt`; the script keeps to what it has.
const BASH = `# bash completion for helm-drift. Load it with: source <(helm-drift completion bash)
_helm_drift_complete() {
    local cur="\${COMP_WORDS[COMP_CWORD]}"
    local IFS=$'\\n'
    local -a lines
    lines=($(helm-drift ${COMPLETE_COMMAND} "\${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null))
    local directive=0 count=\${#lines[@]}
    if (( count > 0 )) && [[ "\${lines[count-1]}" == :* ]]; then
        directive="\${lines[count-1]#:}"
        unset "lines[count-1]"
    fi
    COMPREPLY=()
    local line
    for line in "\${lines[@]}"; do
        COMPREPLY+=("\${line%%$'\\t'*}")
    done
    if (( \${#COMPREPLY[@]} == 0 && (directive & 4) == 0 )); then
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _helm_drift_complete helm-drift
`;

const ZSH = `#compdef helm-drift
# zsh completion for helm-drift. Load it with: source <(helm-drift completion zsh)
# (after compinit), or save it as _helm-drift in a directory of $fpath.
_helm_drift() {
    local -a lines completions
    local directive=0 line value
    lines=("\${(@f)$(helm-drift ${COMPLETE_COMMAND} "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null)}")
    if [[ "\${lines[-1]}" == :* ]]; then
        directive="\${lines[-1]#:}"
        lines[-1]=()
    fi
    for line in "\${lines[@]}"; do
        [[ -z "$line" ]] && continue
        value="\${line%%$'\\t'*}"
        value="\${value//:/\\\\:}"
        if [[ "$line" == *$'\\t'* ]]; then
            completions+=("\${value}:\${line#*$'\\t'}")
        else
            completions+=("\${value}")
        fi
    done
    if (( \${#completions} > 0 )); then
        _describe -t values 'helm-drift' completions
    elif (( (directive & 4) == 0 )); then
        _files
    fi
}
if [[ "\${funcstack[1]}" == _helm_drift || "\${funcstack[1]}" == _helm-drift ]]; then
    _helm_drift "$@"
else
    compdef _helm_drift helm-drift
fi
`;

const FISH = `# fish completion for helm-drift. Load it with: helm-drift completion fish | source
# or save it as ~/.config/fish/completions/helm-drift.fish
function __helm_drift_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct)
    set -l lines (helm-drift ${COMPLETE_COMMAND} $words $current 2>/dev/null)
    set -l directive 0
    if test (count $lines) -gt 0; and string match -q -r '^:[0-9]+$' -- $lines[-1]
        set directive (string sub -s 2 -- $lines[-1])
        set -e lines[-1]
    end
    if test (count $lines) -eq 0; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path $current
        return
    end
    printf '%s\\n' $lines
end
complete -c helm-drift -f -a '(__helm_drift_complete)'
`;

export const COMPLETION_SCRIPTS: Record<Shell, string> = { bash: BASH, zsh: ZSH, fish: FISH };
