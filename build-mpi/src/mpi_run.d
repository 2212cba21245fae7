build-mpi/src/mpi_run.o: src/mpi_run.c src/mpi_run.h src/cli.h \
 src/kernels.h src/matrix.h src/status.h src/strategy.h \
 /usr/lib/x86_64-linux-gnu/openmpi/include/mpi.h \
 /usr/lib/x86_64-linux-gnu/openmpi/include/mpi_portable_platform.h \
 src/bench.h src/stats.h src/timing.h src/verify.h src/npy.h \
 src/npy_header.h src/pin.h src/report.h src/compare.h src/noise.h \
 src/sysinfo.h
src/mpi_run.h:
src/cli.h:
src/kernels.h:
src/matrix.h:
src/status.h:
src/strategy.h:
/usr/lib/x86_64-linux-gnu/openmpi/include/mpi.h:
/usr/lib/x86_64-linux-gnu/openmpi/include/mpi_portable_platform.h:
src/bench.h:
src/stats.h:
src/timing.h:
src/verify.h:
src/npy.h:
src/npy_header.h:
src/pin.h:
src/report.h:
src/compare.h:
src/noise.h:
src/sysinfo.h:
