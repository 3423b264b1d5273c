# Host-side tools: the scenario model (tools/scenario*.c, libxml2) and its
# cmocka tests (tests/tools/test_*.c), built plain and under ASan+UBSan.
#
# libxml2's flags come from pkg-config inside the recipes, not at parse
# time: on a fresh machine pkg-config and libxml2-dev arrive with $(B)/.deps,
# after this file has been read.
XML_CFLAGS = $$(pkg-config --cflags libxml-2.0)
XML_LIBS = $$(pkg-config --libs libxml-2.0)

SCENARIO_SRC := tools/scenario.c tools/scenario_route.c tools/sxml.c
SCENARIO_OBJ := $(patsubst %.c,$(B)/%.o,$(SCENARIO_SRC))
SCENARIO_SAN_OBJ := $(patsubst %.c,$(B)/san/%.o,$(SCENARIO_SRC))

TOOLS_TEST_SRC := $(wildcard tests/tools/test_*.c)
TOOLS_TEST_BIN := $(patsubst %.c,$(B)/%,$(TOOLS_TEST_SRC))
TOOLS_TEST_SAN_BIN := $(patsubst %.c,$(B)/san/%,$(TOOLS_TEST_SRC))

$(SCENARIO_OBJ): $(B)/%.o: %.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(XML_CFLAGS) -MMD -MP -c $< -o $@

$(SCENARIO_SAN_OBJ): $(B)/san/%.o: %.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) $(XML_CFLAGS) -MMD -MP -c $< -o $@

$(patsubst %,%.o,$(TOOLS_TEST_BIN)): $(B)/%.o: %.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(XML_CFLAGS) -Itools -MMD -MP -c $< -o $@

$(patsubst %,%.o,$(TOOLS_TEST_SAN_BIN)): $(B)/san/%.o: %.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) $(XML_CFLAGS) -Itools -MMD -MP -c $< -o $@

$(TOOLS_TEST_BIN): $(B)/%: $(B)/%.o $(SCENARIO_OBJ)
	$(CC) $^ $(TOOLS_TEST_LDFLAGS) $(XML_LIBS) -lcmocka -o $@

$(TOOLS_TEST_SAN_BIN): $(B)/san/%: $(B)/san/%.o $(SCENARIO_SAN_OBJ)
	$(CC) -fsanitize=address,undefined $^ $(TOOLS_TEST_LDFLAGS) $(XML_LIBS) \
		-lcmocka -o $@

# The allocation-failure test takes over the scenario objects' allocator.
$(B)/tests/tools/test_scenario_oom $(B)/san/tests/tools/test_scenario_oom: \
	TOOLS_TEST_LDFLAGS := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup

# Tests read their inputs from tests/tools/configs/, relative to the top.
tools-check: $(TOOLS_TEST_BIN) $(TOOLS_TEST_SAN_BIN)
	@set -e; for t in $^; do echo "== $$t"; $$t; done

.PHONY: tools-check
ALL += $(TOOLS_TEST_BIN)
