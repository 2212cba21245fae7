build-mpi/src/npy_header.o: src/npy_header.c src/npy_header.h \
 src/status.h
src/npy_header.h:
src/status.h:
