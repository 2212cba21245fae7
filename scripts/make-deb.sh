#!/bin/sh
# make deb: colbench's Debian packages (colbench and colbench-mpi, the
# debian/ folder) built by dpkg-buildpackage from a copy of the source
# tree in build/deb/src, so that the packages land in build/deb/ and
# nothing is written beside the tree; then lintian, which must report no
# error and no warning.  The build runs the quick suite (make check) as
# its test step; DEB_BUILD_OPTIONS=nocheck skips it (and its build
# dependencies).  Installs debhelper, dpkg-dev, fakeroot and lintian from
# Debian's archive when missing.
set -eu
cd "$(dirname "$0")/.."

missing=""
command -v dpkg-buildpackage >/dev/null 2>&1 || missing="$missing dpkg-dev"
command -v dh >/dev/null 2>&1 || missing="$missing debhelper"
command -v fakeroot >/dev/null 2>&1 || missing="$missing fakeroot"
command -v lintian >/dev/null 2>&1 || missing="$missing lintian"
# shellcheck disable=SC2086
sh scripts/apt-install.sh "scripts/make-deb.sh" $missing

out=build/deb
rm -rf "$out"
mkdir -p "$out/src"
# The tracked files (a clean tree, whatever the working tree holds), or,
# outside a clone, the tree less what builds and tests leave.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z | xargs -0 cp --parents -t "$out/src"
	# The copy is no clone: the build's commit comes with it.
	COLBENCH_COMMIT=$(git describe --always --dirty --tags)
	export COLBENCH_COMMIT
else
	tar -cf - --exclude=./build --exclude='./build-*' --exclude=./colbench . | tar -xf - -C "$out/src"
fi
profiles=""
case " ${DEB_BUILD_OPTIONS:-} " in
*" nocheck "*) profiles="-Pnocheck" ;;
esac
(cd "$out/src" && dpkg-buildpackage -us -uc -b $profiles)
echo "make-deb.sh: lintian" >&2
lintian --fail-on error,warning --info "$out"/*.changes
ls "$out"/*.deb
