build-mpi/src/atomic_file.o: src/atomic_file.c src/atomic_file.h \
 src/status.h src/interrupt.h
src/atomic_file.h:
src/status.h:
src/interrupt.h:
