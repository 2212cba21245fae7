#!/usr/bin/env bats
# The Debian packages: make deb (debian/, scripts/make-deb.sh) builds
# colbench and colbench-mpi, lintian-clean; dpkg -i installs a working
# colbench, its man page and its bash completion; dpkg -r removes every
# file it installed.  The build's own test step (make check) is skipped
# here (DEB_BUILD_OPTIONS=nocheck): this suite is that check.
#
# Needs root (dpkg -i); leaves a colbench package the machine already had
# alone (the tests skip, saying so).

load helpers

setup_file() {
	export DEB_SKIP=""
	if [[ -n ${COLBENCH_PACKAGE_BUILD:-} ]]; then
		DEB_SKIP="inside make deb's own test step: these tests build and install that package"
	elif grep -qa __asan_init "$COLBENCH"; then
		DEB_SKIP="under ASan: the packages are the plain build's; the plain pass runs these"
	elif [[ $(id -u) -ne 0 ]]; then
		DEB_SKIP="dpkg -i needs root"
	elif dpkg-query -W -f='${Status}' colbench 2>/dev/null | grep -q installed; then
		DEB_SKIP="a colbench package is installed here already: left alone"
	fi
}

setup() {
	colbench_setup
	[[ -z $DEB_SKIP ]] || skip "$DEB_SKIP"
}

teardown_file() {
	# Whatever a failing test left installed, removed.
	[[ -n $DEB_SKIP ]] || dpkg -r colbench-mpi colbench >/dev/null 2>&1 || true
}

@test "make deb: colbench and colbench-mpi, lintian reports no error and no warning" {
	run --separate-stderr env DEB_BUILD_OPTIONS="nocheck parallel=2" make -C "$ROOT" --no-print-directory deb
	[[ $status -eq 0 ]] || fail "make deb: status $status: ${stderr: -3000}"
	local version
	version=$(sed -n '1s/^colbench (\([^)]*\)).*/\1/p' "$ROOT/debian/changelog")
	assert_equal "$version" "$("$COLBENCH" --version | sed -n '1s/^colbench //p')"
	assert_line "build/deb/colbench_${version}_$(dpkg --print-architecture).deb"
	assert_line "build/deb/colbench-mpi_${version}_$(dpkg --print-architecture).deb"
	refute_regex "$output$stderr" $'(^|\n)[EW]: '
}

@test "dpkg -i: colbench, its man page and bash completion work; dpkg -r removes every file" {
	local arch deb files f
	arch=$(dpkg --print-architecture)
	deb=$ROOT/build/deb/colbench_$(sed -n '1s/^colbench (\([^)]*\)).*/\1/p' "$ROOT/debian/changelog")_$arch.deb
	[[ -f $deb ]] || fail "no $deb: the test before builds it"
	run dpkg -i "$deb" "${deb/colbench_/colbench-mpi_}"
	[[ $status -eq 0 ]] || fail "dpkg -i: $output"
	run --separate-stderr /usr/bin/colbench --version
	assert_success
	assert_equal "${lines[1]}" "commit:    $(git -C "$ROOT" describe --always --dirty --tags)"
	run --separate-stderr /usr/bin/colbench --rows 30 --cols 10 --strategy seq --number 1 --repeat 1 --no-limit
	assert_success
	assert_line "The result verified."
	run --separate-stderr /usr/bin/colbench-mpi --list
	assert_success
	assert_line --regexp "^mpi	opt-in	ranks	"
	# A machine whose dpkg leaves man pages out (a slim image's
	# path-exclude) has none to read: then dpkg kept it out, not the package.
	if grep -qs '^path-exclude.*/usr/share/man' /etc/dpkg/dpkg.cfg.d/*; then
		dpkg-deb -c "$deb" | grep -q ' \./usr/share/man/man1/colbench\.1\.gz$' ||
			fail "the package has no man page"
		echo "# dpkg here excludes /usr/share/man: the man page is in the package only" >&3
	else
		run bash -c 'man -P cat colbench 2>/dev/null | head -20'
		assert_output --partial "colbench"
		assert_output --partial "SYNOPSIS"
		run bash -c 'man -P cat colbench-mpi 2>/dev/null | grep -c SYNOPSIS'
		assert_output 1
	fi
	run bash -c 'source /usr/share/bash-completion/completions/colbench
		COMP_WORDS=(colbench --layout ""); COMP_CWORD=2; _colbench; echo "${COMPREPLY[*]}"'
	assert_output "f c"
	files=$(dpkg -L colbench colbench-mpi)
	run dpkg -r colbench-mpi colbench
	[[ $status -eq 0 ]] || fail "dpkg -r: $output"
	for f in $files; do
		[[ -d $f ]] || [[ ! -e $f && ! -L $f ]] || fail "$f is left after dpkg -r"
	done
}
