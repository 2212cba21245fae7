#!/usr/bin/env bats
# Command-line usage: --help, --version, and every kind of bad input, which
# must give status 2, nothing on stdout and one "colbench: " line on stderr.

load helpers

setup() {
	colbench_setup
}

# --- --help and --version -------------------------------------------------

@test "--help exits 0, prints on stdout only, and names every long option" {
	run --separate-stderr "$COLBENCH" --help
	assert_success
	assert_no_errors
	assert_regex "${lines[0]}" '^Usage: colbench '
	local opt
	for opt in rows cols layout seed strategy workers number repeat warmup quiet help version; do
		assert_regex "$output" "(^|[ ,])--$opt( |$)"
	done
}

@test "--help documents the exit statuses 0 1 2 3 129 130 143 and 128 + N" {
	run --separate-stderr "$COLBENCH" --help
	assert_success
	# Everything after the "Exit status" heading, on one line.
	local tail=${output#*Exit status}
	[[ $tail != "$output" ]] || fail "--help has no 'Exit status' section"
	tail=${tail//$'\n'/ }
	local code
	for code in 0 1 2 3 129 130 143; do
		assert_regex "$tail" "(^|[^0-9])$code([^0-9]|$)"
	done
	assert_regex "$tail" "128 \\+ N"
}

@test "-h is --help" {
	run --separate-stderr "$COLBENCH" --help
	local long=$output
	run --separate-stderr "$COLBENCH" -h
	assert_success
	assert_equal "$output" "$long"
}

@test "--help wins over a bad value given after it" {
	run --separate-stderr "$COLBENCH" --help --rows 0
	assert_success
	assert_regex "${lines[0]}" '^Usage: colbench '
}

@test "--version says the version, the build's commit, compiler and flags, and the widths taken here" {
	run --separate-stderr "$COLBENCH" --version
	assert_success
	assert_no_errors
	assert_equal "${#lines[@]}" 4
	assert_regex "${lines[0]}" '^colbench [0-9]+\.[0-9]+\.[0-9]+$'
	# The commit git describe gave at build time (this is a clone), or unknown.
	local commit
	commit=$(git -C "$ROOT" describe --always --dirty --tags 2>/dev/null || echo unknown)
	assert_equal "${lines[1]}" "commit:    $commit"
	assert_regex "${lines[2]}" '^compiler:  (gcc|clang) [0-9][^,]*, CFLAGS .+$'
	assert_regex "${lines[3]}" '^kernels:   simd in (avx512f|avx2|sse2|portable C) on this CPU; the generator in [a-z0-9 ]+$'
	# The JSON report carries the same build.
	run --separate-stderr "$COLBENCH" --rows 20 --cols 5 --strategy seq --number 1 --repeat 1 \
		--no-limit --format json
	assert_success
	assert_equal "$(jq -r .build.commit <<<"$output")" "$commit"
	assert_regex "$(jq -r '"\(.build.version) \(.build.compiler) \(.build.simd) \(.build.generator)"' <<<"$output")" \
		'^[0-9.]+ (gcc|clang) [a-z0-9 ]+ [a-z0-9 ]+$'
}

@test "-V is --version, and the header of a run names the same version" {
	run --separate-stderr "$COLBENCH" -V
	assert_success
	assert_regex "${lines[0]}" '^colbench [0-9]+\.[0-9]+\.[0-9]+$'
	local version=${lines[0]#colbench }
	run --separate-stderr "$COLBENCH" --rows 2 --cols 2 --strategy seq --number 1 --repeat 1
	assert_success
	assert_regex "${lines[0]}" "^colbench ${version//./\\.}: "
}

@test "compare says when two reports come from different builds" {
	"$COLBENCH" --rows 300 --cols 100 --strategy seq --number 5 --repeat 2 --processes 3 \
		--no-limit -q -o "$BATS_TEST_TMPDIR/new.json" >/dev/null
	jq '.build.commit = "v0.0.9-old"' "$BATS_TEST_TMPDIR/new.json" >"$BATS_TEST_TMPDIR/old.json"
	run --separate-stderr "$COLBENCH" compare "$BATS_TEST_TMPDIR/old.json" "$BATS_TEST_TMPDIR/new.json"
	assert_regex "$stderr" "colbench: note: the reports come from different builds: v0\.0\.9-old \(baseline\), [^ ]+ \(now\)"
	run --separate-stderr "$COLBENCH" compare "$BATS_TEST_TMPDIR/new.json" "$BATS_TEST_TMPDIR/new.json"
	refute_regex "$stderr" "different builds"
}

# --- Options and arguments ------------------------------------------------

@test "unknown long option --frobnicate" {
	assert_usage_error "frobnicate" --frobnicate
}

@test "unknown short option -Z" {
	assert_usage_error "-Z" -Z
}

@test "unknown option among good ones still refuses to run" {
	assert_usage_error "bogus-option" --rows 3 --cols 3 --bogus-option --number 1
}

@test "--rows with no value" {
	assert_usage_error "rows.*(value|argument)" --rows
}

@test "-n (short, needs a value) with no value" {
	assert_usage_error "-n.*(value|argument)" -n
}

@test "an unexpected positional argument" {
	assert_usage_error "extra" --rows 3 extra
}

@test "a positional argument after -- is still refused" {
	assert_usage_error "'5'" --rows 3 -- 5
}

@test "a flag given a value (--quiet=1) is one clean error line" {
	assert_usage_error "quiet" --quiet=1
}

@test "--help=x is one clean error line" {
	# getopt_long reports an unexpected value for a long flag with '?' and
	# optopt set to the option's code (256 + index); printed with %c that
	# code becomes a control character: for --help it is a newline.
	assert_usage_error "help" --help=x
}

@test "--version=x is one clean error line" {
	assert_usage_error "version" --version=x
}

# --- Integer values ---------------------------------------------------------

@test "--rows and --cols refuse 0, -5, abc, 1.5, '', 12abc, ' 5', +5" {
	local opt value
	for opt in rows cols; do
		for value in 0 -5 abc 1.5 '' 12abc ' 5' +5; do
			assert_usage_error "^colbench: --$opt: " "--$opt" "$value"
		done
	done
}

@test "--rows and --cols 99999999999999999999999 (over 2^64) are refused, naming the value" {
	assert_usage_error "^colbench: --rows: .*99999999999999999999999" --rows 99999999999999999999999
	assert_usage_error "^colbench: --cols: .*99999999999999999999999" --cols 99999999999999999999999
}

@test "--rows and --cols accept a leading zero" {
	run --separate-stderr "$COLBENCH" --rows 007 --cols 02 --strategy seq --number 1 --repeat 1
	assert_success
	assert_regex "${lines[0]}" ' 7 x 2 float64 matrix$'
}

@test "--workers refuses 0, '1,,2', '2,', ',2', x, '' and 1025" {
	local value
	for value in 0 1,,2 2, ,2 x '' 1025; do
		assert_usage_error "^colbench: --workers: " --workers "$value"
	done
}

@test "--workers refuses more than 64 counts" {
	local list
	list=$(seq -s, 1 65)
	assert_usage_error "^colbench: --workers: " --workers "$list"
}

@test "--number 0, --repeat 0 and --warmup -1 are refused" {
	assert_usage_error "^colbench: --number: " --number 0
	assert_usage_error "^colbench: --repeat: " --repeat 0
	assert_usage_error "^colbench: --warmup: " --warmup -1
}

@test "--seed takes 0 and 2^64-1 but not 2^64" {
	run --separate-stderr "$COLBENCH" --seed 0 --rows 2 --cols 2 --strategy seq --number 1 --repeat 1 --quiet
	assert_success
	run --separate-stderr "$COLBENCH" --seed 18446744073709551615 --rows 2 --cols 2 --strategy seq --number 1 --repeat 1 --quiet
	assert_success
	assert_usage_error "^colbench: --seed: .*18446744073709551616" --seed 18446744073709551616
}

# --- Layouts and strategies ---------------------------------------------------

@test "--layout x is refused" {
	assert_usage_error "^colbench: --layout: .*'x'" --layout x
	assert_usage_error "^colbench: --layout: " --layout ''
}

@test "--strategy seq,bogus is refused and names 'bogus'" {
	assert_usage_error "^colbench: --strategy: .*'bogus'" --strategy seq,bogus
}

@test "an unknown strategy's message lists the known ones" {
	assert_usage_error "seq.*fork.*pthread" --strategy nope
}

@test "--strategy refuses '', 'seq,' and 'seq,,fork'" {
	local value
	for value in '' seq, seq,,fork; do
		assert_usage_error "^colbench: --strategy: " --strategy "$value"
	done
}

@test "what the user typed is echoed escaped: a newline or an ANSI escape cannot split or recolour the line" {
	assert_usage_error "^colbench: --strategy: unknown strategy 'se\\\\nq' " --strategy $'se\nq'
	assert_usage_error "^colbench: --kernel: unknown kernel '\\\\x1b\\[31mred\\\\x1b\\[0m' " \
		--kernel $'\e[31mred\e[0m'
	assert_usage_error "^colbench: a\\\\tb\\\\rc\\\\x7f: cannot open" --load $'a\tb\rc\x7f'
	assert_usage_error "^colbench: unexpected argument 'x\\\\ny' " $'x\ny'
	[[ $stderr != *$'\e'* ]] || fail "a raw escape reached stderr"
}

# --- Sizes ------------------------------------------------------------------

@test "rows x cols x 8 overflowing size_t is refused as an overflow" {
	assert_usage_error "overflow" --rows 4294967296 --cols 4294967296
	# rows x cols fits in 64 bits, times 8 bytes does not.
	assert_usage_error "overflow" --rows 2147483648 --cols 2147483648
}

@test "the usage error line ends with a newline and is the only output" {
	"$COLBENCH" --frobnicate >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || true
	[[ ! -s $BATS_TEST_TMPDIR/out ]] || fail "stdout is not empty"
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/err")" 1
	assert_equal "$(tail -c 1 "$BATS_TEST_TMPDIR/err" | od -An -c | tr -d ' ')" '\n'
}

# --- Abbreviations and output errors -----------------------------------------

@test "an ambiguous abbreviation names the options it could be" {
	run --separate-stderr "$COLBENCH" --r 5
	assert_failure 2
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "$stderr" "colbench: ambiguous option '--r': it could be --rows or --repeat"
}

@test "an unambiguous abbreviation is accepted" {
	run --separate-stderr "$COLBENCH" --ro 7 --co 5 --num 1 --rep 1 --strat seq --qui
	assert_success
	assert_equal "${#lines[@]}" 1
	[[ ${lines[0]} =~ $TIMEIT_RE ]]
}

@test "a report that cannot be written is status 3, not success" {
	run --separate-stderr bash -c "'$COLBENCH' --rows 10 --cols 10 --number 1 --repeat 1 >/dev/full"
	assert_failure 3
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "$stderr" "^colbench: cannot write the report: No space left on device$"
	run --separate-stderr bash -c "'$COLBENCH' --help >/dev/full"
	assert_failure 3
}

@test "a closed pipe is status 3 with one line, not a silent SIGPIPE death" {
	run --separate-stderr bash -c "'$COLBENCH' --rows 10 --cols 10 --number 1 --repeat 1 | (exec 0<&-; true); exit \${PIPESTATUS[0]}"
	assert_failure 3
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "$stderr" "^colbench: cannot write the report: Broken pipe$"
}

@test "the man page renders without a warning and documents every option --help lists" {
	local page=$BATS_TEST_DIRNAME/../../colbench.1 opt
	run groff -man -ww -z "$page"
	assert_success
	assert_output ""
	run env MANWIDTH=100 man --no-hyphenation --no-justification "$page"
	assert_success
	local text=$output
	run "$COLBENCH" --help
	assert_success
	for opt in $(grep -oE -- '--[a-z][a-z-]+' <<<"$output" | sort -u); do
		[[ $text == *"$opt"* ]] || fail "the man page does not document $opt"
	done
}

@test "make install puts colbench and its man page under PREFIX" {
	local dest=$BATS_TEST_TMPDIR/dest
	run make -C "$BATS_TEST_DIRNAME/../.." --no-print-directory install DESTDIR="$dest" PREFIX=/usr
	assert_success
	[[ -x $dest/usr/bin/colbench ]] || fail "no $dest/usr/bin/colbench"
	[[ -f $dest/usr/share/man/man1/colbench.1 ]] || fail "no man page installed"
}

@test "an OMP_* value libgomp refuses is one colbench line and status 2, not libgomp's own lines before it" {
	local setting
	for setting in OMP_NUM_THREADS=0 OMP_NUM_THREADS=abc OMP_NUM_THREADS=-1 OMP_PLACES=bogus \
		OMP_PROC_BIND=maybe OMP_WAIT_POLICY=sometimes OMP_STACKSIZE=zz; do
		run --separate-stderr env "$setting" "$COLBENCH" --rows 10 --cols 10 --number 1 --repeat 1
		assert_one_line_error 2 "^colbench: the OpenMP runtime \\(libgomp\\) refuses ${setting%%=*}='${setting#*=}': set it to a value it takes, or unset it "
	done
	# GCC 12's libgomp misspells GOMP_CPU_AFFINITY's line ("enviroment");
	# its other words come in brackets, or alone where it names nothing.
	run --separate-stderr env GOMP_CPU_AFFINITY=zz "$COLBENCH" --rows 10 --cols 10 --number 1 --repeat 1
	assert_one_line_error 2 "^colbench: the OpenMP runtime \\(libgomp\\) refuses GOMP_CPU_AFFINITY='zz': "
	run --separate-stderr env 'OMP_PLACES={99999}' "$COLBENCH" -V
	assert_one_line_error 2 "refuses OMP_PLACES='\\{99999\\}' \\(Logical CPU number 99999 out of range\\): set it "
	run --separate-stderr env 'OMP_PLACES=cores(0)' "$COLBENCH" -V
	assert_one_line_error 2 "^colbench: the OpenMP runtime \\(libgomp\\) refuses the environment \\(.+\\): check the OMP_\\* and GOMP_\\* variables "
	# Two at once are named in one line; a control character in one, escaped.
	run --separate-stderr env OMP_PLACES=bogus OMP_NUM_THREADS=$'2\e[31m' "$COLBENCH" -V
	assert_one_line_error 2 "refuses .*OMP_NUM_THREADS='2\\\\x1b\\[31m'.*: set them to values it takes, or unset them "
	assert_regex "$stderr" "OMP_PLACES='bogus'"
	# Values it takes change nothing, and what libgomp is asked to show still shows.
	run --separate-stderr env OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive OMP_PLACES=cores "$COLBENCH" -V
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr env OMP_DISPLAY_ENV=true "$COLBENCH" -V
	assert_success
	assert_regex "$stderr" 'OPENMP DISPLAY ENVIRONMENT BEGIN'
	# With stderr closed at start, colbench still runs.
	run bash -c "'$COLBENCH' -V 2>&-"
	assert_success
	assert_line --index 0 --regexp '^colbench [0-9.]+$'
}
