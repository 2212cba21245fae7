build-mpi/src/strategy.o: src/strategy.c src/strategy.h src/kernels.h \
 src/matrix.h src/status.h src/pin.h src/timing.h
src/strategy.h:
src/kernels.h:
src/matrix.h:
src/status.h:
src/pin.h:
src/timing.h:
