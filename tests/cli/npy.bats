#!/usr/bin/env bats
# .npy files: numpy writes every kind colbench loads and judges every file
# colbench writes (tests/npy/numpy_oracle.py); every malformed file of the
# corpus (tests/npy/corpus, messages in tests/npy/expected.tsv) gets status
# 2 and its one-line message; a save that fails leaves nothing behind.

load helpers

NPY_DIR="$(cd "$BATS_TEST_DIRNAME/../npy" && pwd)"
PYTHON=/usr/bin/python3 # Debian's, with python3-numpy
ORACLE=("$PYTHON" "$NPY_DIR/numpy_oracle.py")
ONCE=(--number 1 --repeat 1 --warmup 0 --no-limit)

setup() {
	colbench_setup
	"$PYTHON" -c 'import numpy' || fail "python3-numpy is missing: run make test-deps"
}

teardown() {
	kill_session # what start_in_session started, if a test failed midway
}

@test "every kind of file numpy writes loads, and its sums are numpy's" {
	"${ORACLE[@]}" write "$BATS_TEST_TMPDIR" >"$BATS_TEST_TMPDIR/names"
	local n=0 name
	while read -r name; do
		# pthread with the default workers: a thread per CPU, at most
		# one per column (row) of the file: 1 x 1 files are among them.
		run --separate-stderr "$COLBENCH" --load "$BATS_TEST_TMPDIR/$name" "${ONCE[@]}" \
			--strategy seq,pthread --sums "$BATS_TEST_TMPDIR/sums.npy"
		[[ $status -eq 0 ]] || fail "$name: status $status: $stderr"
		"${ORACLE[@]}" check-sums "$BATS_TEST_TMPDIR/$name" "$BATS_TEST_TMPDIR/sums.npy" ||
			fail "$name: sums differ from numpy's"
		n=$((n + 1))
	done <"$BATS_TEST_TMPDIR/names"
	((n == 34)) || fail "numpy wrote $n files, expected 34"
}

@test "the header says where a loaded matrix came from; float32 is widened with a note" {
	"${ORACLE[@]}" write "$BATS_TEST_TMPDIR" >/dev/null
	run --separate-stderr "$COLBENCH" --load "$BATS_TEST_TMPDIR/m-F-bef4-v2.npy" "${ONCE[@]}"
	assert_success
	assert_line --regexp "^matrix: +.*/m-F-bef4-v2\\.npy \\(\\.npy 2\\.0, >f4, fortran_order True\\), read in [0-9.]+ s$"
	assert_line --regexp '^ +float32 widened to float64'
	assert_line --regexp '^ +layout f \(column-major\), 0\.00 GB$'
	assert_line "All $(all_results 1) results verified."
}

@test "--layout unlike the file's converts the matrix, timed, and the sums stay numpy's" {
	"${ORACLE[@]}" write "$BATS_TEST_TMPDIR" >/dev/null
	local from to file
	for from in C F; do
		file=$BATS_TEST_TMPDIR/m-$from-lef8-v1.npy
		[[ $from == C ]] && to=f || to=c
		run --separate-stderr "$COLBENCH" --load "$file" --layout "$to" "${ONCE[@]}" \
			--sums "$BATS_TEST_TMPDIR/sums.npy" --save "$BATS_TEST_TMPDIR/conv.npy"
		assert_success
		assert_line --regexp "^ +converted from layout [cf] to $to in [0-9.]+ s \\(numpy's (asfortranarray|ascontiguousarray)\\)$"
		"${ORACLE[@]}" check-sums "$file" "$BATS_TEST_TMPDIR/sums.npy"
		# The saved copy is the same matrix in the other order.
		"$PYTHON" -c "
import numpy as np, sys
a, b = np.load('$file'), np.load('$BATS_TEST_TMPDIR/conv.npy')
sys.exit(not (np.array_equal(a, b) and b.flags.f_contiguous == ('$to' == 'f')))"
	done
}

@test "--mmap maps a little-endian float64 file and says so; other files are refused" {
	"${ORACLE[@]}" write "$BATS_TEST_TMPDIR" >/dev/null
	run --separate-stderr "$COLBENCH" --load "$BATS_TEST_TMPDIR/m-F-lef8-v1.npy" --mmap \
		"${ONCE[@]}" --sums "$BATS_TEST_TMPDIR/sums.npy"
	assert_success
	assert_line --regexp '\), mapped in [0-9.]+ s$'
	assert_line --regexp '^memory: +the file.s pages, mapped \(--mmap\)'
	"${ORACLE[@]}" check-sums "$BATS_TEST_TMPDIR/m-F-lef8-v1.npy" "$BATS_TEST_TMPDIR/sums.npy"
	run --separate-stderr "$COLBENCH" --load "$BATS_TEST_TMPDIR/m-C-bef8-v1.npy" --mmap "${ONCE[@]}"
	assert_one_line_error 2 "m-C-bef8-v1\\.npy: --mmap needs little-endian float64 data .*\\(this file has >f8 at offset [0-9]+\\); load it without --mmap$"
}

@test "--mmap under forkwrite: the workers' writes copy the file's pages, the file stays as it was" {
	# A read-only mapping killed every forkwrite worker with SIGSEGV
	# (status 3); the private mapping copies each page a worker writes.
	local layout w
	for layout in f c; do
		"$COLBENCH" --rows 200 --cols 100 --layout "$layout" --number 1 --repeat 1 --no-limit \
			--strategy seq --save "$BATS_TEST_TMPDIR/$layout.npy" >/dev/null 2>&1
		cp "$BATS_TEST_TMPDIR/$layout.npy" "$BATS_TEST_TMPDIR/$layout-before.npy"
		for w in 1 2; do
			run --separate-stderr "$COLBENCH" --load "$BATS_TEST_TMPDIR/$layout.npy" --mmap \
				--strategy forkwrite,fork --workers "$w" "${ONCE[@]}"
			[[ $status -eq 0 ]] || fail "layout $layout, $w workers: status $status: $stderr"
			assert_line --regexp "^forkwrite +$w +"
		done
		# Sampled: every copy maps the file and forks its writers.
		run --separate-stderr "$COLBENCH" --load "$BATS_TEST_TMPDIR/$layout.npy" --mmap \
			--strategy forkwrite --workers 2 --processes 2 --number 1 --repeat 2 --no-limit
		[[ $status -eq 0 ]] || fail "layout $layout, sampled: status $status: $stderr"
		cmp "$BATS_TEST_TMPDIR/$layout.npy" "$BATS_TEST_TMPDIR/$layout-before.npy" ||
			fail "forkwrite changed the mapped file $layout.npy"
	done
	# colbench's own mapping stays read-only (r--p): each worker makes its
	# block writable in its own process, so no write of the parent's, and
	# no commit charge, comes of it.
	start_in_session --load "$BATS_TEST_TMPDIR/f.npy" --mmap --strategy forkwrite --workers 2 \
		--number 1 --repeat 100000 --warmup 0 --no-limit
	poll_until 30 "the file mapped" grep -q -- "$BATS_TEST_TMPDIR/f.npy" "/proc/$CB_COLBENCH/maps"
	run grep -- "$BATS_TEST_TMPDIR/f.npy" "/proc/$CB_COLBENCH/maps"
	kill_session
	assert_output --regexp ' r--p '
	refute_output --regexp ' rw.p '
}

@test "a saved matrix loads in numpy: shape, order, colbench's values, numpy's own bytes" {
	local shape layout out=$BATS_TEST_TMPDIR/out
	mkdir "$out"
	for shape in 13x7 1x1 1x9 9x1 64x3; do
		for layout in f c; do
			run --separate-stderr "$COLBENCH" --rows "${shape%x*}" --cols "${shape#*x}" \
				--seed 77 --layout "$layout" "${ONCE[@]}" --strategy seq \
				--save "$out/m.npy"
			assert_success
			"${ORACLE[@]}" check-saved "$out/m.npy" 77 "${shape%x*}" "${shape#*x}" "$layout" ||
				fail "$shape layout $layout"
		done
	done
	# Nothing but the file: the temporary file was renamed, not left.
	run ls -A "$out"
	assert_output "m.npy"
}

@test "--sums writes the reference as a 1-D float64 file, as np.save writes it" {
	run --separate-stderr "$COLBENCH" --rows 50 --cols 11 "${ONCE[@]}" --strategy seq \
		--save "$BATS_TEST_TMPDIR/m.npy" --sums "$BATS_TEST_TMPDIR/s.npy"
	assert_success
	"${ORACLE[@]}" check-sums "$BATS_TEST_TMPDIR/m.npy" "$BATS_TEST_TMPDIR/s.npy"
	"$PYTHON" -c "
import io, numpy as np, sys
s = np.load('$BATS_TEST_TMPDIR/s.npy'); buf = io.BytesIO(); np.save(buf, s)
sys.exit(not (s.shape == (11,) and buf.getvalue() == open('$BATS_TEST_TMPDIR/s.npy', 'rb').read()))"
}

