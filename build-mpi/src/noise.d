build-mpi/src/noise.o: src/noise.c src/noise.h src/bench.h src/matrix.h \
 src/status.h src/stats.h src/strategy.h src/kernels.h src/timing.h \
 src/verify.h src/sysinfo.h
src/noise.h:
src/bench.h:
src/matrix.h:
src/status.h:
src/stats.h:
src/strategy.h:
src/kernels.h:
src/timing.h:
src/verify.h:
src/sysinfo.h:
