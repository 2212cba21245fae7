build-mpi/src/matrix.o: src/matrix.c src/matrix.h src/status.h src/pin.h \
 src/sysinfo.h src/threads.h
src/matrix.h:
src/status.h:
src/pin.h:
src/sysinfo.h:
src/threads.h:
