build-mpi/src/strategy_fork.o: src/strategy_fork.c src/children.h \
 src/status.h src/strategy.h src/kernels.h src/matrix.h src/timing.h
src/children.h:
src/status.h:
src/strategy.h:
src/kernels.h:
src/matrix.h:
src/timing.h:
