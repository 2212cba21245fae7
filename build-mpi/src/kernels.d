build-mpi/src/kernels.o: src/kernels.c src/kernels.h
src/kernels.h:
