build-mpi/src/report_json.o: src/report_json.c src/cli.h src/kernels.h \
 src/matrix.h src/status.h src/strategy.h src/limit.h src/report.h \
 src/bench.h src/stats.h src/timing.h src/verify.h src/compare.h \
 src/noise.h src/sysinfo.h src/npy.h src/npy_header.h
src/cli.h:
src/kernels.h:
src/matrix.h:
src/status.h:
src/strategy.h:
src/limit.h:
src/report.h:
src/bench.h:
src/stats.h:
src/timing.h:
src/verify.h:
src/compare.h:
src/noise.h:
src/sysinfo.h:
src/npy.h:
src/npy_header.h:
