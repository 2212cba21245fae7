build-mpi/src/main.o: src/main.c src/bench.h src/matrix.h src/status.h \
 src/stats.h src/strategy.h src/kernels.h src/timing.h src/verify.h \
 src/cli.h src/interrupt.h src/limit.h src/npy.h src/npy_header.h \
 src/mpi_run.h src/atomic_file.h src/compare.h src/noise.h src/sysinfo.h \
 src/pin.h src/report.h
src/bench.h:
src/matrix.h:
src/status.h:
src/stats.h:
src/strategy.h:
src/kernels.h:
src/timing.h:
src/verify.h:
src/cli.h:
src/interrupt.h:
src/limit.h:
src/npy.h:
src/npy_header.h:
src/mpi_run.h:
src/atomic_file.h:
src/compare.h:
src/noise.h:
src/sysinfo.h:
src/pin.h:
src/report.h:
