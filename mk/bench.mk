# Benchmarks: each prints BENCH lines (see bench/*.c). Not timed tests.
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRC))

$(B)/bench/%: $(B)/bench/%.o $(DRIVER_LIB)
	$(CC) $^ -lelf -o $@

bench: $(B)/recapd $(B)/stub $(PROG_BIN) $(BENCH_BIN)
	@for b in $(BENCH_BIN); do $(B)/recapd --stub $(B)/stub $$b || exit 1; done

ALL += $(BENCH_BIN)
