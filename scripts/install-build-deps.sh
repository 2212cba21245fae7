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

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "scripts/install-build-deps.sh: need root to install:$missing" >&2
	exit 1
fi
echo "scripts/install-build-deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
