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
# Packages are installed to be run by the project, never started as the
# machine's services (openssh-server's sshd, say): where no policy says
# otherwise, one that refuses every start, for the install alone.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# scripts/apt-install.sh: no service starts during its install\nexit 101\n' |
		$sudo tee "$policy" >/dev/null
	$sudo chmod 755 "$policy"
	trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
