build-mpi/src/strategy_seq.o: src/strategy_seq.c src/pin.h src/strategy.h \
 src/kernels.h src/matrix.h src/status.h
src/pin.h:
src/strategy.h:
src/kernels.h:
src/matrix.h:
src/status.h:
