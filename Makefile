# recap — one non-recursive Makefile for the whole tree.
#
#   make          build everything (first run installs missing Debian packages)
#   make check    unit tests (also under ASan+UBSan) and system tests
#   make bench    benchmarks, one BENCH line per figure
#   make torture  checkpoint/restore at 200 random moments per app (long)
#   make demo     the headline scenario

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
.SECONDARY:

B := build
CC := gcc
WARN := -Wall -Wextra -Werror
HOST_CFLAGS := -std=gnu11 -O2 -g $(WARN) -Iinclude -Ikernel -D_GNU_SOURCE=
SAN_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Iinclude -Ikernel -D_GNU_SOURCE= \
	-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Freestanding components: no host C library, static, linked into the
# component part of a task's address space (L4X_TASK_VM_START).
COMP_CFLAGS := -std=gnu11 -O2 -g $(WARN) -Iinclude -ffreestanding -fno-builtin \
	-fno-stack-protector -fno-pic -fno-pie -mno-red-zone -fcf-protection=none \
	-fno-asynchronous-unwind-tables
COMP_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,-Ttext-segment=0x10000000 -Wl,-z,noexecstack -Wl,-z,norelro

DEBIAN_PKGS := gcc make libc6-dev libcmocka-dev libelf-dev libseccomp-dev \
	libxml2-dev libzstd-dev libxxhash-dev pkg-config

# ---- Debian packages: installed once, only if missing -------------------
$(B)/.deps:
	@mkdir -p $(B)
	@missing=$$(for p in $(DEBIAN_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages: $$missing"; \
		if [ "$$(id -u)" = 0 ]; then \
			DEBIAN_FRONTEND=noninteractive apt-get update -q && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
		else \
			echo "error: missing packages ($$missing); run make as root once" >&2; exit 1; \
		fi; \
	fi
	@touch $@

# ---- sources -------------------------------------------------------------
KOBJ_SRC := kernel/kobj.c kernel/capspace.c
KERNEL_SRC := $(filter-out kernel/recapd.c,$(wildcard kernel/*.c))
HOST_SRC := $(wildcard kernel/host/*.c)
STUB_SRC := $(wildcard stub/*.c)
HOSTLIB_SRC := $(wildcard lib/host/*.c)

$(B)/%.o: %.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(B)/san/%.o: %.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) -MMD -MP -c $< -o $@

$(B)/comp/%.o: %.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(COMP_CFLAGS) -MMD -MP -c $< -o $@

$(B)/comp/%.o: %.S $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(COMP_CFLAGS) -c $< -o $@

# ---- the kernel ----------------------------------------------------------
$(B)/recapd: $(patsubst %.c,$(B)/%.o,kernel/recapd.c $(KERNEL_SRC) $(HOST_SRC))
	$(CC) $^ -o $@

# ---- the task stub (static-pie: stub/stub.c says why) -----------------------
# Its objects live in $(B)/stubobj/ so that $(B)/stub can be the binary.
$(B)/stubobj/%.o: stub/%.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -fPIE -MMD -MP -c $< -o $@

$(B)/stub: $(patsubst stub/%.c,$(B)/stubobj/%.o,$(STUB_SRC))
	$(CC) -static-pie $^ -lseccomp -o $@

ALL := $(B)/recapd $(B)/stub

include mk/host.mk mk/unit.mk mk/systest.mk mk/bench.mk mk/base.mk mk/tools.mk mk/core.mk mk/image.mk mk/caps.mk mk/cr.mk \
	mk/crfmt.mk mk/difftest.mk

all: $(ALL)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

clean:
	rm -rf $(B)

.PHONY: all clean check bench demo unit-check sys-check

check: unit-check sys-check tools-check scenario-check image-check caps-check crfmt-check difftest-check

# The headline scenarios so far: two kernel tasks talk through a gate; a
# running program is moved to a new process; components started by core
# from an XML scenario serve and call RPC objects of their own; a counter;
# a counter checkpointed, its system ended, restored in a new one.
demo: $(B)/recapd $(B)/stub $(SYS_BIN) $(B)/recap $(B)/core $(APP_BIN) $(B)/apps/cr
	@echo "== two tasks, calls and capabilities both ways"
	@$(B)/recapd --stub $(B)/stub $(B)/tests/sys/sys_pingpong
	@echo "== a program paused in every thread state, moved to a new process"
	@$(B)/recapd --stub $(B)/stub $(B)/tests/sys/sys_migrate 2>/dev/null
	@echo "== recap run: a component with its own entrypoints and RPC objects"
	@$(B)/recap run apps/local_service/local_service.xml
	@echo "== recap run: a service announced by one component, used by another, capabilities passed both ways"
	@$(B)/recap run apps/rpc_server/rpc_server.xml
	@echo "== recap run: a counter on a timer, five counts"
	@$(B)/recap run tests/scenarios/counter.xml
	@echo "== checkpoint / restore: a counter saved, its system ended, restored in a new one"
	@B=$(B) tools/cr_demo.sh
