# Kernel system tests: freestanding test programs (tests/sys/progs/*.c, with
# the tiny runtime in tests/sys/rt/) run by root-task drivers
# (tests/sys/driver/sys_*.c) under recapd; tests/sys/run.sh runs each driver
# and compares recapd's output with tests/sys/expected/<name>.out.
RT_OBJ := $(B)/comp/tests/sys/rt/crt0.o $(B)/comp/tests/sys/rt/rt.o
PROG_SRC := $(wildcard tests/sys/progs/*.c)
PROG_BIN := $(patsubst tests/sys/progs/%.c,$(B)/tests/sys/progs/%,$(PROG_SRC))
DRIVER_SRC := $(wildcard tests/sys/driver/sys_*.c)
DRIVER_BIN := $(patsubst tests/sys/driver/%.c,$(B)/tests/sys/%,$(DRIVER_SRC))
DRIVER_LIB := $(B)/tests/sys/driver/boot.o $(B)/libl4host.a

$(B)/tests/sys/progs/%: $(B)/comp/tests/sys/progs/%.o $(RT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(COMP_LDFLAGS) $(RT_OBJ) $< -o $@

$(B)/tests/sys/sys_%: $(B)/tests/sys/driver/sys_%.o $(DRIVER_LIB)
	$(CC) $^ -lelf -lcmocka -o $@

# The substrate test runs without recapd.
$(B)/tests/sys/test_host: $(B)/tests/sys/test_host.o $(patsubst %.c,$(B)/%.o,$(HOST_SRC))
	$(CC) $^ -lcmocka -o $@

SYS_BIN := $(PROG_BIN) $(DRIVER_BIN) $(if $(wildcard tests/sys/test_host.c),$(B)/tests/sys/test_host)

# recapd once more under AddressSanitizer + UndefinedBehaviorSanitizer: the
# system tests drive every kernel path a component can reach.
$(B)/san/recapd: $(patsubst %.c,$(B)/san/%.o,kernel/recapd.c $(KERNEL_SRC) $(HOST_SRC))
	$(CC) -fsanitize=address,undefined $^ -o $@

sys-check: $(B)/recapd $(B)/san/recapd $(B)/stub $(SYS_BIN)
	@tests/sys/run.sh
	@echo "== again, recapd under ASan+UBSan"
	@RECAPD=$(B)/san/recapd SKIP_HOST_TEST=1 tests/sys/run.sh

ALL += $(SYS_BIN)
