#!/bin/sh
# Install what building colbench needs from Debian's archive when it is
# missing: a C compiler and make (build-essential) and jansson, the JSON
# library colbench reads and writes reports with.  Needs root (or sudo)
# only when something is missing.
set -eu

missing=""
command -v cc >/dev/null 2>&1 || missing="$missing build-essential"
[ -f /usr/include/jansson.h ] || missing="$missing libjansson-dev"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"

# shellcheck disable=SC2086
sh "$(dirname "$0")/apt-install.sh" "scripts/install-build-deps.sh" $missing
