build-mpi/src/compare.o: src/compare.c src/compare.h src/status.h \
 src/atomic_file.h src/stats.h
src/compare.h:
src/status.h:
src/atomic_file.h:
src/stats.h:
