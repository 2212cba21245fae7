build-mpi/src/sysinfo.o: src/sysinfo.c src/sysinfo.h
src/sysinfo.h:
