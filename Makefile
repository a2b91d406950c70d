# sechk — build, test, demo, install.  `make V=1` shows the commands.
# Sanitizer build: `make SAN=1 BUILD=build/asan ...` (used by `make test-full`).

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := xlsxwriter libzip libxml-2.0 jansson zlib libcrypto
PYTHON  ?= /usr/bin/python3

Q := @
ifeq ($(V),1)
Q :=
endif

# Asked of pkg-config on first use (once), not when the Makefile is read, so
# that `make deps demo` works on a machine where deps installs the libraries.
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $$(PKGS) 2>/dev/null))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $$(shell pkg-config --libs $$(PKGS) 2>/dev/null))$(PKG_LIBS)
CMOCKA_LIBS = $(eval CMOCKA_LIBS := $$(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka))$(CMOCKA_LIBS)

WARN    := -Wall -Wextra -Wstrict-prototypes -Wshadow -Wformat=2 -Wvla -Wmissing-prototypes \
           -Wpointer-arith -Wcast-qual -Werror
CFLAGS  ?= -O2 -g
SANFLAGS :=
ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
ALL_CFLAGS  = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) -Iinclude $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS := $(LDFLAGS) $(SANFLAGS)
LIBS        = $(PKG_LIBS) -lpthread -lm

LIB_SRC := $(sort $(wildcard src/util/*.c src/read/*.c src/checklist/*.c src/output/*.c src/batch/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/default_template.o $(BUILD)/gen/default_tables.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

LIB := $(BUILD)/libsechk.a
BIN := $(BUILD)/sechk

.SECONDARY:
.PHONY: all test test-full test-build check demo install uninstall clean deps format
all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The default template is compiled into the library (src/checklist/default_template.S).
$(BUILD)/gen/default_template.o: src/checklist/default_template.S templates/default.xml
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) -c -o $@ -DSK_TEMPLATE_FILE='"templates/default.xml"' $<

# ... and as static tables: tools/mktables loads it with the normal loader and
# writes every structure of the loaded template as C initializers (no XML
# parse at start).  The generator links the library without those tables and
# without src/checklist/builtin.c, which refers to them.
MKTABLES_OBJ = $(BUILD)/tools/mktables.o \
               $(filter-out $(BUILD)/gen/default_tables.o $(BUILD)/src/checklist/builtin.o,$(LIB_OBJ))
$(BUILD)/gen/mktables: $(MKTABLES_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/gen/default_tables.c: $(BUILD)/gen/mktables
	@$(if $(Q),echo "  GEN     $@")
	$(Q)$(BUILD)/gen/mktables > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/default_tables.o: $(BUILD)/gen/default_tables.c
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(LIBS) $(CMOCKA_LIBS)

# test: every unit, end-to-end and interop test once, in parallel
# (tests/run-tests.sh; TEST_JOBS=N sets how many at a time), ending with the
# time taken and one "N passed, N failed" line.
# test-full (CI): the same, the same again built with ASan+UBSan, and valgrind
# memcheck on a representative subset (tests/valgrind), in one parallel run.
test: test-build
	$(Q)sh tests/run-tests.sh plain

test-full: test-build
	$(Q)$(MAKE) --no-print-directory SAN=1 BUILD=build/asan test-build
	$(Q)sh tests/run-tests.sh plain asan valgrind

test-build: $(BIN) $(TEST_BIN)

# check: the old name of `make test`.
check: test

# demo: the main job on the bundled samples (exit 1 = deficiencies found, expected here).
demo: $(BIN)
	$(Q)rm -rf out && mkdir -p out
	$(Q)$(BIN) template -o out/blank.xlsx --project "サンプル事業" --service "サンプルクラウド"
	$(Q)$(BIN) batch samples -o out/batch; s=$$?; [ $$s -le 1 ] || exit $$s
	@echo "sechk demo: 白紙のチェックリスト: out/blank.xlsx"
	@echo "sechk demo: samples/ の確認結果: out/batch/summary.xlsx, out/batch/summary.csv (ファイルごと: out/batch/*.review.xlsx, *.json)"

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/sechk
	install -m 644 docs/sechk.1 $(DESTDIR)$(PREFIX)/share/man/man1/sechk.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/sechk $(DESTDIR)$(PREFIX)/share/man/man1/sechk.1

clean:
	rm -rf build out

deps:
	$(Q)sh tools/deps.sh

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(TEST_SRC) src/*/*.h include/sechk/*.h include/*.h


# Optional fragments: fuzzing (tests/fuzz) and benchmarks (bench).
-include tests/fuzz/fuzz.mk
-include bench/bench.mk
-include web/web.mk

-include $(LIB_OBJ:.o=.d) $(BUILD)/tools/mktables.d $(CLI_OBJ:.o=.d) $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%.d)