@test "every spelling of float64 and float32 numpy reads loads ('<d', '=f8', (4L, 3L)); what numpy refuses is status 2" {
	# numpy judges each hand-written header (tests/npy/numpy_oracle.py
	# spellings); colbench once refused '<d', '=f8' and Python 2's longs.
	"${ORACLE[@]}" spellings "$BATS_TEST_TMPDIR" >"$BATS_TEST_TMPDIR/verdicts"
	local name verdict what loaded=0
	while IFS=$'\t' read -r name verdict what; do
		run --separate-stderr "$COLBENCH" --load "$BATS_TEST_TMPDIR/$name" "${ONCE[@]}" \
			--strategy seq --sums "$BATS_TEST_TMPDIR/sums.npy"
		if [[ $verdict == loads ]]; then
			[[ $status -eq 0 ]] || fail "$what: numpy loads it, colbench: status $status: $stderr"
			"${ORACLE[@]}" check-sums "$BATS_TEST_TMPDIR/$name" "$BATS_TEST_TMPDIR/sums.npy" ||
				fail "$what: sums differ from numpy's"
			loaded=$((loaded + 1))
		else
			assert_one_line_error 2 "^colbench: $BATS_TEST_TMPDIR/$name: (dtype '.*' is not float64 or float32|header is not a valid dict literal: expected '\\)' after the shape)"
		fi
	done <"$BATS_TEST_TMPDIR/verdicts"
	((loaded == 24)) || fail "numpy loaded $loaded of the spellings, expected 24"
}

