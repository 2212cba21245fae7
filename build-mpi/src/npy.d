build-mpi/src/npy.o: src/npy.c src/npy.h src/matrix.h src/status.h \
 src/npy_header.h src/atomic_file.h src/interrupt.h src/strategy.h \
 src/kernels.h src/timing.h
src/npy.h:
src/matrix.h:
src/status.h:
src/npy_header.h:
src/atomic_file.h:
src/interrupt.h:
src/strategy.h:
src/kernels.h:
src/timing.h:
