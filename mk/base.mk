# lib/base, the component runtime (public headers in include/recap/).
#
# Built twice over:
#  - freestanding for components: $(B)/libbase.a from $(B)/comp/lib/base/*.o
#    (COMP_CFLAGS), which must be self-contained: a component links nothing
#    else, so every symbol libbase.a uses it must define ($(B)/libbase.check);
#  - hosted for the unit tests tests/unit/base_test_<name>.c (cmocka), plain
#    and under ASan+UBSan, linked against $(B)/libbase-host.a and
#    $(B)/san/libbase-host.a. Hosted, lib/base/string.c defines recap_memset
#    etc. instead of libc's names (recap/string.h says why).
#
# The base_test_ rules below win over mk/unit.mk's $(B)/tests/unit/% rules
# because GNU make prefers the pattern with the shorter stem.
BASE_SRC := $(wildcard lib/base/*.c)
BASE_COMP_OBJ := $(patsubst %.c,$(B)/comp/%.o,$(BASE_SRC))
BASE_HOST_OBJ := $(patsubst %.c,$(B)/%.o,$(BASE_SRC))
BASE_SAN_OBJ := $(patsubst %.c,$(B)/san/%.o,$(BASE_SRC))

BASE_TEST_SRC := $(wildcard tests/unit/base_test_*.c)
BASE_TEST_BIN := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(BASE_TEST_SRC))
BASE_TEST_SAN_BIN := $(patsubst tests/unit/%.c,$(B)/san/tests/unit/%,$(BASE_TEST_SRC))

# GCC may turn a byte loop into a call to memset/memcpy; inside memset and
# memcpy themselves that is endless recursion.
$(B)/comp/lib/base/string.o: COMP_CFLAGS += -fno-tree-loop-distribute-patterns

# rm first: an archive must not keep members of deleted sources.
$(B)/libbase.a: $(BASE_COMP_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/libbase-host.a: $(BASE_HOST_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/san/libbase-host.a: $(BASE_SAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

# Every symbol libbase.a references must be defined in libbase.a, except
# what every component link supplies: crt0.o's symbols (lib/base/crt0.S:
# _parent_cap) and the component's own construct function.
BASE_LINK_SYMS := component_construct
$(B)/libbase.check: $(B)/libbase.a $(B)/comp/lib/base/crt0.o
	@nm -u $< | awk 'NF == 2 && $$1 == "U" { print $$2 }' | sort -u >$@.undef
	@{ nm --defined-only $^ | awk 'NF == 3 { print $$3 }'; \
	   printf '%s\n' $(BASE_LINK_SYMS); } | sort -u >$@.def
	@missing=$$(comm -23 $@.undef $@.def); rm -f $@.undef $@.def; \
	if [ -n "$$missing" ]; then \
		echo "libbase.a is not self-contained; undefined:" $$missing >&2; \
		exit 1; \
	fi
	@touch $@

$(B)/tests/unit/base_test_%: $(B)/tests/unit/base_test_%.o $(B)/libbase-host.a
	$(CC) $^ -lcmocka -o $@

$(B)/san/tests/unit/base_test_%: $(B)/san/tests/unit/base_test_%.o $(B)/san/libbase-host.a
	$(CC) -fsanitize=address,undefined $^ -lcmocka -o $@

base-check: $(B)/libbase.check $(BASE_TEST_BIN) $(BASE_TEST_SAN_BIN)
	@set -e; for t in $(BASE_TEST_BIN) $(BASE_TEST_SAN_BIN); do \
		echo "== $$t"; $$t; done

check: base-check

.PHONY: base-check

ALL += $(B)/libbase.a $(BASE_TEST_BIN)
