build-mpi/src/verify.o: src/verify.c src/verify.h src/matrix.h \
 src/status.h src/kernels.h src/threads.h
src/verify.h:
src/matrix.h:
src/status.h:
src/kernels.h:
src/threads.h:
