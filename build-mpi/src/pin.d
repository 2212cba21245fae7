build-mpi/src/pin.o: src/pin.c src/pin.h
src/pin.h:
