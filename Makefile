# colbench - build, test, run, install.
#
#   make            build ./colbench
#   make run        build and run the blog's experiment (30000 x 10000)
#   make bench      colbench against numpy on the same matrix: ratios
#   make bench-signals  the signal tests 200 times on a loaded machine
#   make bench-history  colbench history's false alarms and detection on this machine
#   make check      the quick suite: unit tests and command-line tests, plain build
#   make test       install test tools if missing, build and run every test
#   make deb        the Debian packages (colbench, colbench-mpi) in build/deb/, lintian-clean
#   make install    install colbench, colbench.1 and the bash and zsh completion under $(DESTDIR)$(PREFIX)
#   make V=1        show the commands

CC       ?= cc
CFLAGS   ?= -O3 -g
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS += -D_GNU_SOURCE -Isrc -DCOLBENCH_CFLAGS='"$(CFLAGS)"' 
ALL_CFLAGS = -std=c11 $(WARNINGS) -pthread $(CFLAGS)
LDLIBS   += -pthread -lm -ljansson
# Bind every symbol at start: lazy binding saves the whole vector register
# state on the stack at a first call (2.7 kB with AVX-512), and colbench
# must run on a 32 kB stack.
LDFLAGS  += -Wl,-z,now
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
BUILD    ?= build

# make SAN=asan (or make asan): AddressSanitizer and UndefinedBehaviorSanitizer,
# in a build folder of their own; make test runs the unit tests under them.
# Sanitizer builds also carry the fault tests' hooks (src/os/test_hooks.h).
ifeq ($(SAN),asan)
CFLAGS   := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
CPPFLAGS += -DCOLBENCH_TEST_HOOKS
BUILD    := build-asan
endif

# make SAN=tsan (or make tsan): ThreadSanitizer, for the threaded strategies.
# Built by clang against LLVM's OpenMP runtime (libomp): GCC's libgomp
# synchronises in code TSan cannot see, so every openmp run would read as a
# race; libomp tells TSan of its barriers through its Archer tool, loaded at
# run time (OMP_TOOL_LIBRARIES, see tests/tsan/run.sh).
ifeq ($(SAN),tsan)
CC       := clang
CFLAGS   := -O1 -g -fsanitize=thread -fno-omit-frame-pointer
CPPFLAGS += -DCOLBENCH_TEST_HOOKS
BUILD    := build-tsan
endif

# make MPI=1: the same binary with the mpi strategy, built by Open MPI's mpicc.
ifeq ($(MPI),1)
CC       := mpicc
CPPFLAGS += -DCOLBENCH_MPI
BUILD    := build-mpi
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

SRC  := $(wildcard src/*.c src/*/*.c)
OBJ  := $(SRC:src/%.c=$(BUILD)/src/%.o)
LIB_OBJ := $(filter-out $(BUILD)/src/main.o,$(OBJ))

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: FORCE all completion deb run bench bench-verdicts bench-signals bench-history check test fuzz install uninstall clean test-deps colbench mpi-binary asan asan-build \
	tsan tsan-build

all: colbench completion

# The shells' completion, made from the option table of the binary just
# built (scripts/completion.sh): a new option or strategy is in it.
COMPLETION := $(BUILD)/completion/colbench.bash $(BUILD)/completion/_colbench
completion: $(COMPLETION)
$(BUILD)/completion/colbench.bash: $(BUILD)/colbench scripts/completion.sh
	@mkdir -p $(@D)
	$(Q)bash scripts/completion.sh bash $< >$@.tmp && mv $@.tmp $@
$(BUILD)/completion/_colbench: $(BUILD)/colbench scripts/completion.sh
	@mkdir -p $(@D)
	$(Q)bash scripts/completion.sh zsh $< >$@.tmp && mv $@.tmp $@

# The libraries the build needs come from Debian: installed once, noted in
# a stamp, before the first object is compiled.
BUILD_DEPS := $(BUILD)/.build-deps
$(BUILD_DEPS): scripts/install-build-deps.sh
	$(Q)sh scripts/install-build-deps.sh
	@mkdir -p $(@D) && touch $@

$(OBJ): | $(BUILD_DEPS)

