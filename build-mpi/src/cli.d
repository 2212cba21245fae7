build-mpi/src/cli.o: src/cli.c src/cli.h src/kernels.h src/matrix.h \
 src/status.h src/strategy.h src/mpi_run.h src/pin.h
src/cli.h:
src/kernels.h:
src/matrix.h:
src/status.h:
src/strategy.h:
src/mpi_run.h:
src/pin.h:
