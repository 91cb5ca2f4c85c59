// The completion scripts: each hands the words typed so far to `envctl __complete --` and offers what it prints;
// where it prints nothing (a file, a folder), the shell completes file names itself.
#include "envctl/cli/completion.hpp"

#include "envctl/core/error.hpp"

namespace envctl::cli {
namespace {

constexpr const char* kBash = R"SH(# bash completion for envctl. Load it in this shell:   source <(envctl completion bash)
# or for every new shell:   envctl completion bash > ~/.local/share/bash-completion/completions/envctl
_envctl() {
    local IFS=$'\n'
    local cur="${COMP_WORDS[COMP_CWORD]}"
    COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" __complete -- "${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null)" -- "$cur"))
}
complete -o default -F _envctl envctl
)SH";

constexpr const char* kZsh = R"SH(#compdef envctl
# zsh completion for envctl. Load it in this shell (after compinit):   source <(envctl completion zsh)
# or for every new shell:   envctl completion zsh > "${fpath[1]}/_envctl"
_envctl() {
    local -a candidates
    candidates=(${(f)"$(${words[1]} __complete -- "${(@)words[2,CURRENT-1]}" "${words[CURRENT]}" 2>/dev/null)"})
    if (( ${#candidates} )); then
        compadd -a candidates
    else
        _files
    fi
}
if [[ "${funcstack[1]}" == "_envctl" ]]; then
    _envctl "$@"
else
    compdef _envctl envctl
fi
)SH";

constexpr const char* kFish = R"SH(# fish completion for envctl. Load it in this shell:   envctl completion fish | source
# or for every new shell:   envctl completion fish > ~/.config/fish/completions/envctl.fish
function __envctl_complete
    set -l words (commandline -opc)
    $words[1] __complete -- $words[2..-1] (commandline -ct) 2>/dev/null
end
complete -c envctl -f -a '(__envctl_complete)'
complete -c envctl -l stack -l env-file -r -F
complete -c envctl -l project-dir -r -a '(__fish_complete_directories)'
)SH";

}  // namespace

std::string completion_script(const std::string& shell) {
    if (shell == "bash") return kBash;
    if (shell == "zsh") return kZsh;
    if (shell == "fish") return kFish;
    throw usage_error("completion " + shell + ": bash, zsh or fish");
}

}  // namespace envctl::cli
