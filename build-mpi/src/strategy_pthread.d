build-mpi/src/strategy_pthread.o: src/strategy_pthread.c src/strategy.h \
 src/kernels.h src/matrix.h src/status.h src/timing.h src/threads.h
src/strategy.h:
src/kernels.h:
src/matrix.h:
src/status.h:
src/timing.h:
src/threads.h:
