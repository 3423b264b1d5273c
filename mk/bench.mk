# Benchmarks: each prints BENCH lines (see bench/*.c). Not timed tests.
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRC))

$(B)/bench/%: $(B)/bench/%.o $(DRIVER_LIB)
	$(CC) $^ -lelf -o $@

# Everything on one CPU: on a virtual machine a wake-up across CPUs costs
# several times one on the same CPU, and where Linux places the processes
# changes from run to run; on one CPU the figures repeat. The baselines are
# measured under the same conditions in the same run.
BENCH_CPU := $(shell command -v taskset >/dev/null && echo taskset -c 0)

bench: $(B)/recapd $(B)/stub $(PROG_BIN) $(BENCH_BIN)
	@for b in $(BENCH_BIN); do $(BENCH_CPU) $(B)/recapd --stub $(B)/stub $$b || exit 1; done

ALL += $(BENCH_BIN)

# bench/ram_dataspace.c, component_rpc.c and component_start.c run
# scenarios of their own (recap run, apps/ram_bench, rpc_bench with
# rpc_server, start_bench).
bench: $(B)/recap $(B)/core $(B)/apps/ram_bench $(B)/apps/rpc_bench $(B)/apps/rpc_server \
	$(B)/apps/start_bench $(B)/bench/start_static

# The baseline of bench/component_start.c: a static binary, no C library.
$(B)/bench/start_static: bench/start_static.S $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) -nostdlib -static -no-pie -Wl,--build-id=none $< -o $@

ALL += $(B)/bench/start_static

# bench/cr_checkpoint.c runs bench/cr_checkpoint.xml: dirtier under cr.
bench: $(B)/apps/cr $(B)/apps/dirtier
