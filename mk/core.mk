# Core (the root task of recapd), the recap CLI, the components in apps/,
# and the scenario tests.
#
#  - $(B)/core: core/*.c, hosted; links the scenario model (mk/tools.mk),
#    lib/host (host_task_init), lib/base built hosted (capability index
#    allocator, RPC messages, session arguments), libelf and libxml2. Its
#    objects live in $(B)/coreobj/ so that $(B)/core can be the binary.
#  - $(B)/recap: tools/recap.c; finds recapd, stub and core next to itself.
#  - $(B)/apps/NAME: a component from apps/NAME/*.c, freestanding, linked
#    crt0.o first (its _parent_cap opens .data), then its objects, then
#    $(B)/libbase.a.
#  - $(B)/san/core: core once more under ASan+UBSan.
#  - scenario-check: tests/scenarios/run.sh (see there), then again with
#    recapd and core under ASan+UBSan: the scenarios include hostile
#    requests (apps/rpc_abuse), and core must take them without a flaw.
#    Then the control socket (control_test.sh) and checkpoint / restore
#    through the CR service (cr_test.sh, against a stand-in cr), then of
#    a counter under the real cr (cr_counter_test.sh), incremental
#    checkpoints of a memhog (cr_incr_test.sh), each also under
#    ASan+UBSan, cr's stream buffer and views (cr_stream_test.sh), and a
#    component serving checkpoint requests itself under cr
#    (cr_nested_test.sh, also under ASan+UBSan).
CORE_SRC := $(wildcard core/*.c)
CORE_OBJ := $(patsubst core/%.c,$(B)/coreobj/%.o,$(CORE_SRC))

$(B)/coreobj/%.o: core/%.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Itools -MMD -MP -c $< -o $@

$(B)/core: $(CORE_OBJ) $(SCENARIO_OBJ) $(B)/tools/control.o $(B)/libl4host.a $(B)/libbase-host.a
	$(CC) $^ -lelf $(XML_LIBS) -o $@

$(B)/san/coreobj/%.o: core/%.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) -Itools -MMD -MP -c $< -o $@

$(B)/san/core: $(patsubst $(B)/%,$(B)/san/%,$(CORE_OBJ)) $(SCENARIO_SAN_OBJ) $(B)/san/tools/control.o \
		$(patsubst %.c,$(B)/san/%.o,$(HOSTLIB_SRC)) $(B)/san/libbase-host.a
	$(CC) -fsanitize=address,undefined $^ -lelf $(XML_LIBS) -o $@

# checkpoint / restore convert between cr's stream and image files.
$(B)/tools/cr_cmd.o: HOST_CFLAGS += -Icr -Icr/image

$(B)/recap: $(B)/tools/recap.o $(B)/tools/control.o $(B)/tools/cr_cmd.o \
		$(B)/tools/cr_chain.o $(B)/tools/inspect.o $(B)/tools/diff.o $(B)/libcrfmt-host.a $(B)/libcaps.a $(B)/libimage.a
	$(CC) $^ $(IMAGE_LIBS) -o $@

CRT0_OBJ := $(B)/comp/lib/base/crt0.o
APP_NAMES := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard apps/*/*.c)))))
APP_BIN := $(addprefix $(B)/apps/,$(APP_NAMES))

define app_rule
$(B)/apps/$(1): $(CRT0_OBJ) $(patsubst %.c,$(B)/comp/%.o,$(wildcard apps/$(1)/*.c)) $(B)/libbase.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(COMP_LDFLAGS) $$^ -o $$@
endef
$(foreach app,$(APP_NAMES),$(eval $(call app_rule,$(app))))

scenario-check: $(B)/recap $(B)/recapd $(B)/stub $(B)/core $(APP_BIN) \
		$(B)/san/recapd $(B)/san/core
	@tests/scenarios/run.sh
	@echo "== again, recapd and core under ASan+UBSan"
	@RECAP_KERNEL=$(B)/san/recapd RECAP_CORE=$(B)/san/core tests/scenarios/run.sh
	@B=$(B) tests/scenarios/control_test.sh
	@B=$(B) tests/scenarios/cr_test.sh
	@RECAP_KERNEL=$(B)/san/recapd RECAP_CORE=$(B)/san/core B=$(B) tests/scenarios/cr_test.sh
	@B=$(B) tests/scenarios/cr_apps_test.sh
	@RECAP_KERNEL=$(B)/san/recapd RECAP_CORE=$(B)/san/core B=$(B) tests/scenarios/cr_apps_test.sh
	@B=$(B) tests/scenarios/cr_server_test.sh
	@RECAP_KERNEL=$(B)/san/recapd RECAP_CORE=$(B)/san/core B=$(B) tests/scenarios/cr_server_test.sh
	@B=$(B) tests/scenarios/cr_counter_test.sh
	@RECAP_KERNEL=$(B)/san/recapd RECAP_CORE=$(B)/san/core B=$(B) tests/scenarios/cr_counter_test.sh
	@B=$(B) tests/scenarios/rm_managed_cr_test.sh
	@B=$(B) tests/scenarios/cr_incr_test.sh
	@RECAP_KERNEL=$(B)/san/recapd RECAP_CORE=$(B)/san/core B=$(B) tests/scenarios/cr_incr_test.sh
	@RECAP_KERNEL=$(B)/san/recapd RECAP_CORE=$(B)/san/core B=$(B) tests/scenarios/rm_managed_cr_test.sh
	@B=$(B) tests/scenarios/cr_stream_test.sh
	@B=$(B) tests/scenarios/cr_nested_test.sh
	@RECAP_KERNEL=$(B)/san/recapd RECAP_CORE=$(B)/san/core B=$(B) tests/scenarios/cr_nested_test.sh

.PHONY: scenario-check
ALL += $(B)/core $(B)/recap $(APP_BIN)
