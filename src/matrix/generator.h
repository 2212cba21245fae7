/*
 * generator.h - the matrix's values: a counter-based generator.
 *
 * Element (row, col) of a rows x cols matrix is splitmix64 jumped straight
 * to its logical row-major index i = row * cols + col: the state is
 * key + (i + 1) * golden gamma, mixed by splitmix64's output function, and
 * its top 53 bits make a double uniform in [0, 1).  No element depends on
 * another, so the same seed gives the same matrix in either layout, on any
 * number of threads or MPI ranks, and in any order.
 *
 * That independence also lets the generator compute several elements at
 * once: each vector width the binary carries (AVX-512 with its 64-bit
 * multiply, AVX-512, AVX2, the baseline) fills a small buffer in L1 with
 * the same integer operations lane by lane, and the buffer is streamed out
 * with non-temporal stores (the matrix is far larger than the caches; a
 * normal store would first read every line it writes).  The 53-bit integer
 * becomes a double exactly in every width (two exact halves), so every
 * width gives the very same bits as matrix_element.
 */
#ifndef COLBENCH_GENERATOR_H
#define COLBENCH_GENERATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The key of a seed: mixed, so that nearby seeds are unrelated. */
uint64_t generator_key(uint64_t seed);

/*
 * n elements whose logical indices are first, first + step, ...: a row
 * (step 1) or a column (step cols).  On x86-64 the caller fences
 * (_mm_sfence) after its block, before another thread reads it.
 */
void generator_line(double *out, size_t n, uint64_t key, uint64_t first, uint64_t step);

/*
 * The vector widths, for the tests and the report: how many, the name of
 * each ("avx512dq", "avx512f", "avx2", "baseline"), whether this CPU runs
 * it, the one in use (the widest the CPU runs, unless one was chosen), and
 * choosing one (false when unknown or not runnable here; NULL: the widest).
 */
size_t generator_width_count(void);
const char *generator_width_name(size_t i);
bool generator_width_runs(size_t i);
const char *generator_width(void);
bool generator_use_width(const char *name);

#endif
