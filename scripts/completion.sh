#!/usr/bin/env bash
# scripts/completion.sh bash|zsh COLBENCH: the shell's completion for
# colbench, made from its own option table (colbench --internal-completion-spec,
# see src/cli/cli.h) at build time, on stdout: the options and their short
# names, the values of those whose set is known (the strategies from the
# registry, the kernels, the formats, --layout f|c, --hugepages on|off;
# a comma-separated list for --strategy), files of the kind an option
# wants (--load .npy, --baseline .json, ...), and the subcommands
# (compare, calibrate, history).  A new option or strategy is in it
# without a change here.
set -eu

shell=${1:-}
colbench=${2:-}
if [ -z "$colbench" ] || [ ! -x "$colbench" ]; then
	echo "completion.sh: usage: completion.sh bash|zsh COLBENCH" >&2
	exit 2
fi
spec=$("$colbench" --internal-completion-spec)

# words A B C: the words as one ANSI-C quoted word list, a newline
# between them, for compgen -W under IFS=newline (which keeps the spaces
# of file names).
words() {
	local out="" w list
	read -r -a list <<<"$*"
	for w in "${list[@]}"; do out+="${out:+\\n}$w"; done
	printf "\$'%s'" "$out"
}

# files EXT,EXT: the compgen calls for files of those kinds, and folders.
files() {
	local IFS=, ext out=""
	for ext in $1; do out+="\$(compgen -f -X '!*.$ext' -- \"\$cur\") "; done
	printf '%s' "$out\$(compgen -d -S / -- \"\$cur\")"
}

bash_completion() {
	local commands="" words="" kind name short values help
	while IFS=$'\t' read -r kind name short values help; do
		if [ "$kind" = command ]; then
			commands+="${commands:+ }$name"
			continue
		fi
		words+="${words:+ }$name"
		[ "$short" = - ] || words+=" $short"
	done <<<"$spec"
	cat <<-HEAD
		# bash completion for colbench: made by scripts/completion.sh from
		# colbench's option table (colbench --internal-completion-spec); do not edit.
		# A folder alone: no space after it, to go on into it.
		_colbench_folder() {
		  [[ \${#COMPREPLY[@]} -eq 1 && \${COMPREPLY[0]} == */ ]] && compopt -o nospace 2>/dev/null
		  return 0
		}
		_colbench() {
		  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
		  local IFS=\$'\\n'
		  case \$prev in
	HEAD
	while IFS=$'\t' read -r kind name short values help; do
		[ "$kind" = option ] || continue
		local pat=$name
		[ "$short" = - ] || pat+="|$short"
		case $values in
		none) continue ;;
		any) echo "    $pat) COMPREPLY=(); return ;;" ;;
		one:*)
			echo "    $pat) COMPREPLY=(\$(compgen -W $(words "${values#one:}") -- \"\$cur\")); return ;;"
			;;
		list:*)
			# The last item of a comma-separated list, after what is typed.
			echo "    $pat) local done=; [[ \$cur == *,* ]] && done=\${cur%,*},"
			echo "      COMPREPLY=(\$(compgen -P \"\$done\" -W $(words "${values#list:}") -- \"\${cur##*,}\")); return ;;"
			;;
		file:*)
			echo "    $pat) COMPREPLY=($(files "${values#file:}")); _colbench_folder; return ;;"
			;;
		esac
	done <<<"$spec"
	cat <<-TAIL
		  esac
		  if [[ \$cur == -* ]]; then
		    COMPREPLY=(\$(compgen -W $(words "$words") -- "\$cur"))
		  elif ((COMP_CWORD == 1)); then
		    COMPREPLY=(\$(compgen -W $(words "$commands") -- "\$cur"))
		  elif [[ \${COMP_WORDS[1]} == compare || \${COMP_WORDS[1]} == history ]]; then
		    COMPREPLY=($(files json)); _colbench_folder
		  fi
		}
		complete -F _colbench colbench
	TAIL
}

# zsh's _arguments: one spec a line; a help's brackets and colons escaped.
zsh_completion() {
	local kind name short values help action commands=""
	echo "#compdef colbench"
	echo "# zsh completion for colbench: made by scripts/completion.sh from"
	echo "# colbench's option table (colbench --internal-completion-spec); do not edit."
	echo "_arguments -s \\"
	while IFS=$'\t' read -r kind name short values help; do
		if [ "$kind" = command ]; then
			commands+="${commands:+ }$name"
			continue
		fi
		help=$(printf '%s' "$help" | tr "[]:'\\\\" '     ')
		case $values in
		none) action="" ;;
		any) action=":${name#--}: " ;;
		one:*) action=":${name#--}:(${values#one:})" ;;
		list:*) action=":${name#--}:_sequence compadd - ${values#list:}" ;;
		file:*) action=":file:_files -g \"*.(${values#file:})\""
			action=${action//,/|} ;;
		esac
		if [ "$short" = - ]; then
			echo "  '${name}[$help]$action' \\"
		else
			echo "  '($short $name)'{$short,$name}'[$help]$action' \\"
		fi
	done <<<"$spec"
	echo "  '1::command:($commands)' \\"
	echo "  '*:report:_files -g \"*.json\"'"
}

case $shell in
bash) bash_completion ;;
zsh) zsh_completion ;;
*) echo "completion.sh: usage: completion.sh bash|zsh COLBENCH" >&2; exit 2 ;;
esac
