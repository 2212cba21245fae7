#!/bin/sh
# make bench: colbench and the blog's experiment in numpy on the same shape,
# in one run on one machine, then the table of ratios (scripts/bench_table.py).
# Every report lands in results/DATE/ under bench-HOST-DATETIME-*, so runs
# can be compared later.  ROWS and COLS override the blog's 30000 x 10000.
set -eu

rows=${ROWS:-30000}
cols=${COLS:-10000}
# The strategies take turns, in fresh processes (colbench --processes): the
# VM's memory bandwidth wanders by half within a minute, and fork timed in
# one stretch against pthread in the next compared two machines (fork
# 56 ms against pthread's 35 in one run, while each was within 3 ms of the
# other in every run that interleaved them).  PROCESSES, REPEAT and NUMBER
# override the sampling.
processes=${PROCESSES:-3}
repeat=${REPEAT:-5}
number=${NUMBER:-10}
python=/usr/bin/python3

if ! $python -c 'import numpy' 2>/dev/null; then
	sh scripts/apt-install.sh scripts/bench.sh python3-numpy
fi

now=$(date -u +%Y-%m-%dT%H%M%S)
dir="results/${now%%T*}" # the folder of the date in the names (UTC)
mkdir -p "$dir"
stem="$dir/bench-$(hostname -s)-$now"
echo "make bench: $rows x $cols; reports in $stem-*"
for layout in f c; do
	echo "colbench --layout $layout ..."
	./colbench --rows "$rows" --cols "$cols" --layout "$layout" \
		--processes "$processes" --repeat "$repeat" --number "$number" >"$stem-colbench-$layout.txt.tmp"
	mv "$stem-colbench-$layout.txt.tmp" "$stem-colbench-$layout.txt"
done
echo "numpy (scripts/numpy_blog.py) ..."
# glibc keeps freed memory, so numpy's second np.random.rand is fault-free
# (see scripts/numpy_blog.py).
MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=1000000000000 \
	$python scripts/numpy_blog.py --rows "$rows" --cols "$cols" >"$stem-numpy.json.tmp"
mv "$stem-numpy.json.tmp" "$stem-numpy.json"
echo
$python scripts/bench_table.py "$stem-colbench-f.txt" "$stem-colbench-c.txt" \
	"$stem-numpy.json" --markdown "$stem.md"
