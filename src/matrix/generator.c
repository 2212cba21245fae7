/*
 * generator.c - the matrix's values (see generator.h).
 */
#include "matrix/generator.h"

#include <stdatomic.h>
#include <string.h>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "matrix/matrix.h"

#define GOLDEN_GAMMA 0x9e3779b97f4a7c15u
#define BUFFER 64 /* doubles a vector fill makes at a time: 512 bytes, in L1 */

/* splitmix64's output function: a bijective mix of 64 bits. */
static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* 53 random bits as a double uniform in [0, 1). */
static inline double unit_double(uint64_t bits)
{
	return (double)(int64_t)(bits >> 11) * 0x1.0p-53;
}

uint64_t generator_key(uint64_t seed)
{
	return mix64(seed ^ 0x6a09e667f3bcc909u);
}

double matrix_element(uint64_t seed, size_t row, size_t col, size_t cols)
{
	uint64_t index = (uint64_t)row * cols + col;

	return unit_double(mix64(generator_key(seed) + (index + 1) * GOLDEN_GAMMA));
}

/* The double whose bits are b. */
static inline double bits_double(uint64_t b)
{
	double d;

	memcpy(&d, &b, sizeof(d));
	return d;
}

/*
 * unit_double without the int64-to-double conversion, which AVX2 and
 * AVX-512F lack: the 53 bits split in halves of 27 and 26 bits, each
 * placed in the mantissa of 2^52 and the 2^52 subtracted (exact), then
 * recombined (exact: the sum has 53 bits).  Equal to unit_double's for
 * every input.
 */
static inline double unit_double_exact(uint64_t bits)
{
	uint64_t x = bits >> 11;
	double hi = bits_double((x >> 26) | 0x4330000000000000u) - 0x1.0p52;
	double lo = bits_double((x & 0x3ffffffu) | 0x4330000000000000u) - 0x1.0p52;

	return (hi * 0x1.0p26 + lo) * 0x1.0p-53;
}

/*
 * n elements from state, stride apart: the loop every width compiles.  The
 * state steps by an addition, which the compiler keeps as a vector of
 * states stepped by lanes x stride: written as state + i * stride it was
 * a third 64-bit multiply per element (vpmullq, 3 uops on Intel's port 0
 * alone; on the AVX2 and AVX-512F widths 3 more vpmuludq): 21-28% fewer
 * cycles per double measured on a Zen 4 and modelled (llvm-mca) for Ice
 * Lake/Sapphire Rapids (results/2026-12-04/generator-probe.md).
 * converts: the width converts 64-bit integers to doubles itself.
 */
static inline __attribute__((always_inline)) void fill(double *restrict buf, size_t n,
						       uint64_t state, uint64_t stride,
						       bool converts)
{
	for (size_t i = 0; i < n; i++, state += stride)
		buf[i] = converts ? unit_double(mix64(state)) : unit_double_exact(mix64(state));
}

typedef void (*fill_fn)(double *restrict, size_t, uint64_t, uint64_t);

static void fill_baseline(double *restrict buf, size_t n, uint64_t state, uint64_t stride)
{
	fill(buf, n, state, stride, false);
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) static void fill_avx2(double *restrict buf, size_t n,
						      uint64_t state, uint64_t stride)
{
	fill(buf, n, state, stride, false);
}

__attribute__((target("avx512f"))) static void fill_avx512f(double *restrict buf, size_t n,
							    uint64_t state, uint64_t stride)
{
	fill(buf, n, state, stride, false);
}

/*
 * AVX-512DQ converts 64-bit integers to doubles itself (vcvtqq2pd), exact
 * for 53 bits: unit_double as it is, without unit_double_exact's halves
 * (the same bits; a quarter fewer instructions in the loop).
 */
__attribute__((target("avx512f,avx512dq"))) static void fill_avx512dq(double *restrict buf,
								     size_t n, uint64_t state,
								     uint64_t stride)
{
	fill(buf, n, state, stride, true);
}

static bool runs_avx2(void)
{
	return __builtin_cpu_supports("avx2");
}

static bool runs_avx512f(void)
{
	return __builtin_cpu_supports("avx512f");
}

static bool runs_avx512dq(void)
{
	return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
}
#endif

static bool runs_always(void)
{
	return true;
}

/* Widest first. */
static const struct width {
	const char *name;
	fill_fn fill;
	bool (*runs)(void);
} widths[] = {
#if defined(__x86_64__) && defined(__GNUC__)
	{ "avx512dq", fill_avx512dq, runs_avx512dq },
	{ "avx512f", fill_avx512f, runs_avx512f },
	{ "avx2", fill_avx2, runs_avx2 },
#endif
	{ "baseline", fill_baseline, runs_always },
};

#define WIDTHS (sizeof(widths) / sizeof(widths[0]))

/* NULL: the widest this CPU runs, found on first use.  Atomic: the
 * generator's threads may each find it first (the same answer). */
static _Atomic(const struct width *) chosen;

static const struct width *width_in_use(void)
{
	const struct width *w = atomic_load_explicit(&chosen, memory_order_relaxed);

	for (size_t i = 0; !w && i < WIDTHS; i++)
		if (widths[i].runs())
			w = &widths[i];
	atomic_store_explicit(&chosen, w, memory_order_relaxed);
	return w;
}

size_t generator_width_count(void)
{
	return WIDTHS;
}

const char *generator_width_name(size_t i)
{
	return i < WIDTHS ? widths[i].name : NULL;
}

bool generator_width_runs(size_t i)
{
	return i < WIDTHS && widths[i].runs();
}

const char *generator_width(void)
{
	return width_in_use()->name;
}

bool generator_use_width(const char *name)
{
	if (!name) {
		atomic_store_explicit(&chosen, NULL, memory_order_relaxed);
		return true;
	}
	for (size_t i = 0; i < WIDTHS; i++)
		if (strcmp(widths[i].name, name) == 0 && widths[i].runs()) {
			atomic_store_explicit(&chosen, &widths[i], memory_order_relaxed);
			return true;
		}
	return false;
}

void generator_line(double *out, size_t n, uint64_t key, uint64_t first, uint64_t step)
{
	fill_fn fill_width = width_in_use()->fill;
	uint64_t state = key + (first + 1) * GOLDEN_GAMMA;
	uint64_t stride = step * GOLDEN_GAMMA;
	size_t i = 0;

#if defined(__x86_64__)
	double buf[BUFFER] __attribute__((aligned(64)));

	for (; i < n && ((uintptr_t)(out + i) & 15) != 0; i++, state += stride)
		out[i] = unit_double(mix64(state)); /* to 16 bytes, for the streamed stores */
	while (n - i >= 2) {
		size_t k = n - i >= BUFFER ? BUFFER : (n - i) & ~(size_t)1;

		fill_width(buf, k, state, stride);
		for (size_t j = 0; j < k; j += 2)
			_mm_stream_pd(out + i + j, _mm_load_pd(buf + j));
		i += k;
		state += (uint64_t)k * stride;
	}
#else
	fill_width(out, n, state, stride);
	i = n;
#endif
	for (; i < n; i++, state += stride)
		out[i] = unit_double(mix64(state));
}
