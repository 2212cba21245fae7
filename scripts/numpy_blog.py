#!/usr/bin/env python3
"""The blog's experiment in numpy, timed with Python's timeit, for make bench.

Times, on one rows x cols float64 matrix: np.random.rand (twice: cold and
warm memory; once each, it is slow),
np.asfortranarray(A) (once), B.sum(axis=0) on the Fortran-order copy,
A.sum(axis=0) on the C-order original, and the blog's multiprocessing Pool
(sum_multiprocessing, fork start method). Each sum is timed as %timeit
does: autorange to 0.2 s, then REPEAT runs; the best and the mean per-loop
time are kept. Prints one JSON object on stdout.
"""
import argparse
import json
import multiprocessing
import os
import time
import timeit

import numpy as np

data = {}


def sum_col(col_num):
    """The blog's worker: one column's sum, read through copy-on-write."""
    arr = data['arr']
    return np.sum(arr[:, col_num])


def sum_multiprocessing(arr, workers):
    """The blog's Pool, with the worker count made explicit."""
    data['arr'] = arr
    with multiprocessing.get_context('fork').Pool(workers) as p:
        sums = p.map(sum_col, range(arr.shape[1]))
    del data['arr']
    return np.array(sums)


def timeit_like(stmt, repeat):
    """Per-loop best and mean, with %timeit's autorange and repeat."""
    timer = timeit.Timer(stmt)
    number, _ = timer.autorange()
    runs = [t / number for t in timer.repeat(repeat=repeat, number=number)]
    return {'best': min(runs), 'mean': sum(runs) / len(runs), 'loops': number,
            'runs': repeat}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rows', type=int, default=30000)
    parser.add_argument('--cols', type=int, default=10000)
    parser.add_argument('--repeat', type=int, default=7)
    parser.add_argument('--workers', type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()

    # np.random.rand twice: the first call also pays for faulting in fresh
    # memory (on a virtual machine, its host backing it: seconds, and
    # noisy); the second reuses the pages the first one freed, so it times
    # the generator alone, as colbench's "generated in" does.  That needs
    # glibc to keep freed memory (bench.sh sets MALLOC_MMAP_MAX_=0 and a
    # huge MALLOC_TRIM_THRESHOLD_): by default a 2.4 GB array is unmapped
    # when freed and the second call faults it all in again.
    t0 = time.perf_counter()
    a = np.random.rand(args.rows, args.cols)
    rand_cold = time.perf_counter() - t0
    del a
    t0 = time.perf_counter()
    a = np.random.rand(args.rows, args.cols)
    rand = time.perf_counter() - t0
    t0 = time.perf_counter()
    b = np.asfortranarray(a)
    fortran = time.perf_counter() - t0

    # Check before timing: the Pool must agree with numpy.
    assert np.allclose(sum_multiprocessing(b, args.workers), b.sum(axis=0))
    result = {
        'numpy': np.__version__,
        'rows': args.rows, 'cols': args.cols, 'workers': args.workers,
        'rand': rand,
        'rand_cold': rand_cold,
        'asfortranarray': fortran,
        'B.sum(axis=0)': timeit_like(lambda: b.sum(axis=0), args.repeat),
        'A.sum(axis=0)': timeit_like(lambda: a.sum(axis=0), args.repeat),
        'pool': timeit_like(lambda: sum_multiprocessing(b, args.workers), args.repeat),
    }
    print(json.dumps(result, indent=1))


if __name__ == '__main__':
    main()
