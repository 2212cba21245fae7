#!/bin/sh
# Install the test tools from Debian's archive when they are missing:
# cmocka (C unit tests), bats with bats-support and bats-assert (command
# line tests), clang and its runtime (the libFuzzer target, ASan, UBSan),
# python3-numpy (numpy writes and judges the .npy test files), and what
# the scripts use: gnuplot-nox, hyperfine, jq, and shellcheck to check them;
# iproute2 and openssh-server for the test hosts (hosts.bats);
# valgrind (memcheck) and libomp-dev (ThreadSanitizer with OpenMP);
# cppcheck and clang-tidy for the static checks; Open MPI for the mpi
# flavour; groff and man for the man page; cmark-gfm for the Markdown report.  Needs root (or sudo) only when something is missing.
set -eu

missing=""
[ -f /usr/include/cmocka.h ] || missing="$missing libcmocka-dev"
command -v bats >/dev/null 2>&1 || missing="$missing bats"
[ -f /usr/lib/bats/bats-support/load.bash ] || missing="$missing bats-support"
[ -f /usr/lib/bats/bats-assert/load.bash ] || missing="$missing bats-assert"
command -v setsid >/dev/null 2>&1 || missing="$missing util-linux"
command -v pgrep >/dev/null 2>&1 || missing="$missing procps"
command -v perl >/dev/null 2>&1 || missing="$missing perl-base"
command -v clang >/dev/null 2>&1 || missing="$missing clang"
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
	[ "$(uname -m)" != x86_64 ] || missing="$missing libclang-rt-14-dev"
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || missing="$missing python3-numpy"
command -v gnuplot >/dev/null 2>&1 || missing="$missing gnuplot-nox"
command -v hyperfine >/dev/null 2>&1 || missing="$missing hyperfine"
command -v jq >/dev/null 2>&1 || missing="$missing jq"
command -v shellcheck >/dev/null 2>&1 || missing="$missing shellcheck"
command -v taskset >/dev/null 2>&1 || missing="$missing util-linux"
command -v mpicc >/dev/null 2>&1 || missing="$missing libopenmpi-dev"
command -v mpirun >/dev/null 2>&1 || missing="$missing openmpi-bin"
command -v valgrind >/dev/null 2>&1 || missing="$missing valgrind"
# The test hosts of the mpi strategy across hosts (scripts/test-hosts.sh):
# network namespaces (ip), each with its own sshd, and the ssh client.
command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
[ -x /usr/sbin/sshd ] || missing="$missing openssh-server"
command -v ssh-keygen >/dev/null 2>&1 || missing="$missing openssh-client"
command -v nsenter >/dev/null 2>&1 || missing="$missing util-linux"
# zsh checks the zsh completion's syntax (completion.bats); make deb's
# tools build and judge the packages (deb.bats).
command -v zsh >/dev/null 2>&1 || missing="$missing zsh"
command -v dpkg-buildpackage >/dev/null 2>&1 || missing="$missing dpkg-dev"
command -v dh >/dev/null 2>&1 || missing="$missing debhelper"
command -v fakeroot >/dev/null 2>&1 || missing="$missing fakeroot"
command -v lintian >/dev/null 2>&1 || missing="$missing lintian"
# make tsan: clang's OpenMP runtime and its Archer tool, which TSan needs.
ls /usr/lib/llvm-*/lib/libarcher.so >/dev/null 2>&1 || missing="$missing libomp-dev"
command -v cppcheck >/dev/null 2>&1 || missing="$missing cppcheck"
command -v clang-tidy >/dev/null 2>&1 || missing="$missing clang-tidy"
# The man page's test renders it; unshare and mount hide sysfs and /proc
# files in the tests of hosts that lack them.
command -v groff >/dev/null 2>&1 || missing="$missing groff-base"
command -v man >/dev/null 2>&1 || missing="$missing man-db"
command -v unshare >/dev/null 2>&1 || missing="$missing util-linux"
command -v mount >/dev/null 2>&1 || missing="$missing mount"
# GitHub's own Markdown renderer (GFM tables): the Markdown report renders.
command -v cmark-gfm >/dev/null 2>&1 || missing="$missing cmark-gfm"

# shellcheck disable=SC2086
sh "$(dirname "$0")/apt-install.sh" "scripts/install-test-deps.sh" $missing