@test "every malformed file of the corpus: status 2 and its one-line message" {
	local name message n=0
	while IFS=$'\t' read -r name message; do
		[[ $name == \#* ]] && continue
		run --separate-stderr "$COLBENCH" --load "$NPY_DIR/corpus/$name" "${ONCE[@]}"
		assert_one_line_error 2 "^colbench: $NPY_DIR/corpus/$name: ($message)\$"
		n=$((n + 1))
	done <"$NPY_DIR/expected.tsv"
	((n == $(ls "$NPY_DIR/corpus" | wc -l))) || fail "expected.tsv lists $n of the corpus's files"
	((n >= 30))
}

# A sampled run whose copies each take a while (RUNS runs: 4000 take
# about 0.3 s on an idle machine, longer on a busy one), into $OUT/r.json:
# the window in which a test changes the file while copies run.
# start_sampled_load FILE PROCESSES RUNS [ARG...]
start_sampled_load() {
	start_in_session --load "$1" --processes "$2" --number 1 --repeat "$3" --warmup 0 \
		--no-limit --strategy seq --output "$OUT/r.json" "${@:4}"
}

# another_copy PID: true once colbench has a child (a sampled copy) other
# than PID; CB_OTHER is that child.
another_copy() {
	local pid
	for pid in $(pgrep -P "$CB_COLBENCH"); do
		if [[ $pid != "$1" ]]; then
			CB_OTHER=$pid
			return 0
		fi
	done
	return 1
}

# copy_mapped FILE: true once the copy CB_OTHER has mapped FILE (--mmap).
copy_mapped() {
	grep -q -- "$1" "/proc/$CB_OTHER/maps" 2>/dev/null
}

# assert_changed_refused WHEN: colbench ended with status 3, one line saying
# that FILE changed (WHEN: a regex), and wrote no report.
assert_changed_refused() {
	wait_for_exit 60
	assert_equal "$CB_HOW" "exit 3"
	mapfile -t err_lines < <(grep -v '^colbench: warning: ' "$CB_ERR")
	assert_equal "${#err_lines[@]}" 1
	assert_regex "${err_lines[0]}" "^colbench: $OUT/t\\.npy: the file changed while colbench ran \\($1\\)\$"
	[[ ! -e $OUT/r.json ]] || fail "a report was written from two matrices"
	assert_session_empty
}

@test "a --load file replaced or written while sampled copies run: status 3, one line, no report" {
	# Each copy loads the file itself: they once summed two matrices
	# into one report, status 0.
	session_setup
	"$COLBENCH" --rows 200 --cols 100 --save "$OUT/a.npy" "${ONCE[@]}" >/dev/null 2>&1
	"$COLBENCH" --rows 200 --cols 100 --seed 7 --save "$OUT/b.npy" "${ONCE[@]}" >/dev/null 2>&1
	# Replaced under its name, as an editor or np.save through a temporary file does.
	cp "$OUT/a.npy" "$OUT/t.npy"
	start_sampled_load "$OUT/t.npy" 40 4000
	wait_for_child 30
	cp "$OUT/b.npy" "$OUT/new.npy"
	mv "$OUT/new.npy" "$OUT/t.npy"
	assert_changed_refused "replaced by another file, seen by sampled process [0-9]+ of 40"
	# Written in place: same file, new bytes.
	cp "$OUT/a.npy" "$OUT/t.npy"
	start_sampled_load "$OUT/t.npy" 40 4000
	wait_for_child 30
	dd if="$OUT/b.npy" of="$OUT/t.npy" bs=4096 seek=1 skip=1 conv=notrunc status=none
	assert_changed_refused "written to, (seen by sampled process [0-9]+ of 40|while it was read)"
	# After the last copy has mapped it: the sampler looks again before the
	# report.  Copies of some seconds each, so that the second is seen
	# running however fast or busy the machine (with 0.3 s ones, a busy
	# runner's polling saw colbench end first).
	cp "$OUT/a.npy" "$OUT/t.npy"
	start_sampled_load "$OUT/t.npy" 2 100000 --mmap
	wait_for_child 30
	# Deadlines, not waits: on a runner loaded far past its CPUs (make test
	# at 40af195 beside two hogs and two more suites) the first copy took
	# longer than 30 s.
	poll_until 120 "the second copy" another_copy "$CB_CHILD"
	poll_until 120 "the second copy's mapping" copy_mapped "$OUT/t.npy"
	cp "$OUT/b.npy" "$OUT/new.npy"
	mv "$OUT/new.npy" "$OUT/t.npy"
	assert_changed_refused "replaced by another file, seen after the last sampled process"
}

@test "a missing file, a directory, a device or a /proc file: status 2, named" {
	assert_usage_error "^colbench: $BATS_TEST_TMPDIR/none\\.npy: cannot open: No such file or directory$" \
		--load "$BATS_TEST_TMPDIR/none.npy"
	assert_usage_error "^colbench: $BATS_TEST_TMPDIR: not a regular file$" --load "$BATS_TEST_TMPDIR"
	# Not regular files in truth: devices, and /proc's files, whose size
	# is 0 though they read (/proc/self/mem's read fails: once status 3).
	assert_usage_error "^colbench: /dev/zero: not a regular file$" --load /dev/zero
	local f
	for f in /proc/self/mem /proc/self/status /proc/version; do
		assert_usage_error "^colbench: $f: not a \\.npy file \\(no \\\\x93NUMPY magic string\\)$" --load "$f"
	done
}

@test "a file larger than memory is refused at once, with nothing allocated" {
	skip_under_asan "ASan must be the first library loaded, so no LD_PRELOAD shim goes before it"
	# An 8 TB matrix in a sparse file: the header, then a hole.
	"$PYTHON" -c "
import numpy as np
f = open('$BATS_TEST_TMPDIR/huge.npy', 'wb')
np.lib.format.write_array_header_1_0(f, {'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000)})
f.truncate(f.tell() + 8 * 10**12)"
	# Allocating it would fail (status 3) under the shim, not touch memory.
	mmap_shim
	run --separate-stderr timeout 5 env LD_PRELOAD="$CB_SHIM" "$COLBENCH" --load "$BATS_TEST_TMPDIR/huge.npy"
	assert_one_line_error 2 "huge\\.npy: a 1000000 x 1000000 float64 matrix needs 8000\\.00 GB, but only [0-9.]+ GB is available \\((MemAvailable|the memory cgroup's limit, .*)\\)$"
}

@test "--rows, --cols and --seed do not apply with --load; --mmap needs --load" {
	local opt
	for opt in rows cols seed; do
		assert_usage_error "^colbench: --$opt does not apply to a loaded matrix \\(--load\\)" \
			--load x.npy --$opt 5
	done
	assert_usage_error "^colbench: --mmap maps a file given with --load$" --mmap
	assert_usage_error "^colbench: --save: the file name is empty$" --save ''
}

@test "a loaded matrix has as many workers as it has blocks: more is status 2, the default fits" {
	# 3 x 4: layout f splits 4 columns, layout c (converted) 3 rows.
	"$COLBENCH" --rows 3 --cols 4 --strategy seq "${ONCE[@]}" --quiet \
		--save "$BATS_TEST_TMPDIR/m.npy" 2>/dev/null
	assert_usage_error "^colbench: --workers: 5 workers but only 4 columns to split among them \\(layout f\\): use at most 4$" \
		--load "$BATS_TEST_TMPDIR/m.npy" --workers 5 --strategy pthread "${ONCE[@]}"
	assert_usage_error "^colbench: --workers: 4 workers but only 3 rows to split among them \\(layout c\\): use at most 3$" \
		--load "$BATS_TEST_TMPDIR/m.npy" --layout c --workers 2,4 --strategy fork "${ONCE[@]}"
	# One row (a file numpy marks C order: a vector is both): the default,
	# a worker per usable CPU, is lowered to 1.
	"$COLBENCH" --rows 1 --cols 5 --strategy seq "${ONCE[@]}" --quiet \
		--save "$BATS_TEST_TMPDIR/one.npy" 2>/dev/null
	run --separate-stderr "$COLBENCH" --load "$BATS_TEST_TMPDIR/one.npy" \
		--strategy pthread "${ONCE[@]}" --quiet
	assert_success
	assert_regex "$output" '^pthread +1 worker '
}

@test "a save that fails leaves the old file whole and no temporary file" {
	local out=$BATS_TEST_TMPDIR/out
	mkdir "$out"
	printf 'old' >"$out/m.npy"
	# 1 MB of file size allowed, a 3 MB matrix; SIGXFSZ ignored, so write fails.
	run --separate-stderr bash -c "trap '' XFSZ; ulimit -f 1024; exec '$COLBENCH' --rows 1000 --cols 400 ${ONCE[*]} --strategy seq --save '$out/m.npy'"
	assert_one_line_error 3 "^colbench: $out/m\\.npy: cannot write: File too large$"
	assert_only_old_files "$out" m.npy
}

@test "a save into a folder that does not exist: status 2, named" {
	assert_usage_error "^colbench: $BATS_TEST_TMPDIR/no/m\\.npy: cannot create: No such file or directory$" \
		--rows 5 --cols 5 "${ONCE[@]}" --save "$BATS_TEST_TMPDIR/no/m.npy"
}

# nonfinite_npy FILE [overflow]: 300 x 8, layout f, with a NaN in column 1,
# +inf in 2, -inf in 3, both infinities in 4; with "overflow", column 6
# holds 1e308 in every row (finite, but its sum is not).
nonfinite_npy() {
	"$PYTHON" - "$@" <<'PY'
import sys
import numpy as np
a = np.random.default_rng(1).random((300, 8))
a[5, 1] = np.nan
a[7, 2] = np.inf
a[9, 3] = -np.inf
a[3, 4], a[4, 4] = np.inf, -np.inf
if len(sys.argv) > 2:
    a[:, 6] = 1e308
np.save(sys.argv[1], np.asfortranarray(a))
PY
}

@test "a matrix holding NaN and infinities is judged as numpy judges it: every strategy verified, sums numpy's" {
	local f=$BATS_TEST_TMPDIR/nonfinite.npy layout
	nonfinite_npy "$f"
	for layout in f c; do
		run --separate-stderr "$COLBENCH" --load "$f" --layout "$layout" "${ONCE[@]}" \
			--strategy all --workers 2 --sums "$BATS_TEST_TMPDIR/sums.npy"
		[[ $status -eq 0 ]] || fail "layout $layout: status $status (it used to blame the strategy): $stderr"
		"$PYTHON" - "$f" "$BATS_TEST_TMPDIR/sums.npy" <<'PY' || fail "layout $layout: sums differ from numpy's"
import sys, warnings
import numpy as np
warnings.simplefilter('ignore')
want = np.load(sys.argv[1]).sum(axis=0)
got = np.load(sys.argv[2])
assert np.isnan(want[1]) and np.isnan(want[4]) and want[2] == np.inf and want[3] == -np.inf
np.testing.assert_allclose(got, want, rtol=1e-12, equal_nan=True)
PY
	done
}

@test "a matrix whose finite values add up past the float64 range is refused before any work (status 2)" {
	local f=$BATS_TEST_TMPDIR/overflow.npy
	nonfinite_npy "$f" overflow
	run --separate-stderr "$COLBENCH" --load "$f" "${ONCE[@]}" --strategy seq \
		--save "$BATS_TEST_TMPDIR/copy.npy"
	assert_one_line_error 2 "^colbench: $f: column 6 cannot be summed in float64: the magnitudes of its finite values add up past 1\\.8e\\+308"
	[[ ! -e $BATS_TEST_TMPDIR/copy.npy ]] || fail "the matrix was saved before the refusal"
}
