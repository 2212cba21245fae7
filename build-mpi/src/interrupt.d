build-mpi/src/interrupt.o: src/interrupt.c src/interrupt.h
src/interrupt.h:
