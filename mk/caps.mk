# The capability-space model of checkpoint/restore (cr/capspace_*.c): its
# image section, the equivalence checker and the listings of `recap
# inspect`, as the host library $(B)/libcaps.a, and its cmocka tests
# (tests/caps/test_*.c), built plain and under ASan+UBSan.
#
# Users link $(B)/libcaps.a, then $(B)/libimage.a and $(IMAGE_LIBS).
# Needs mk/image.mk ($(B)/libimage.a, $(IMAGE_LIBS)), included before or
# after this file.

CAPS_SRC := $(wildcard cr/capspace_*.c)
CAPS_TEST_SRC := $(wildcard tests/caps/test_*.c)
CAPS_TEST_BIN := $(patsubst %.c,$(B)/%,$(CAPS_TEST_SRC))
CAPS_TEST_SAN_BIN := $(patsubst %.c,$(B)/san/%,$(CAPS_TEST_SRC))

# rm first: an archive must not keep members of deleted sources.
$(B)/libcaps.a: $(patsubst %.c,$(B)/%.o,$(CAPS_SRC))
	@rm -f $@
	ar rcs $@ $^

$(B)/san/libcaps.a: $(patsubst %.c,$(B)/san/%.o,$(CAPS_SRC))
	@rm -f $@
	ar rcs $@ $^

$(patsubst %,%.o,$(CAPS_TEST_BIN)): $(B)/%.o: %.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Icr -Icr/image -MMD -MP -c $< -o $@

$(patsubst %,%.o,$(CAPS_TEST_SAN_BIN)): $(B)/san/%.o: %.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) -Icr -Icr/image -MMD -MP -c $< -o $@

$(CAPS_TEST_BIN): $(B)/%: $(B)/%.o $(B)/libcaps.a $(B)/libimage.a
	$(CC) $^ $(IMAGE_LIBS) -lcmocka -o $@

$(CAPS_TEST_SAN_BIN): $(B)/san/%: $(B)/san/%.o $(B)/san/libcaps.a \
		$(B)/san/libimage.a
	$(CC) -fsanitize=address,undefined $^ $(IMAGE_LIBS) -lcmocka -o $@

caps-check: $(CAPS_TEST_BIN) $(CAPS_TEST_SAN_BIN)
	@set -e; for t in $^; do echo "== $$t"; $$t; done

.PHONY: caps-check

ALL += $(B)/libcaps.a $(CAPS_TEST_BIN)
