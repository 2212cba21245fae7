build-mpi/src/timing.o: src/timing.c src/timing.h src/status.h
src/timing.h:
src/status.h:
