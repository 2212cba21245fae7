build-mpi/src/threads.o: src/threads.c src/threads.h src/status.h
src/threads.h:
src/status.h:
