# Unit tests: tests/unit/test_<name>.c, each a cmocka program, built twice:
# plain and under AddressSanitizer + UndefinedBehaviorSanitizer. Each links
# the kernel object layer (no Linux processes involved).
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_DEPS := $(KOBJ_SRC) $(filter-out $(KOBJ_SRC),$(KERNEL_SRC)) $(HOST_SRC)
UNIT_BIN := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(UNIT_SRC))
UNIT_SAN_BIN := $(patsubst tests/unit/%.c,$(B)/san/tests/unit/%,$(UNIT_SRC))

$(B)/tests/unit/%: $(B)/tests/unit/%.o $(patsubst %.c,$(B)/%.o,$(UNIT_DEPS))
	$(CC) $^ -lcmocka -o $@

$(B)/san/tests/unit/%: $(B)/san/tests/unit/%.o $(patsubst %.c,$(B)/san/%.o,$(UNIT_DEPS))
	$(CC) -fsanitize=address,undefined $^ -lcmocka -o $@

unit-check: $(UNIT_BIN) $(UNIT_SAN_BIN)
	@set -e; for t in $^; do echo "== $$t"; $$t; done

ALL += $(UNIT_BIN)
