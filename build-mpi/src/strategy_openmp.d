build-mpi/src/strategy_openmp.o: src/strategy_openmp.c src/strategy.h \
 src/kernels.h src/matrix.h src/status.h src/timing.h
src/strategy.h:
src/kernels.h:
src/matrix.h:
src/status.h:
src/timing.h:
