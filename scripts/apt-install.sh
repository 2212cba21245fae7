#!/bin/sh
# scripts/apt-install.sh WHO PACKAGE...: install Debian packages, as root
# or through sudo, saying who asked; nothing to do without packages.  The
# one place the project's scripts install from (install-build-deps.sh,
# install-test-deps.sh, bench.sh).
set -eu

who=$1
shift
[ $# -gt 0 ] || exit 0
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "$who: need root to install: $*" >&2
	exit 1
fi
echo "$who: installing $*"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
