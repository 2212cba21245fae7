build-mpi/src/children.o: src/children.c src/children.h src/status.h \
 src/interrupt.h
src/children.h:
src/status.h:
src/interrupt.h:
