build-mpi/src/status.o: src/status.c src/status.h
src/status.h:
