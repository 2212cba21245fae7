#!/usr/bin/env bats
# The mpi strategy, under mpirun: the MPI build of colbench (make MPI=1
# mpi-binary, which make test runs first) in 2 and 3 ranks on this machine,
# results verified, only rank 0 printing, and the gathered reference the
# very same as a single process's.

load helpers

MPI_COLBENCH=$ROOT/build-mpi/colbench
ORACLE=(/usr/bin/python3 "$ROOT/tests/npy/numpy_oracle.py")

setup() {
	colbench_setup
	[[ -x $MPI_COLBENCH ]] || fail "no $MPI_COLBENCH: run make MPI=1 mpi-binary"
	# Open MPI refuses root unless told twice; CI runs as root.
	export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
	# More ranks than the 2 CPUs, and no other host to look for.
	MPIRUN=(timeout 120 mpirun --oversubscribe --mca btl self,vader)
}

@test "2 and 3 ranks: one verified %timeit line from rank 0 alone" {
	skip_under_asan "the mpi flavour (make MPI=1) is built without sanitizers: the plain pass ran this"
	local np
	for np in 2 3; do
		run --separate-stderr "${MPIRUN[@]}" -np "$np" "$MPI_COLBENCH" --strategy mpi \
			--rows 3000 --cols 1000 --repeat 3
		[[ $status -eq 0 ]] || fail "np $np: status $status: $stderr"
		assert_no_errors
		collect_timeit_lines
		assert_equal "${#timeit_lines[@]}" 1
		assert_regex "${timeit_lines[0]}" "^mpi +$np workers +[0-9.]+ (s|ms|µs|ns) ± "
		assert_equal "$(grep -c '^colbench ' <<<"$output")" 1 # one header: rank 0's
		assert_line --regexp "^mpi: +$np ranks on 1 host \\([^:]+: rank 0(, [0-9])+\\), each generating and summing its own columns"
		assert_line "The result verified."
	done
}

@test "the ranks' gathered reference is a single process's, byte for byte" {
	skip_under_asan "the mpi flavour (make MPI=1) is built without sanitizers: the plain pass ran this"
	local np
	"$COLBENCH" --rows 777 --cols 301 --seed 9 --strategy seq --number 1 --repeat 1 \
		--no-limit --quiet --sums "$BATS_TEST_TMPDIR/one.npy" 2>/dev/null
	for np in 2 3; do
		run --separate-stderr "${MPIRUN[@]}" -np "$np" "$MPI_COLBENCH" --strategy mpi \
			--rows 777 --cols 301 --seed 9 --layout c --number 1 --repeat 2 \
			--sums "$BATS_TEST_TMPDIR/mpi$np.npy"
		assert_success
		cmp "$BATS_TEST_TMPDIR/one.npy" "$BATS_TEST_TMPDIR/mpi$np.npy"
	done
}

@test "more ranks than columns: status 2, said once" {
	skip_under_asan "the mpi flavour (make MPI=1) is built without sanitizers: the plain pass ran this"
	run --separate-stderr "${MPIRUN[@]}" -np 3 "$MPI_COLBENCH" --strategy mpi --rows 10 --cols 2
	assert_failure 2
	assert_equal "$(grep -c '^colbench: ' <<<"$stderr")" 1
	assert_regex "$stderr" "colbench: rank 0 of 3 has no column: use at most 2 ranks"
}

@test "without MPI, --strategy mpi says how to get it; mpi runs alone" {
	assert_usage_error "^colbench: --strategy mpi needs colbench built with Open MPI: apt-get install openmpi-bin libopenmpi-dev, then make MPI=1$" --strategy mpi
	run --separate-stderr "$MPI_COLBENCH" --strategy mpi,seq
	assert_one_line_error 2 "^colbench: --strategy mpi runs alone \\(under mpirun\\), not with other strategies$"
	run --separate-stderr "$MPI_COLBENCH" --strategy mpi --workers 2
	assert_one_line_error 2 "^colbench: --workers does not apply to --strategy mpi: it runs one process per rank \\(mpirun -np N\\)$"
}

@test "--load under mpi: each rank reads its own columns; the sums are numpy's" {
	skip_under_asan "the mpi flavour (make MPI=1) is built without sanitizers: the plain pass ran this"
	"${ORACLE[@]}" write "$BATS_TEST_TMPDIR" >/dev/null
	local name
	for name in m-C-lef8-v1 m-F-bef4-v2 m-C-bef4-v3 odd-13x17-F; do
		run --separate-stderr "${MPIRUN[@]}" -np 2 "$MPI_COLBENCH" --strategy mpi \
			--load "$BATS_TEST_TMPDIR/$name.npy" --number 1 --repeat 2 \
			--sums "$BATS_TEST_TMPDIR/sums.npy"
		[[ $status -eq 0 ]] || fail "$name: status $status: $stderr"
		assert_line "The result verified."
		"${ORACLE[@]}" check-sums "$BATS_TEST_TMPDIR/$name.npy" "$BATS_TEST_TMPDIR/sums.npy" ||
			fail "$name: the gathered sums differ from numpy's"
	done
}
