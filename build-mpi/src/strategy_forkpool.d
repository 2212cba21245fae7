build-mpi/src/strategy_forkpool.o: src/strategy_forkpool.c src/children.h \
 src/status.h src/strategy.h src/kernels.h src/matrix.h src/timing.h
src/children.h:
src/status.h:
src/strategy.h:
src/kernels.h:
src/matrix.h:
src/timing.h:
