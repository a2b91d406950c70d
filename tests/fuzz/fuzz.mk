# Fuzzing and valgrind (issue 7, docs/security.md); included by the Makefile.
#
#   make fuzz [FUZZ_SECONDS=N]   build the libFuzzer targets into build/fuzz
#                                and run each for N seconds (default 60)
#   make fuzz-build              build them only
#   make fuzz-run FUZZ_TARGET=reader [FUZZ_SECONDS=N]   run one target
#   make test-valgrind           valgrind memcheck on a representative subset
#                                (tests/valgrind; also part of make test-full)
#
# A target's corpus grows in build/fuzz/corpus/<target>; seeds (samples, a
# blank checklist, the hostile corpus) are made in build/fuzz/seeds/<target>.
# A crash leaves build/fuzz/crash-<target>-<sha1>: reproduce it with
# `build/fuzz/fuzz_<target> FILE`.

FUZZ_CC      ?= clang
FUZZ_BUILD   := build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_NICE    ?= nice -n 19
FUZZ_TARGETS := reader xml_strings xml_sheet align answers cfb
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  = -std=c11 -D_GNU_SOURCE -g -O1 $(filter-out -Werror,$(WARN)) $(FUZZ_SAN) \
                -fsanitize=fuzzer-no-link -Iinclude $(PKG_CFLAGS) -MMD -MP
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/obj/%.o) $(FUZZ_BUILD)/obj/gen/default_template.o
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

# Per-target options: longest input and dictionary.
FUZZ_OPTS_reader      := -max_len=262144
FUZZ_OPTS_xml_strings := -max_len=131072 -dict=tests/fuzz/xml.dict
FUZZ_OPTS_xml_sheet   := -max_len=131072 -dict=tests/fuzz/xml.dict
FUZZ_OPTS_align       := -max_len=8192 -dict=tests/fuzz/align.dict
FUZZ_OPTS_answers     := -max_len=131072 -dict=tests/fuzz/json.dict
FUZZ_OPTS_cfb         := -max_len=65536
FUZZ_COMMON_OPTS      := -timeout=10 -rss_limit_mb=2048 -print_final_stats=1

.PHONY: fuzz fuzz-build fuzz-seeds fuzz-run test-valgrind

fuzz-build: $(FUZZ_BINS)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/obj/gen/default_template.o: src/checklist/default_template.S templates/default.xml
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) -c -o $@ -DSK_TEMPLATE_FILE='"templates/default.xml"' $<

$(FUZZ_BUILD)/libsechk-fuzz.a: $(FUZZ_LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/obj/tests/fuzz/fuzz_%.o $(FUZZ_BUILD)/libsechk-fuzz.a
	@$(if $(Q),echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $< $(FUZZ_BUILD)/libsechk-fuzz.a $(LIBS) -lz

# Seeds need the CLI (a blank from `sechk template`, answers from `extract`).
$(FUZZ_BUILD)/blank.xlsx: $(BIN) tests/fuzz/make_seeds.py tests/make_corpus.py
	$(Q)rm -rf $(FUZZ_BUILD)/seeds
	$(Q)$(PYTHON) tests/fuzz/make_seeds.py $(BIN) $(FUZZ_BUILD)

fuzz-seeds: $(FUZZ_BUILD)/blank.xlsx

# Runs one target (FUZZ_TARGET) for FUZZ_SECONDS.
fuzz-run: fuzz-build fuzz-seeds
	$(Q)mkdir -p $(FUZZ_BUILD)/corpus/$(FUZZ_TARGET)
	$(Q)SECHK_FUZZ_BASE=$(FUZZ_BUILD)/blank.xlsx $(FUZZ_NICE) $(FUZZ_BUILD)/fuzz_$(FUZZ_TARGET) \
	    -max_total_time=$(FUZZ_SECONDS) $(FUZZ_COMMON_OPTS) $(FUZZ_OPTS_$(FUZZ_TARGET)) \
	    -artifact_prefix=$(FUZZ_BUILD)/crash-$(FUZZ_TARGET)- \
	    $(FUZZ_BUILD)/corpus/$(FUZZ_TARGET) $(FUZZ_BUILD)/seeds/$(FUZZ_TARGET)

fuzz: fuzz-build fuzz-seeds
	$(Q)for t in $(FUZZ_TARGETS); do \
	    echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	    $(MAKE) --no-print-directory fuzz-run FUZZ_TARGET=$$t FUZZ_SECONDS=$(FUZZ_SECONDS) || exit 1; \
	done

# valgrind: tests/valgrind/*.sh run sechk under tests/valgrind-sechk.sh; an
# error or a definite leak makes it exit 99, which fails the script's check.
test-valgrind: $(BIN)
	$(Q)PYTHON=$(PYTHON) sh tests/run-tests.sh valgrind
