/*
 * simd_clones.h - SIMD_CLONES: compile a hot loop once per x86-64 vector
 * width (AVX-512, AVX2, baseline SSE2) with GCC's target_clones; the
 * dynamic loader picks the widest the CPU has, so one binary is portable.
 *
 * Elsewhere, and under ThreadSanitizer, the loop is compiled once: TSan
 * instruments the clones' resolver, which the loader runs before the TSan
 * runtime is up, and the binary would crash before main.
 */
#ifndef COLBENCH_SIMD_CLONES_H
#define COLBENCH_SIMD_CLONES_H

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
	!defined(__SANITIZE_THREAD__)
#define SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SIMD_CLONES
#endif

#endif
