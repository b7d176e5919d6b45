# relucap - plain GNU make.  `make` builds build/relucap and the library; `make check` installs
# the Debian dependencies if missing, builds, and runs the whole suite (also under ASan+UBSan);
# `make demo` installs, builds and prints the headline tables; `make bench` times the main paths.
# `make MPI=1`: compile with mpicc so that `relucap mc` / `transition` shard trials over MPI ranks.
ifeq ($(MPI),1)
  BUILD   ?= build-mpi
  CC      := mpicc
  MPI_CFLAGS := -DRELUCAP_HAVE_MPI
endif
BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -fPIC -fopenmp -Iinclude $(SAN)
override LDFLAGS += -fopenmp $(SAN)

# Dependencies through pkg-config; optional backends compiled in when present.
GSL_CFLAGS := $(shell pkg-config --cflags gsl 2>/dev/null)
GSL_LIBS   := $(shell pkg-config --libs gsl 2>/dev/null || echo -lgsl -lgslcblas)
ifeq ($(shell pkg-config --exists cbc && echo yes),yes)
  COIN_CFLAGS := $(shell pkg-config --cflags cbc) -DRELUCAP_HAVE_COIN
  COIN_LIBS   := $(shell pkg-config --libs cbc)
endif
override CFLAGS += $(GSL_CFLAGS) $(COIN_CFLAGS) $(MPI_CFLAGS)
LIBS   := $(GSL_LIBS) $(COIN_LIBS) -lm

LIB_SRC  := $(sort $(wildcard src/*.c src/*/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
BENCH_SRC:= $(sort $(wildcard bench/bench_*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCHES  := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
STATIC   := $(BUILD)/librelucap.a
SHARED   := $(BUILD)/librelucap.so
EXE      := $(BUILD)/relucap

ifeq ($(V),1)
  Q :=
else
  Q := @
endif

.SECONDARY:
.PHONY: all deps check check-fast sanitize memcheck demo bench clean install fuzz gallery
all: $(EXE) $(SHARED) $(TESTS) $(BENCHES)

deps:
	@scripts/install-deps.sh

$(BUILD)/%.o: %.c $(wildcard include/*.h include/relucap/*.h src/*.h src/*/*.h cli/*.h tests/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(STATIC): $(LIB_OBJ)
	$(Q)rm -f $@; ar rcs $@ $^

$(SHARED): $(LIB_OBJ)
	$(Q)$(CC) -shared -o $@ $^ $(LDFLAGS) $(LIBS)

$(EXE): $(CLI_OBJ) $(STATIC)
	$(Q)$(CC) -o $@ $(CLI_OBJ) $(STATIC) $(LDFLAGS) $(LIBS)

$(BUILD)/tests/%: tests/%.c $(BUILD)/tests/testlib.o $(STATIC)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(BUILD)/tests/testlib.o $(STATIC) $(LDFLAGS) $(LIBS)

$(BUILD)/bench/%: bench/%.c $(STATIC)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(STATIC) $(LDFLAGS) $(LIBS)

# The whole suite: unit and CLI tests, again under ASan + UBSan, then valgrind (scripts/check.sh).
check: deps
	@scripts/check.sh

# The suite without the dependency step and sanitizer rebuild (for quick iterations).
check-fast: all
	scripts/run-tests.sh $(BUILD)

sanitize:
	$(MAKE) BUILD=build-san SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" CFLAGS="-O1 -g" all
	RELUCAP_SANITIZE=1 scripts/run-tests.sh build-san

# valgrind's memcheck over the plain model's tests and a CLI run (leaks and invalid accesses fail).
VALGRIND := valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite
memcheck: all
	@command -v valgrind >/dev/null || { echo "memcheck: valgrind not installed (scripts/install-deps.sh)"; exit 1; }
	$(VALGRIND) $(BUILD)/tests/test_gauss >/dev/null
	$(VALGRIND) $(BUILD)/tests/test_plain >/dev/null
	$(VALGRIND) $(EXE) paper >/dev/null
	$(VALGRIND) $(EXE) gate --level 2 --json >/dev/null
	$(VALGRIND) $(EXE) capacity --method lifted --depth 2 --alphas 6.7004 --json >/dev/null
	$(VALGRIND) $(EXE) check --layer tests/data/pm2.csv --layer tests/data/reflect4.csv --json >/dev/null
	$(VALGRIND) $(EXE) check --layer tests/data/pm2.csv --layer tests/data/sum4.csv --json >/dev/null
	@echo "memcheck: no errors"

demo: deps
	$(MAKE) all
	$(EXE) paper
	@echo
	$(EXE) chain --depth 8 --kind weak --compare
	@$(MAKE) -s gallery
	@echo "gallery regenerated in docs/img/ (docs/gallery.md)"

bench: all
	@for b in $(BENCHES); do $$b || exit 1; done

# make gallery: regenerate the pictures of docs/gallery.md (docs/img/*.svg, each with the .dat
# and .gp gnuplot files beside it).  Every number in them is computed by this run.
gallery: $(EXE)
	@mkdir -p docs/img
	$(EXE) chain --depth 12 --kind weak --alpha1 6.7004 --plot docs/img/chain-weak.svg > /dev/null
	$(EXE) chain --depth 12 --kind strong --plot docs/img/chain-strong.svg > /dev/null
	$(EXE) chain --depth 6 --kind strong --alpha1 6.7004 --compare --plot docs/img/chain-compare.svg > /dev/null
	$(EXE) gate --ladder --max-level 6 --plot docs/img/gate-levels.svg > /dev/null
	$(EXE) mc --n 5 --depth 1 --sweep 3:10:0.4 --trials 200 --seed 1 --plot docs/img/mc-transition.svg > /dev/null

# make install [PREFIX=/usr/local] [DESTDIR=]: CLI, shared and static library, headers, the
# pkg-config file relucap.pc and the man page relucap.1 (generated from the CLI's --help).
VERSION := $(shell sed -n 's/^\#define RELUCAP_VERSION "\(.*\)"/\1/p' include/relucap/common.h)

$(BUILD)/relucap.1: $(EXE) scripts/gen-man.sh
	$(Q)scripts/gen-man.sh $(EXE) > $@.tmp && mv $@.tmp $@

install: $(EXE) $(SHARED) $(STATIC) $(BUILD)/relucap.1
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/include/relucap $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(EXE) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(STATIC) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(SHARED) $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/relucap.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 include/relucap/*.h $(DESTDIR)$(PREFIX)/include/relucap/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@LIBS_PRIVATE@|$(strip $(LIBS)) -fopenmp|' \
	  relucap.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/relucap.pc
	install -m 644 $(BUILD)/relucap.1 $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build build-san

# libFuzzer + ASan/UBSan on the CSV and .npy readers (clang; not part of `make check`).
# New inputs go to $(BUILD)/fuzz/corpus; the seeds stay in tests/fuzz/corpus.
FUZZ_TIME ?= 60
fuzz:
	@mkdir -p $(BUILD)/fuzz/corpus
	clang -g -O1 -std=c11 -Iinclude -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	  tests/fuzz/fuzz_io.c src/io.c src/common.c -lm -o $(BUILD)/fuzz/fuzz_io
	$(BUILD)/fuzz/fuzz_io -max_total_time=$(FUZZ_TIME) -print_final_stats=1 $(BUILD)/fuzz/corpus tests/fuzz/corpus
