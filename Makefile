# passpro build. `make` builds build/passpro; `make test` sets up, builds and runs every suite;
# `make demo` sets up, builds and serves the demo. See README.md.

CC      ?= cc
BUILD   ?= build
PKGS     = libmicrohttpd jansson sqlite3 libpq libsodium libqrencode libcurl xlsxwriter cairo pangocairo
WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) -Isrc -MMD -MP \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

# Sanitizer build: `make SAN=1 test` builds into build-san/ with ASan + UBSan.
ifeq ($(SAN),1)
BUILD    = build-san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
CFLAGS   = -O1 -g
endif

# Fuzzing build (docs/fuzzing.md): `make fuzz` builds the library into build-fuzz/ with clang,
# coverage for libFuzzer, ASan and UBSan; warnings stay visible but are not errors there (clang
# warns about things gcc does not, and a fuzz run should not stop on them).
ifeq ($(FUZZ),1)
BUILD    = build-fuzz
CC       = clang
SANFLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=undefined -Wno-error
CFLAGS   = -O1 -g
endif

SRC      = $(filter-out src/main.c,$(wildcard src/*.c src/*/*.c))
OBJ      = $(SRC:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/embedded_data.o
EMBED    = $(sort $(wildcard src/db/migrations/*/*.sql src/web/templates/*.html src/web/templates/*.txt \
                          src/mail/templates/*.html src/mail/templates/*.txt))
LIB      = $(BUILD)/libpasspro.a
BIN      = $(BUILD)/passpro

UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
HTTP_SRC = $(wildcard tests/http/test_*.c)
HTTP_BIN = $(HTTP_SRC:tests/http/%.c=$(BUILD)/tests/http/%)
# One libFuzzer target per fuzz/fuzz_<name>.c; fuzz/bodies_*.c are the per-endpoint tables the
# json_body target links in (each includes one src/api/ file to reach its static body specs).
FUZZ_SRC = $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:fuzz/%.c=build-fuzz/fuzz/%)
FUZZ_BODIES = $(wildcard fuzz/bodies_*.c)
FUZZ_SECONDS ?= 60
TEST_LIBS = $(shell pkg-config --libs cmocka libcurl 2>/dev/null)

DSFR     = node_modules/@gouvfr/dsfr/dist

.PHONY: all all-tests setup test test-unit test-http test-browser demo bench clean check-src static \
        fuzz fuzz-build fuzz-bins

all: $(BIN) static

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/gen/embedded_data.c: $(EMBED) scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh $@ $(EMBED)

$(BUILD)/obj/gen/embedded_data.o: $(BUILD)/gen/embedded_data.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# DSFR assets, served from the binary's folder (static/).
static: $(BUILD)/static/.stamp
$(BUILD)/static/.stamp: $(wildcard src/web/static/*) $(wildcard $(DSFR)/dsfr.min.css)
	@mkdir -p $(BUILD)/static/dsfr/utility/icons
	@if [ -d $(DSFR) ]; then \
	    cp $(DSFR)/dsfr.min.css $(DSFR)/dsfr.module.min.js $(DSFR)/dsfr.nomodule.min.js $(BUILD)/static/dsfr/ && \
	    cp -r $(DSFR)/fonts $(DSFR)/icons $(DSFR)/favicon $(BUILD)/static/dsfr/ && \
	    cp $(DSFR)/utility/icons/icons.min.css $(BUILD)/static/dsfr/utility/icons/ ; \
	else echo "note: $(DSFR) missing, run scripts/setup.sh for the DSFR look"; fi
	@cp src/web/static/* $(BUILD)/static/ 2>/dev/null || true
	@touch $@

$(BUILD)/tests/unit/%: tests/unit/%.c $(wildcard tests/*.h) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(LIB) $(LDLIBS) $(TEST_LIBS)

$(BUILD)/tests/http/%: tests/http/%.c tests/http/harness.c tests/http/harness.h $(wildcard tests/*.h) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< tests/http/harness.c $(LIB) $(LDLIBS) $(TEST_LIBS)

setup:
	@scripts/setup.sh

check-src:
	@scripts/checksrc src tests

# Every suite on the normal build, then unit and HTTP suites again under ASan + UBSan, then a
# short pass of every fuzz target (PASSPRO_SKIP_FUZZ=1 skips it).
test: setup
	@$(MAKE) --no-print-directory check-src all $(UNIT_BIN) $(HTTP_BIN)
	@$(MAKE) --no-print-directory SAN=1 all-tests
	@[ "$${PASSPRO_SKIP_FUZZ:-0}" = 1 ] || $(MAKE) --no-print-directory FUZZ=1 fuzz-build
	@BUILDS="$(BUILD) build-san" tests/run.sh

# Fuzz targets (docs/fuzzing.md): each runs FUZZ_SECONDS (60 by default) on its corpus and the
# run fails on the first crash, leak or undefined behaviour.
fuzz: setup
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh

fuzz-build:
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-bins

fuzz-bins: $(FUZZ_BIN)

build-fuzz/fuzz/fuzz_json_body: fuzz/fuzz_json_body.c $(FUZZ_BODIES) $(wildcard fuzz/*.h) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -Ifuzz -o $@ $< $(FUZZ_BODIES) $(LIB) $(LDLIBS)

build-fuzz/fuzz/%: fuzz/%.c $(wildcard fuzz/*.h) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -Ifuzz -o $@ $< $(LIB) $(LDLIBS)

all-tests: all $(UNIT_BIN) $(HTTP_BIN)

# The slow measurements (docs/performance.md): figures, not tests.
bench:
	@SETUP_EXTRA="wrk nginx-light" scripts/setup.sh
	@$(MAKE) --no-print-directory all
	@bench/all.sh

demo: setup
	@$(MAKE) --no-print-directory all
	@mkdir -p var
	$(BIN) demo --db sqlite:var/demo.db

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
