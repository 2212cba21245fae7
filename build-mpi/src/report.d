build-mpi/src/report.o: src/report.c src/report.h src/bench.h \
 src/matrix.h src/status.h src/stats.h src/strategy.h src/kernels.h \
 src/timing.h src/verify.h src/cli.h src/compare.h src/noise.h \
 src/sysinfo.h src/npy.h src/npy_header.h src/limit.h
src/report.h:
src/bench.h:
src/matrix.h:
src/status.h:
src/stats.h:
src/strategy.h:
src/kernels.h:
src/timing.h:
src/verify.h:
src/cli.h:
src/compare.h:
src/noise.h:
src/sysinfo.h:
src/npy.h:
src/npy_header.h:
src/limit.h:
