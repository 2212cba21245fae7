#!/bin/sh
# scripts/readme_strategies.sh [--check] [COLBENCH [README]]: README.md's
# list of strategies, made from `COLBENCH --list` (./colbench by default),
# so that the registry stays the one list: the lines between README's two
# marker comments are its output, one strategy a line.
#
# Without --check: rewrite README (README.md at the root by default) with
# the list --list gives, whole or not at all.  With --check: change
# nothing, and fail (status 1, the difference on stderr) when README's list
# is not that one; tests/cli/readme.bats runs it so in the quick suite.
# Status 2: no list from COLBENCH, or README without its two markers.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
check=no
if [ "${1:-}" = --check ]; then
	check=yes
	shift
fi
colbench=${1:-$root/colbench}
readme=${2:-$root/README.md}
begin='<!-- strategies: made by scripts/readme_strategies.sh from colbench --list -->'
end='<!-- end of strategies -->'

die() {
	echo "scripts/readme_strategies.sh: $*" >&2
	exit 2
}

list=$("$colbench" --list) || die "$colbench --list failed"
[ -n "$list" ] || die "$colbench --list named no strategy"
if [ "$(grep -cxF "$begin" "$readme")" != 1 ] || [ "$(grep -cxF "$end" "$readme")" != 1 ]; then
	die "$readme lacks its marker lines, once each: $begin and $end"
fi

# A line a strategy: its name, what its workers are, opt-in when --strategy
# all leaves it out, its summary.
entries=$(printf '%s\n' "$list" | awk -F '\t' '{
	printf "- `%s` (%s%s): %s\n", $1, $3, $2 == "opt-in" ? ", opt-in" : "", $4
}')

# Beside README when rewriting, for a rename; a check writes nothing there
# (a copy of the tree taken meanwhile, as registry.bats takes one, would
# meet the temporary file).
if [ "$check" = yes ]; then
	new=$(mktemp)
else
	new=$(mktemp "$readme.XXXXXX")
fi
trap 'rm -f "$new"' EXIT
ENTRIES=$entries awk -v begin="$begin" -v end="$end" '
$0 == end { inside = 0 }
!inside { print }
$0 == begin { inside = 1; print ENVIRON["ENTRIES"] }
' "$readme" >"$new"

if [ "$check" = yes ]; then
	if ! cmp -s "$readme" "$new"; then
		echo "$readme's list of strategies is not $colbench --list's:" \
			"run sh scripts/readme_strategies.sh" >&2
		diff -u "$readme" "$new" >&2 || true
		exit 1
	fi
	exit 0
fi
cmp -s "$readme" "$new" && exit 0
chmod --reference="$readme" "$new" 2>/dev/null || chmod 644 "$new"
mv -f "$new" "$readme"