# The build's commit (colbench --version, the JSON's build object), from
# git describe, or outside a clone $COLBENCH_COMMIT (make deb's copy of the
# tree) or "unknown" (a tarball): rewritten only when it
# changes, so that a new commit rebuilds src/os/build_id.c and no more.
BUILD_ID := $(BUILD)/build_id_commit.h
$(BUILD_ID): FORCE
	@mkdir -p $(@D)
	$(Q)id=$${COLBENCH_COMMIT:-unknown}; \
	if [ "$$(git -C $(CURDIR) rev-parse --show-toplevel 2>/dev/null)" = "$(CURDIR)" ]; then \
		id=$$(git -C $(CURDIR) describe --always --dirty --tags 2>/dev/null || echo unknown); \
	fi; \
	printf '#define COLBENCH_COMMIT "%s"\n' "$$id" >$@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(BUILD)/src/os/build_id.o: $(BUILD_ID)
$(BUILD)/src/os/build_id.o: CPPFLAGS += -I$(BUILD)
FORCE:

# A strategy's own flags come from its registry line (cflags: for its
# file's object alone, ldlibs: for every binary, which holds every
# strategy), read by scripts/strategy_flags.sh: openmp's -fopenmp is there,
# so that a new strategy is its file and its line, nothing here.
strategy_flags = $(shell sh scripts/strategy_flags.sh $(1) $(2))
$(foreach s,$(call strategy_flags,cflags), \
	$(if $(wildcard src/strategies/strategy_$(s).c),, \
		$(error src/strategies/strategy.h: X($(s)) gives cflags for src/strategies/strategy_$(s).c, which is missing)) \
	$(eval $(BUILD)/src/strategies/strategy_$(s).o: ALL_CFLAGS += $(call strategy_flags,cflags,$(s))))
LDLIBS += $(sort $(foreach s,$(call strategy_flags,ldlibs),$(call strategy_flags,ldlibs,$(s))))

$(BUILD)/colbench: $(OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# ./colbench is the last flavour built (plain, or MPI=1): copied when it differs.
colbench: $(BUILD)/colbench
	$(Q)cmp -s $< $@ || cp $< $@

$(BUILD)/src/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(LIB_OBJ) $(LDLIBS) -lcmocka

run: colbench
	./colbench

# The .npy header parser's libFuzzer target, under ASan and UBSan (clang).
FUZZ_CC      ?= clang
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_BIN     := $(BUILD)/fuzz/fuzz_npy_header
FUZZ_SECONDS ?= 60
FUZZ_TEST_RUNS ?= 30000

$(FUZZ_BIN): tests/fuzz/fuzz_npy_header.c src/matrix/npy_header.c src/os/status.c src/matrix/npy_header.h src/os/status.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_FLAGS) -o $@ $(filter %.c,$^)

# Fuzz for FUZZ_SECONDS, growing a corpus in build/fuzz/corpus from ours.
fuzz: test-deps $(FUZZ_BIN)
	@mkdir -p $(BUILD)/fuzz/corpus
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -max_len=12000 $(BUILD)/fuzz/corpus tests/npy/corpus

# The Debian packages, colbench and colbench-mpi, in build/deb/ (debian/;
# scripts/make-deb.sh): built from a copy of the tree, lintian-clean.
deb:
	$(Q)sh scripts/make-deb.sh

# colbench against numpy on the blog's experiment: the table of ratios.
bench: colbench
	sh scripts/bench.sh

# The CI gate's false-alarm rate and power on this machine (docs/ci.md).
bench-verdicts: colbench
	bash scripts/bench_verdicts.sh

# colbench history's false-alarm and detection rates on this machine (docs/ci.md).
bench-history: colbench
	bash scripts/bench_history.sh

# The signal tests ROUNDS times (200) with every CPU loaded and SIGHUP
# ignored by the caller, as on a busy CI runner (docs/faults.md).
bench-signals: colbench test-deps
	$(Q)$(MAKE) --no-print-directory SAN=asan build-asan/colbench
	bash scripts/stress_signals.sh

# The test tools come from Debian; scripts/install-test-deps.sh installs what is missing.
test-deps:
	$(Q)sh scripts/install-test-deps.sh

# The MPI flavour alone, in build-mpi/colbench (make MPI=1 mpi-binary), for
# the mpi tests: beside ./colbench, not over it.
mpi-binary: $(BUILD)/colbench

# The sanitized binary and unit tests (under SAN=asan: in build-asan/;
# under SAN=tsan: build-tsan/colbench alone).
ASAN_UNIT := $(UNIT_SRC:tests/unit/%.c=build-asan/tests/%)
asan-build: $(BUILD)/colbench $(UNIT_BIN)
tsan-build: $(BUILD)/colbench

asan:
	$(Q)$(MAKE) --no-print-directory SAN=asan asan-build

tsan:
	$(Q)$(MAKE) --no-print-directory SAN=tsan tsan-build

# Every part of the suite, each a command that speaks TAP; tests/run.sh
# counts them all.  The command-line suite runs twice: on ./colbench and on
# the ASan+UBSan build.
# registry.bats (one test: the quick suite again on a copy of the tree,
# plain build only, three minutes) runs beside the ASan suite
# (tests/together.sh), so that the second CPU is not idle for it.
TEST_PARTS = $(UNIT_BIN) $(ASAN_UNIT) \
	"sh tests/fuzz/run.sh $(FUZZ_BIN) tests/npy/corpus $(FUZZ_TEST_RUNS)" \
	"sh tests/static/run.sh" \
	"bats --tap $(CHECK_BATS)" \
	"sh tests/together.sh 'bats --tap tests/cli/registry.bats' \
		'COLBENCH=$(CURDIR)/build-asan/colbench bats --tap $(CHECK_BATS)'" \
	"sh tests/tsan/run.sh build-tsan/colbench" \
	"sh tests/memcheck/run.sh ./colbench build-mpi/colbench"

# The quick suite, for working: the unit tests and the command-line tests
# on the plain build (make test adds the sanitizers, the static checks,
# the fuzzer, valgrind, the mpi flavour, and registry.bats, which runs
# this quick suite again on a copy of the tree with a throwaway strategy).
CHECK_BATS = $(filter-out tests/cli/registry.bats,$(sort $(wildcard tests/cli/*.bats)))
CHECK_PARTS = $(UNIT_BIN) "bats --tap $(CHECK_BATS)"

# The command-line tests use the mpi flavour (mpi.bats) and the hooked
# (ASan) binary of the fault and signal tests: built here too,
# incrementally, unless CHECK_FLAVOURS=no (registry.bats's nested quick
# suite, which runs none of those files: the two builds were a minute of it).
CHECK_FLAVOURS ?= yes
check: test-deps colbench completion $(UNIT_BIN)
	$(Q)if [ "$(CHECK_FLAVOURS)" != no ]; then \
		$(MAKE) --no-print-directory MPI=1 mpi-binary && \
		$(MAKE) --no-print-directory SAN=asan build-asan/colbench; \
	fi
	$(Q)sh tests/run.sh $(CHECK_PARTS)

test: test-deps colbench completion $(UNIT_BIN) $(FUZZ_BIN)
	$(Q)$(MAKE) --no-print-directory MPI=1 mpi-binary
	$(Q)$(MAKE) --no-print-directory SAN=asan asan-build
	$(Q)$(MAKE) --no-print-directory SAN=tsan tsan-build
	$(Q)UBSAN_OPTIONS=print_stacktrace=1 sh tests/run.sh $(TEST_PARTS)

BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions

install: colbench completion
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 colbench $(DESTDIR)$(BINDIR)/colbench
	install -m 644 colbench.1 $(DESTDIR)$(MANDIR)/man1/colbench.1
	install -m 644 $(BUILD)/completion/colbench.bash $(DESTDIR)$(BASHCOMPDIR)/colbench
	install -m 644 $(BUILD)/completion/_colbench $(DESTDIR)$(ZSHCOMPDIR)/_colbench

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/colbench $(DESTDIR)$(MANDIR)/man1/colbench.1 \
		$(DESTDIR)$(BASHCOMPDIR)/colbench $(DESTDIR)$(ZSHCOMPDIR)/_colbench

clean:
	rm -rf build build-mpi build-asan build-tsan colbench

-include $(OBJ:.o=.d) $(UNIT_BIN:=.d)
