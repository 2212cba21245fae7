#!/bin/sh
# scripts/strategy_flags.sh KEY [NAME]: the build flags a strategy's
# registry line gives, so that a strategy with flags of its own (openmp's
# -fopenmp) is still its file and its line: the Makefile and the static
# checks read them here, and neither names a strategy.
#
# A line of STRATEGY_LIST in src/strategies/strategy.h may end in a
# comment of KEY: VALUE fields, separated by semicolons:
#	X(openmp) /* cflags: -fopenmp; ldlibs: -fopenmp */ \
# cflags: compiling src/strategies/strategy_NAME.c (its object alone);
# ldlibs: linking every binary (each strategy is in all of them).
#
# With NAME: the VALUE of KEY on NAME's line, nothing when it has none.
# Without: the names whose line gives KEY, one a line.
set -eu

key=${1:?usage: scripts/strategy_flags.sh cflags|ldlibs [NAME]}
registry=$(dirname "$0")/../src/strategies/strategy.h
[ -r "$registry" ] || {
	echo "scripts/strategy_flags.sh: cannot read $registry" >&2
	exit 2
}

awk -v key="$key" -v want="${2-}" '
/^[[:space:]]*X\([a-z0-9_]+\)[[:space:]]*\/\*.*\*\// {
	name = $0
	sub(/^[[:space:]]*X\(/, "", name)
	sub(/\).*/, "", name)
	notes = $0
	sub(/^[^*]*\/\*/, "", notes)
	sub(/\*\/.*/, "", notes)
	n = split(notes, fields, ";")
	for (i = 1; i <= n; i++) {
		f = fields[i]
		sub(/^[[:space:]]+/, "", f)
		sub(/[[:space:]]+$/, "", f)
		if (index(f, key ":") != 1)
			continue
		value = substr(f, length(key) + 2)
		sub(/^[[:space:]]+/, "", value)
		if (want == "")
			print name
		else if (name == want)
			print value
	}
}' "$registry"
