#!/usr/bin/env bats
# What colbench writes (--save, --sums, --output) never destroys what the
# user owns: each target is checked before any work (a folder that exists,
# and nothing or a regular file there), never replaces a device, FIFO,
# socket or directory, is never the same file as an input or another
# output however its path is spelled, follows a symlink to the file it
# leads to, and keeps an existing file's mode.

load helpers

setup() {
	colbench_setup
	OUT=$BATS_TEST_TMPDIR/files
	mkdir -p "$OUT"
	cd "$OUT" || return 1
}

teardown() {
	unprivileged_cleanup
}

# A short run: it would print a %timeit line if it got that far.
QUICK=(--rows 300 --cols 100 --number 1 --repeat 2 --no-limit --strategy seq)

# refused_before_work REGEX ARG...: status 2, one line matching REGEX, and
# nothing on stdout: the check came before the run.
refused_before_work() {
	local regex=$1
	shift
	run --separate-stderr timeout 20 "$COLBENCH" "${QUICK[@]}" "$@"
	assert_one_line_error 2 "$regex"
}

@test "a device is never replaced: --save, --sums and --output onto a character device are refused before any work" {
	((EUID == 0)) || skip "mknod needs root"
	mknod "$OUT/dev.json" c 1 3 || skip "no mknod here"
	cp -a "$OUT/dev.json" "$OUT/dev.npy"
	refused_before_work "^colbench: $OUT/dev\\.npy: a character device: colbench writes only regular files" \
		--save "$OUT/dev.npy"
	refused_before_work "^colbench: $OUT/dev\\.npy: a character device:" --sums "$OUT/dev.npy"
	refused_before_work "^colbench: $OUT/dev\\.json: a character device:" --output "$OUT/dev.json"
	[[ -c $OUT/dev.npy && -c $OUT/dev.json ]] || fail "a device node was replaced"
	refused_before_work "^colbench: /dev/null: a character device:" --save /dev/null
	[[ -c /dev/null ]] || fail "/dev/null is no longer a device"
}

@test "a FIFO, a socket or a directory at an output's name is refused before any work, and left as it was" {
	mkfifo "$OUT/fifo.npy"
	/usr/bin/python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$OUT/sock.json"
	mkdir "$OUT/dir.csv"
	refused_before_work "^colbench: $OUT/fifo\\.npy: a FIFO: colbench writes only regular files" --save "$OUT/fifo.npy"
	refused_before_work "^colbench: $OUT/sock\\.json: a socket:" --output "$OUT/sock.json"
	refused_before_work "^colbench: $OUT/dir\\.csv: a directory:" --output "$OUT/dir.csv"
	refused_before_work "^colbench: $OUT/dir\\.csv: a directory:" --sums "$OUT/dir.csv"
	[[ -p $OUT/fifo.npy && -S $OUT/sock.json && -d $OUT/dir.csv ]] || fail "a FIFO, socket or folder was replaced"
}

@test "an output into a folder that does not exist is refused before any work (status 2)" {
	refused_before_work "^colbench: $OUT/none/r\\.json: cannot create: No such file or directory$" \
		--output "$OUT/none/r.json"
	refused_before_work "^colbench: $OUT/none/m\\.npy: cannot create: No such file or directory$" \
		--save "$OUT/none/m.npy"
	printf 'old' >"$OUT/file"
	refused_before_work "^colbench: $OUT/file/s\\.npy: cannot create: Not a directory$" \
		--sums "$OUT/file/s.npy"
}

@test "an output that is the input matrix under another spelling, a symlink or a hard link is refused" {
	"$COLBENCH" "${QUICK[@]}" --save "$OUT/m.npy" >/dev/null 2>&1
	mkdir "$OUT/sub"
	ln -s "$OUT/m.npy" "$OUT/link.npy"
	ln "$OUT/m.npy" "$OUT/hard.npy"
	local before
	before=$(sha256sum <"$OUT/m.npy")
	run --separate-stderr "$COLBENCH" --load m.npy --save "./sub/../m.npy"
	assert_one_line_error 2 "^colbench: --save '\\./sub/\\.\\./m\\.npy' is the same file as --load 'm\\.npy': colbench would overwrite its own input$"
	run --separate-stderr "$COLBENCH" --load link.npy --sums "$OUT/m.npy"
	assert_one_line_error 2 "^colbench: --sums '$OUT/m\\.npy' is the same file as --load 'link\\.npy'"
	run --separate-stderr "$COLBENCH" --load hard.npy --save m.npy
	assert_one_line_error 2 "^colbench: --save 'm\\.npy' is the same file as --load 'hard\\.npy'"
	assert_equal "$(sha256sum <"$OUT/m.npy")" "$before"
}

@test "an output that is the baseline, or another output, under another spelling is refused" {
	"$COLBENCH" "${QUICK[@]}" --output "$OUT/base.json" >/dev/null 2>&1
	local before
	before=$(sha256sum <"$OUT/base.json")
	refused_before_work "^colbench: --output '\\./base\\.json' is the same file as --baseline 'base\\.json'" \
		--baseline base.json --output ./base.json
	assert_equal "$(sha256sum <"$OUT/base.json")" "$before"
	# Not there yet, so compared by their resolved folder and name.
	mkdir "$OUT/sub"
	refused_before_work "^colbench: --save 'a\\.npy' and --sums 'sub/\\.\\./a\\.npy' are the same file" \
		--save a.npy --sums sub/../a.npy
	refused_before_work "^colbench: --sums '\\./r\\.csv' and --output '$OUT/r\\.csv' are the same file" \
		--sums ./r.csv --output "$OUT/r.csv"
	[[ ! -e $OUT/a.npy && ! -e $OUT/r.csv ]] || fail "a refused run wrote a file"
}

@test "a symlink is followed: the file it leads to is replaced, the link stays; a dangling one is refused" {
	mkdir "$OUT/real"
	printf 'old' >"$OUT/real/r.json"
	ln -s real/r.json "$OUT/r.json"
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --output "$OUT/r.json"
	assert_success
	[[ -L $OUT/r.json ]] || fail "the symlink was replaced by a file"
	jq -e '.results | length == 1' "$OUT/real/r.json" >/dev/null || fail "the file the link leads to was not written"
	ln -s nowhere.npy "$OUT/dangling.npy"
	refused_before_work "^colbench: $OUT/dangling\\.npy: a symlink that leads nowhere" --save "$OUT/dangling.npy"
	[[ -L $OUT/dangling.npy && ! -e $OUT/nowhere.npy ]] || fail "the dangling link was replaced or followed"
}

@test "a replaced file keeps its mode; a new one gets 0666 less the umask" {
	local f
	for f in m.npy s.npy r.json; do
		printf 'old' >"$OUT/$f"
		chmod 0600 "$OUT/$f"
	done
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --save "$OUT/m.npy" --sums "$OUT/s.npy" \
		--output "$OUT/r.json"
	assert_success
	for f in m.npy s.npy r.json; do
		assert_equal "$f $(stat -c %a "$OUT/$f")" "$f 600"
		[[ $(head -c 3 "$OUT/$f") != old ]] || fail "$f was not written"
	done
	run --separate-stderr bash -c 'umask 027 && exec "$0" "$@"' "$COLBENCH" "${QUICK[@]}" --output "$OUT/new.csv"
	assert_success
	assert_equal "$(stat -c %a "$OUT/new.csv")" 640
}

@test "a read-only output is refused before any work and left as it was, even for root, as cp would refuse it" {
	# The rename needs only the folder's permission: a file made read-only
	# (chmod a-w) was once replaced without a word.
	local f opt
	for f in m.npy s.npy r.json; do
		printf 'old' >"$OUT/$f"
		chmod 0444 "$OUT/$f"
	done
	ln -s m.npy "$OUT/link.npy"
	for opt in "--save m.npy" "--sums s.npy" "--output r.json" "--save link.npy"; do
		f=${opt#* }
		refused_before_work "^colbench: $OUT/${f//./\\.}: read-only \\(mode 0444\\): colbench does not replace a file that may not be written; make it writable or remove it first\$" \
			"${opt%% *}" "$OUT/$f"
	done
	rm "$OUT/link.npy"
	assert_only_old_files "$OUT" m.npy r.json s.npy
	# Another user's file that this user may not write, in a folder it may
	# write (the rename alone would succeed).
	unprivileged_dir
	printf 'old' >"$CB_UDIR/r.json"
	chmod 0644 "$CB_UDIR/r.json"
	if ((EUID == 0)); then
		run --separate-stderr as_unprivileged "$CB_UCOLBENCH" "${QUICK[@]}" --output "$CB_UDIR/r.json"
		assert_one_line_error 2 "^colbench: $CB_UDIR/r\\.json: read-only \\(mode 0644\\): "
		assert_equal "$(cat "$CB_UDIR/r.json")" old
	fi
}

@test "another user's file in a sticky folder (/tmp) is refused before any work, since the rename would fail" {
	# Such a rename once failed only after the whole run.
	((EUID == 0)) || skip "needs root, to own a file the test user cannot replace"
	unprivileged_dir
	local sticky=$CB_UDIR/sticky
	mkdir "$sticky"
	chmod 1777 "$sticky"
	printf 'old' >"$sticky/r.json"
	chmod 0666 "$sticky/r.json" # writable by all: only the sticky bit stops the rename
	run --separate-stderr as_unprivileged "$CB_UCOLBENCH" "${QUICK[@]}" --output "$sticky/r.json"
	assert_one_line_error 3 "^colbench: $sticky/r\\.json: cannot rename into place: Operation not permitted \\(a sticky folder: only the file's owner, uid 0, or the folder's may replace it\\)\$"
	assert_only_old_files "$sticky" r.json
	# The user's own file there is replaced as usual.
	as_unprivileged sh -c 'printf old >"$1"' sh "$sticky/mine.json"
	run --separate-stderr as_unprivileged "$CB_UCOLBENCH" "${QUICK[@]}" --output "$sticky/mine.json"
	assert_success
	[[ $(head -c 3 "$sticky/mine.json") != old ]] || fail "the user's own file was not written"
}

@test "a name ending in '/', or in a file system that takes no files (/proc), is refused before any work" {
	refused_before_work "^colbench: $OUT/m\\.npy/: names a folder \\(it ends in '/' or is empty\\): an output is a file$" \
		--save "$OUT/m.npy/"
	refused_before_work "^colbench: $OUT/: names a folder" --sums "$OUT/"
	# /proc takes no new file, even from root: found out now, not after the run.
	run --separate-stderr timeout 20 "$COLBENCH" "${QUICK[@]}" --output /proc/colbench-test.json
	[[ $status -eq 2 || $status -eq 3 ]] || fail "status $status: $stderr"
	assert_equal "$output" ""
	assert_regex "${stderr_lines[0]}" '^colbench: /proc/colbench-test\.json: cannot create: '
}

@test "a report on stdout that cannot be written names why, in every format (the first write's reason, kept)" {
	local format
	for format in json csv markdown text; do
		run --separate-stderr bash -c "'$COLBENCH' --rows 200 --cols 100 --number 1 --repeat 3 \
			--no-limit -q -P 1 --format $format >/dev/full"
		assert_failure 3
		assert_equal "${stderr_lines[-1]}" "colbench: cannot write the report: No space left on device"
	done
}
