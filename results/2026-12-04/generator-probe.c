/*
 * The generator's cost per double, width by width (results/2026-12-04/
 * generator-probe.md): generator_line into a 16 kB buffer (non-temporal
 * stores, as generation does), 2000 times, best of 15, timed in this
 * thread's CPU time (CLOCK_THREAD_CPUTIME_ID: on a shared machine the
 * wall clock counts other work too).  Build from the repository root:
 *   gcc -O3 -std=c11 -D_GNU_SOURCE -Isrc results/2026-12-04/generator-probe.c \
 *       src/matrix/generator.c -o /tmp/generator-probe && /tmp/generator-probe
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <x86intrin.h>
#include "matrix/generator.h"
static double now(void){struct timespec t;clock_gettime(CLOCK_THREAD_CPUTIME_ID,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
	size_t n = argc>1? strtoul(argv[1],0,0) : 2048; /* 16 kB */
	double *buf = aligned_alloc(64, n*8);
	for (size_t w=0; w<generator_width_count(); w++) {
		if (!generator_width_runs(w)) continue;
		generator_use_width(generator_width_name(w));
		double best=1e9; unsigned long long bc=~0ull;
		for (int r=0;r<15;r++){
			int reps = 2000;
			double t0=now(); unsigned long long c0=__rdtsc();
			for (int k=0;k<reps;k++) generator_line(buf,n,12345,(size_t)k*n,1);
			_mm_sfence();
			unsigned long long c=__rdtsc()-c0; double t=now()-t0;
			if (t<best) best=t; if (c<bc) bc=c;
		}
		printf("%-9s %.3f ns/double  %.2f tsc-cycles/double  %.1f GB/s\n", generator_width_name(w),
		       best/(2000.0*n)*1e9, (double)bc/(2000.0*n), 2000.0*n*8/best/1e9);
	}
	return 0;
}
