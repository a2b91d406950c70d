# Benchmarks (issue 8, docs/performance.md); included by the Makefile.
#
#   make bench            generate the inputs into build/bench (kept; remade when
#                         the generator changes), measure, print the table and
#                         write build/bench/results.md and results.json
#   make bench BENCH_FILES=1000 BENCH_REVIEW_FILES=200 BENCH_ROWS=25000,50000,100000
#   make bench BENCH_RSS_ROWS=100000,500000,1000000   the sheets whose peak RSS
#                         `sechk check` is measured (made once: 1,000,000 rows
#                         take about a minute to make, 90 MB, kept in build/bench)
#   make bench BENCH_ARGS=--quick   a smoke test: 40 files, 5,000 and 10,000 rows, few runs
#   make bench-profile    callgrind (36-item check and review, a 10,000-row sheet,
#                         a 100-file batch, and the floors), massif on the big
#                         sheet, perf stat/record if allowed: build/bench/profile/
#                         (summary.md: where the instructions go); ~2 minutes
#
#   make deps-bench       installs the SheetJS peer (the `xlsx` npm package) into
#                         build/bench-node (needs the network once; never a
#                         dependency of sechk itself); without it the SheetJS row
#                         says "not measured".  The openpyxl peer uses
#                         python3-openpyxl (tools/deps.sh installs it).
#
# Needs no network: python3 (standard library), unzip, valgrind for the
# profile; hyperfine is not needed (bench/run_bench.py times each process
# itself, with wait4 for CPU time and peak RSS).

BENCH_DIR   ?= build/bench
BENCH_FLOOR := $(BENCH_DIR)/floor_xmlreader
BENCH_RUNONE := $(BENCH_DIR)/runone
BENCH_FILES ?= 500
BENCH_REVIEW_FILES ?= 100
BENCH_ROWS  ?= 25000,50000,100000
BENCH_RSS_ROWS ?= 100000,500000,1000000
BENCH_ARGS  ?=
BENCH_PROFILE_ROWS ?= 10000
BENCH_FLOOR_WRITE := $(BENCH_DIR)/floor_write
BENCH_NODE_DIR ?= build/bench-node

.PHONY: bench bench-profile deps-bench

deps-bench:
	@mkdir -p $(BENCH_NODE_DIR)
	npm install --prefix $(BENCH_NODE_DIR) --no-audit --no-fund xlsx

$(BENCH_FLOOR_WRITE): bench/floor_write.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror $(shell pkg-config --cflags xlsxwriter) \
		-o $@ $< $(shell pkg-config --libs xlsxwriter)

$(BENCH_FLOOR): bench/floor_xmlreader.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror $(shell pkg-config --cflags libzip libxml-2.0) \
		-o $@ $< $(shell pkg-config --libs libzip libxml-2.0)

$(BENCH_RUNONE): bench/runone.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o $@ $<

bench: $(BIN) $(BENCH_FLOOR) $(BENCH_RUNONE) $(BENCH_FLOOR_WRITE)
	$(Q)BENCH_FILES=$(BENCH_FILES) BENCH_REVIEW_FILES=$(BENCH_REVIEW_FILES) BENCH_ROWS=$(BENCH_ROWS) BENCH_RSS_ROWS=$(BENCH_RSS_ROWS) \
		$(PYTHON) bench/run_bench.py \
		--sechk $(BIN) --floor $(BENCH_FLOOR) --runone $(BENCH_RUNONE) --dir $(BENCH_DIR) \
		--floor-write $(BENCH_FLOOR_WRITE) --node-modules $(BENCH_NODE_DIR)/node_modules $(BENCH_ARGS)

bench-profile: $(BIN) $(BENCH_FLOOR) $(BENCH_RUNONE)
	$(Q)BENCH_FILES=$(BENCH_FILES) SECHK=$(BIN) FLOOR=$(BENCH_FLOOR) BENCH_DIR=$(BENCH_DIR) \
		RUNONE=$(BENCH_RUNONE) PYTHON=$(PYTHON) ROWS=$(BENCH_PROFILE_ROWS) sh bench/profile.sh
