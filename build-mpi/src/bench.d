build-mpi/src/bench.o: src/bench.c src/bench.h src/matrix.h src/status.h \
 src/stats.h src/strategy.h src/kernels.h src/timing.h src/verify.h \
 src/interrupt.h
src/bench.h:
src/matrix.h:
src/status.h:
src/stats.h:
src/strategy.h:
src/kernels.h:
src/timing.h:
src/verify.h:
src/interrupt.h:
