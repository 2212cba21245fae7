build-mpi/src/limit.o: src/limit.c src/limit.h src/matrix.h src/status.h \
 src/interrupt.h src/kernels.h src/pin.h src/strategy.h src/threads.h \
 src/timing.h
src/limit.h:
src/matrix.h:
src/status.h:
src/interrupt.h:
src/kernels.h:
src/pin.h:
src/strategy.h:
src/threads.h:
src/timing.h:
